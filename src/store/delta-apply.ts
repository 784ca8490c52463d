/**
 * A shard's delta (SPEC 13.2), merge side: applies one delta file to the store. Plain tables take the
 * delta's rows and tombstones by their own key; packages are found by identity (owner, type, name
 * case-insensitively, as the refresh matches them) because a row id in a shard's file means nothing
 * in another, and their rows follow under the target's id. Where the target's row is newer (its
 * `newer` column is greater) it is kept with all its rows: a package refreshed by two shards keeps the
 * later reading. Applying the same delta again writes the same rows: idempotent.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import { LATEST_SCHEMA_VERSION } from './schema.js'
import { DELTA_TABLES, columnList, deletedTable, keyMatch, quote, tableShape, type DeltaTable } from './delta-tables.js'
import { DELTA_FORMAT, GONE_PACKAGES } from './delta-capture.js'
import { deletePackage } from './optout.js'
import type { Sql } from './sql.js'

export interface AppliedDelta {
  info: Record<string, string>
  /** Packages whose rows were taken. */
  packages: number
  /** Packages kept as they were, the target's reading being later. */
  keptNewer: number
}

/** A delta that cannot be applied (unreadable, another format or schema): nothing of it was written. */
export class DeltaRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeltaRefused'
  }
}

/** The key-value info of a delta file, checked to be one this action can apply. */
export function readDeltaInfo(path: string): Record<string, string> {
  let file: DatabaseSync
  try {
    file = new DatabaseSync(path, { readOnly: true })
  } catch (error) {
    throw new DeltaRefused(`cannot open ${path}: ${String(error)}`)
  }
  try {
    const check = file.prepare('PRAGMA quick_check').all()
    if (check.length !== 1 || check[0]?.quick_check !== 'ok') throw new DeltaRefused(`${path} fails its integrity check`)
    const info: Record<string, string> = {}
    try {
      for (const row of file.prepare('SELECT key, value FROM delta_info').all()) info[String(row.key)] = String(row.value)
    } catch (error) {
      throw new DeltaRefused(`${path} is not a delta: ${String(error)}`)
    }
    if (info.format !== DELTA_FORMAT || info.schema !== String(LATEST_SCHEMA_VERSION)) {
      throw new DeltaRefused(
        `${path} is a delta of format ${info.format ?? '?'} and schema ${info.schema ?? '?'}; this action applies format ` +
          `${DELTA_FORMAT} and schema ${LATEST_SCHEMA_VERSION} (shards and merge must run the same action version)`
      )
    }
    return info
  } catch (error) {
    if (error instanceof DeltaRefused) throw error
    throw new DeltaRefused(`${path} cannot be read: ${String(error)}`)
  } finally {
    file.close()
  }
}

export function applyDelta(sql: Sql, path: string): AppliedDelta {
  const info = readDeltaInfo(path)
  const { db } = sql
  db.prepare('ATTACH DATABASE ? AS delta').run(path)
  try {
    return sql.transaction(() => {
      for (const table of DELTA_TABLES.filter((t) => t.kind === 'plain')) applyPlain(db, table)
      const { packages, keptNewer } = mapPackages(sql)
      for (const table of DELTA_TABLES.filter((t) => t.kind === 'package-rows')) applyPackageRows(db, table)
      db.exec('DROP TABLE temp.delta_map')
      return { info, packages, keptNewer }
    })
  } finally {
    db.exec('DETACH DATABASE delta')
  }
}

function applyPlain(db: DatabaseSync, table: DeltaTable): void {
  const shape = tableShape(db, table.name)
  const name = quote(table.name)
  const newer = table.newer
    ? `AND NOT EXISTS (SELECT 1 FROM main.${name} m WHERE ${keyMatch(shape.key, 'm', 'd')} AND m.${quote(table.newer)} > d.${quote(table.newer)})`
    : ''
  db.exec(`DELETE FROM main.${name} WHERE EXISTS
    (SELECT 1 FROM delta.${quote(deletedTable(table.name))} x WHERE ${keyMatch(shape.key, `main.${name}`, 'x')})`)
  db.exec(`${insertVerb(shape.declaredKey)} INTO main.${name} (${columnList(shape.columns)})
    SELECT ${columnList(shape.columns, 'd.')} FROM delta.${name} d WHERE 1 ${newer}
    ${shape.declaredKey ? '' : `AND NOT EXISTS (SELECT 1 FROM main.${name} m WHERE ${keyMatch(shape.key, 'm', 'd')})`}`)
}

