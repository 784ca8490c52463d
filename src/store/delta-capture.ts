/**
 * A shard's delta (SPEC 13.2), written side: temporary triggers on the store's connection note the
 * key of every row a shard inserts, updates or deletes in the tables of `DELTA_TABLES`; at the end
 * the rows still present are copied into a new database file of the same schema, and the keys no
 * longer present become tombstones. The triggers live in `temp`, so nothing of the capture is ever
 * part of the store's file or of a snapshot.
 */
import { existsSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import { LATEST_SCHEMA_VERSION, migrate } from './schema.js'
import { DELTA_TABLES, columnList, deletedTable, keyMatch, quote, tableShape, type TableShape } from './delta-tables.js'
import type { Sql } from './sql.js'

/** The format of a delta file; a merge refuses another (written by an incompatible action version). */
export const DELTA_FORMAT = '1'

/** Keys noted by the triggers, per table, in the connection's temp schema. */
function changedTable(table: string): string {
  return `delta_changed_${table}`
}

/** Identities of deleted packages (their rows are gone when the delta is written). */
const GONE_PACKAGES = 'delta_gone_packages'

/** Starts noting changes on this connection (idempotent). */
export function startCapture(sql: Sql): void {
  const { db } = sql
  for (const table of DELTA_TABLES) {
    const shape = tableShape(db, table.name)
    const changed = quote(changedTable(table.name))
    // Typed as the source columns: a lookup whose affinity differs from the index's cannot use it.
    const typed = shape.key.map((column) => `${quote(column)} ${shape.types[column] ?? ''}`).join(', ')
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${changed} (${typed}, PRIMARY KEY (${columnList(shape.key)}))`)
    const values = (row: 'NEW' | 'OLD'): string => shape.key.map((column) => `${row}.${quote(column)}`).join(', ')
    // No OR IGNORE: inside a trigger the outer statement's conflict handling (an upsert's ABORT) wins.
    const note = (row: 'NEW' | 'OLD'): string =>
      `INSERT INTO temp.${changed} SELECT ${values(row)} WHERE NOT EXISTS ` +
      `(SELECT 1 FROM temp.${changed} WHERE ${shape.key.map((column) => `${quote(column)} IS ${row}.${quote(column)}`).join(' AND ')});`
    const target = quote(table.name)
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ${quote(`${changedTable(table.name)}_i`)} AFTER INSERT ON ${target} BEGIN ${note('NEW')} END`)
    db.exec(
      `CREATE TEMP TRIGGER IF NOT EXISTS ${quote(`${changedTable(table.name)}_u`)} AFTER UPDATE ON ${target} BEGIN ${note('OLD')} ${note('NEW')} END`
    )
    const gone =
      table.kind === 'packages'
        ? `DELETE FROM temp.${GONE_PACKAGES} WHERE pkg = OLD.pkg; INSERT INTO temp.${GONE_PACKAGES} VALUES (OLD.pkg, OLD.owner, OLD.type, OLD.name);`
        : ''
    if (table.kind === 'packages') {
      db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${GONE_PACKAGES} (pkg INTEGER PRIMARY KEY, owner TEXT, type TEXT, name TEXT)`)
    }
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ${quote(`${changedTable(table.name)}_d`)} AFTER DELETE ON ${target} BEGIN ${note('OLD')} ${gone} END`)
  }
}

export interface DeltaCounts {
  /** Rows carried per table, tombstones apart. */
  rows: Record<string, number>
  deleted: Record<string, number>
}

/**
 * Writes the captured changes to a new file `path` (which must not exist), with `info` (the shard,
 * its report) as key-value pairs. The store's connection attaches the file for the copy.
 */
export function writeDelta(sql: Sql, path: string, info: Record<string, string>): DeltaCounts {
  if (existsSync(path)) throw new Error(`delta file ${path} exists already`)
  createDeltaFile(sql, path, { ...info, format: DELTA_FORMAT, schema: String(LATEST_SCHEMA_VERSION) })
  const { db } = sql
  const counts: DeltaCounts = { rows: {}, deleted: {} }
  db.prepare('ATTACH DATABASE ? AS delta').run(path)
  try {
    sql.transaction(() => {
      const shapes = new Map<string, TableShape>(DELTA_TABLES.map((table) => [table.name, tableShape(db, table.name)]))
      for (const table of DELTA_TABLES) {
        const shape = shapes.get(table.name) as TableShape
        const changed = `temp.${quote(changedTable(table.name))}`
        const columns = columnList(shape.columns)
        // Driven by the noted keys (CROSS JOIN keeps that order), each found through the table's key.
        counts.rows[table.name] = changes(db, `INSERT OR REPLACE INTO delta.${quote(table.name)} (${columns})
          SELECT DISTINCT ${columnList(shape.columns, 't.')} FROM ${changed} c CROSS JOIN main.${quote(table.name)} t
          WHERE ${keyMatch(shape.key, 't', 'c')}`)
        counts.deleted[table.name] = changes(db, `INSERT INTO delta.${quote(deletedTable(table.name))} (${columnList(shape.key)})
          SELECT ${columnList(shape.key, 'c.')} FROM ${changed} c
          WHERE NOT EXISTS (SELECT 1 FROM main.${quote(table.name)} t WHERE ${keyMatch(shape.key, 't', 'c')})`)
      }
      // Every package a carried row belongs to travels with its identity, so the merge can find it.
      for (const table of DELTA_TABLES.filter((t) => t.kind === 'package-rows')) {
        for (const source of [table.name, deletedTable(table.name)]) {
          db.exec(`INSERT OR IGNORE INTO delta.packages SELECT * FROM main.packages
            WHERE pkg IN (SELECT pkg FROM delta.${quote(source)})`)
        }
      }
      db.exec(`INSERT INTO delta.${GONE_PACKAGES} SELECT * FROM temp.${GONE_PACKAGES}
        WHERE pkg NOT IN (SELECT pkg FROM main.packages)`)
    })
  } finally {
    db.exec('DETACH DATABASE delta')
  }
  return counts
}

function changes(db: DatabaseSync, statement: string): number {
  return Number(db.prepare(statement).run().changes)
}

/** A file with the store's schema plus the tombstone and info tables, empty. */
function createDeltaFile(sql: Sql, path: string, info: Record<string, string>): void {
  const file = new DatabaseSync(path)
  try {
    migrate(file)
    file.exec('BEGIN')
    file.exec('CREATE TABLE delta_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    file.exec(`CREATE TABLE ${GONE_PACKAGES} (pkg INTEGER PRIMARY KEY, owner TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL)`)
    for (const table of DELTA_TABLES) {
      const shape = tableShape(sql.db, table.name)
      file.exec(`CREATE TABLE ${quote(deletedTable(table.name))} (${columnList(shape.key)})`)
    }
    const insert = file.prepare('INSERT INTO delta_info (key, value) VALUES (?, ?)')
    for (const [key, value] of Object.entries(info)) insert.run(key, value)
    file.exec('COMMIT')
  } finally {
    file.close()
  }
}

export { GONE_PACKAGES }
