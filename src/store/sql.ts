/**
 * Small typed helpers over node:sqlite: a cache of prepared statements, a transaction wrapper that
 * nests (so a caller can batch many writes in one transaction), and readers that turn the untyped
 * column values of a row into checked TypeScript values.
 *
 * Every statement reads integers as BigInt: node:sqlite throws ("Value is too large to be represented
 * as a JavaScript number") on a whole row when one integer exceeds 2^53, so a single bad legacy value
 * would stop every run. `int()` converts only safe integers and throws `UnsafeStoredValue` otherwise,
 * which readers catch per row or per value (SPEC 12).
 */
import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite'

export type Row = Record<string, SQLOutputValue>

export class Sql {
  private readonly statements = new Map<string, StatementSync>()
  private depth = 0

  constructor(readonly db: DatabaseSync) {}

  /** The prepared statement for `sql`, prepared once per connection. */
  stmt(sql: string): StatementSync {
    let statement = this.statements.get(sql)
    if (statement === undefined) {
      statement = this.db.prepare(sql)
      statement.setReadBigInts(true)
      this.statements.set(sql, statement)
    }
    return statement
  }

  /** Runs `work` in one transaction; inside another transaction it joins the outer one. */
  transaction<T>(work: () => T): T {
    if (this.depth > 0) {
      this.depth++
      try {
        return work()
      } finally {
        this.depth--
      }
    }
    this.db.exec('BEGIN IMMEDIATE')
    this.depth = 1
    try {
      const result = work()
      this.db.exec('COMMIT')
      return result
    } catch (error) {
      this.db.exec('ROLLBACK')
      throw error
    } finally {
      this.depth = 0
    }
  }
}

export function text(row: Row, column: string): string {
  const value = row[column]
  if (typeof value !== 'string') throw new Error(`column ${column}: expected text, got ${describe(value)}`)
  return value
}

export function textOrNull(row: Row, column: string): string | null {
  const value = row[column]
  return value === null || value === undefined ? null : text(row, column)
}

/** A stored value that is not a safe integer where one is expected (a legacy row, or a file written by hand). */
export class UnsafeStoredValue extends Error {
  constructor(
    readonly column: string,
    readonly value: string
  ) {
    super(`column ${column}: ${value} is not a safe integer`)
    this.name = 'UnsafeStoredValue'
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)

export function int(row: Row, column: string): number {
  const value = row[column]
  if (typeof value === 'bigint') {
    if (value <= MAX_SAFE && value >= MIN_SAFE) return Number(value)
    throw new UnsafeStoredValue(column, String(value))
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value
    throw new UnsafeStoredValue(column, String(value))
  }
  throw new Error(`column ${column}: expected an integer, got ${describe(value)}`)
}

export function intOrNull(row: Row, column: string): number | null {
  const value = row[column]
  return value === null || value === undefined ? null : int(row, column)
}

/**
 * An integer that identifies a row (an id, a day): null when it is not a safe integer, which `onBad`
 * hears of, so the caller skips that row rather than stopping the run.
 */
export function idOrSkip(row: Row, column: string, onBad: (problem: string) => void): number | null {
  try {
    return int(row, column)
  } catch (error) {
    if (!(error instanceof UnsafeStoredValue)) throw error
    onBad(`${error.message}: row skipped`)
    return null
  }
}

/**
 * A stored count (downloads, size, ...): null when NULL, and also when the stored value is not a
 * count (not a safe integer ≥ 0), which `onBad` hears of: such a number is read as unknown, never
 * published, and replaced by the next good read.
 */
export function countOrNull(row: Row, column: string, onBad: (problem: string) => void): number | null {
  try {
    const value = intOrNull(row, column)
    if (value === null || value >= 0) return value
    onBad(`column ${column}: ${value} is negative`)
    return null
  } catch (error) {
    if (!(error instanceof UnsafeStoredValue)) {
      // A text or real where a count belongs: as unreadable as a too large integer.
      const value = row[column]
      onBad(`column ${column}: ${describe(value)} is not an integer`)
      return null
    }
    onBad(error.message)
    return null
  }
}

function describe(value: SQLOutputValue | undefined): string {
  return value === undefined ? 'no such column' : value === null ? 'NULL' : typeof value
}

/** A stored JSON text parsed, or undefined when NULL or not JSON (a legacy or damaged value reads as none). */
export function storedJson(value: string | null): unknown {
  if (value === null) return undefined
  try {
    return JSON.parse(value) as unknown
  } catch {
    return undefined
  }
}