/**
 * Finds or creates each delta package in the target and records `shard pkg → target pkg` in
 * `temp.delta_map`; packages whose target row is newer are left out of the map (their rows too).
 * Ghost duplicates (same name but for case) the shard merged are removed here as the shard did.
 */
function mapPackages(sql: Sql): { packages: number; keptNewer: number } {
  const { db } = sql
  const shape = tableShape(db, 'packages')
  const newer = DELTA_TABLES.find((table) => table.kind === 'packages')?.newer ?? 'last_refresh'
  const data = shape.columns.filter((column) => column !== 'pkg')
  db.exec('CREATE TEMP TABLE IF NOT EXISTS delta_map (shard_pkg INTEGER PRIMARY KEY, pkg INTEGER NOT NULL)')
  db.exec('DELETE FROM temp.delta_map')
  const find = sql.stmt(`SELECT pkg, ${quote(newer)} AS newer FROM packages WHERE owner = ? AND type = ? AND lower(name) = lower(?) ORDER BY pkg`)
  const update = sql.stmt(`UPDATE packages SET ${data.map((column) => `${quote(column)} = ?`).join(', ')} WHERE pkg = ?`)
  const insert = sql.stmt(`INSERT INTO packages (${columnList(data)}) VALUES (${data.map(() => '?').join(', ')})`)
  const map = sql.stmt('INSERT OR REPLACE INTO temp.delta_map (shard_pkg, pkg) VALUES (?, ?)')
  const rows = db.prepare(`SELECT * FROM delta.packages ORDER BY pkg`)
  rows.setReadBigInts(true)
  let packages = 0
  let keptNewer = 0
  const present = new Set<string>()
  for (const row of rows.iterate()) {
    const identity = [row.owner, row.type, row.name] as SQLInputValue[]
    present.add(identityKey(row.owner, row.type, row.name))
    const [target, ...ghosts] = find.all(...identity)
    const values = data.map((column) => row[column] as SQLInputValue)
    if (target !== undefined && target.newer !== null && row[newer] !== null && String(target.newer) > String(row[newer])) {
      keptNewer++
      continue
    }
    for (const ghost of ghosts) deletePackage(sql, Number(ghost.pkg))
    let pkg: number
    if (target === undefined) {
      pkg = Number(insert.run(...values).lastInsertRowid)
    } else {
      pkg = Number(target.pkg)
      update.run(...values, pkg)
    }
    map.run(row.pkg as SQLInputValue, pkg)
    packages++
  }
  // Packages the shard deleted and did not merge into another of the same identity.
  for (const gone of db.prepare(`SELECT owner, type, name FROM delta.${GONE_PACKAGES}`).all()) {
    if (present.has(identityKey(gone.owner, gone.type, gone.name))) continue
    for (const target of find.all(gone.owner as SQLInputValue, gone.type as SQLInputValue, gone.name as SQLInputValue)) {
      deletePackage(sql, Number(target.pkg))
    }
  }
  return { packages, keptNewer }
}

function applyPackageRows(db: DatabaseSync, table: DeltaTable): void {
  const shape = tableShape(db, table.name)
  const name = quote(table.name)
  const others = shape.columns.filter((column) => column !== 'pkg')
  const otherKeys = shape.key.filter((column) => column !== 'pkg')
  const keyOf = (alias: string): string => [`m.pkg`, ...otherKeys.map((column) => `${alias}.${quote(column)}`)].join(', ')
  db.exec(`DELETE FROM main.${name} WHERE (${columnList(['pkg', ...otherKeys])}) IN
    (SELECT ${keyOf('x')} FROM delta.${quote(deletedTable(table.name))} x JOIN temp.delta_map m ON m.shard_pkg = x.pkg)`)
  const fresh = shape.declaredKey
    ? ''
    : `WHERE NOT EXISTS (SELECT 1 FROM main.${name} t WHERE t.pkg = m.pkg AND ${keyMatch(otherKeys, 't', 'd') || '1'})`
  db.exec(`${insertVerb(shape.declaredKey)} INTO main.${name} (${columnList(['pkg', ...others])})
    SELECT m.pkg, ${columnList(others, 'd.')} FROM delta.${name} d JOIN temp.delta_map m ON m.shard_pkg = d.pkg ${fresh}`)
}

function insertVerb(declaredKey: boolean): string {
  return declaredKey ? 'INSERT OR REPLACE' : 'INSERT'
}

function identityKey(owner: unknown, type: unknown, name: unknown): string {
  return `${String(owner).toLowerCase()}\u0000${String(type)}\u0000${String(name).toLowerCase()}`
}
