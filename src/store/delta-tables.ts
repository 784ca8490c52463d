/**
 * Which tables a shard's delta carries (SPEC 13.2) and how each is keyed. Generic on purpose: the
 * package-keyed tables are `PACKAGE_ROW_TABLES` (optout.ts), so a migration that adds one there (the
 * daily chart bars, the changes log) is carried by every delta without a change here; their `pkg` is
 * a row id of the shard's file and is translated to the target's by the package's identity.
 */
import type { DatabaseSync } from 'node:sqlite'
import { PACKAGE_ROW_TABLES } from './optout.js'

export interface DeltaTable {
  name: string
  /** `package`: keyed by `pkg` (translated); `plain`: its own key, copied as it is. */
  kind: 'packages' | 'package-rows' | 'plain'
  /**
   * A column whose greater value in the target means the target's row is newer than the delta's,
   * so it is kept (a package or owner refreshed after the shard's reading).
   */
  newer?: string
}

/**
 * Everything a refresh writes: owners (ids, spellings, queue state), the run state in `meta` (the
 * cycle), the packages and their rows. `owner_edges` is written by discovery, which shards leave to
 * the merge job; it is carried anyway so that nothing a shard might write is ever lost.
 */
export const DELTA_TABLES: readonly DeltaTable[] = [
  { name: 'meta', kind: 'plain' },
  { name: 'owners', kind: 'plain', newer: 'last_refresh' },
  { name: 'owner_edges', kind: 'plain' },
  { name: 'packages', kind: 'packages', newer: 'last_refresh' },
  // The changes log (SPEC 10.2) is keyed by names, not pkg: a later change replaces an earlier one.
  { name: 'changes', kind: 'plain', newer: 'time' },
  ...PACKAGE_ROW_TABLES.map((name): DeltaTable => ({ name, kind: 'package-rows' }))
]

export interface TableShape {
  columns: string[]
  /** The primary key's columns; every column when the table declares none (a log). */
  key: string[]
  /** Whether the key is declared (INSERT OR REPLACE then replaces; else rows are added once). */
  declaredKey: boolean
  /** Declared type of each column (`INTEGER`, `TEXT`, ...), which gives it its affinity. */
  types: Record<string, string>
}

/** Columns and key of `schema.table`, read from SQLite itself. */
export function tableShape(db: DatabaseSync, table: string, schema = 'main'): TableShape {
  const rows = db.prepare(`SELECT name, type, pk FROM pragma_table_info(?, ?) ORDER BY cid`).all(table, schema)
  if (rows.length === 0) throw new Error(`table ${schema}.${table} does not exist`)
  const columns = rows.map((row) => String(row.name))
  const key = rows
    .filter((row) => Number(row.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((row) => String(row.name))
  const types = Object.fromEntries(rows.map((row) => [String(row.name), /^[A-Za-z ]*$/.test(String(row.type)) ? String(row.type) : '']))
  return { columns, key: key.length > 0 ? key : columns, declaredKey: key.length > 0, types }
}

/** The name a captured table's tombstones take in the delta file. */
export function deletedTable(table: string): string {
  return `delta_deleted_${table}`
}

/** `a.k1 IS b.k1 AND a.k2 IS b.k2` (IS: a NULL in a log's columns still matches). */
export function keyMatch(key: readonly string[], left: string, right: string): string {
  return key.map((column) => `${left}.${quote(column)} IS ${right}.${quote(column)}`).join(' AND ')
}

/** An identifier quoted for SQL (table and column names come from SQLite's own catalogue). */
export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export function columnList(columns: readonly string[], prefix = ''): string {
  return columns.map((column) => `${prefix}${quote(column)}`).join(', ')
}
