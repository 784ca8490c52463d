/**
 * Small typed helpers over node:sqlite: a cache of prepared statements, a transaction wrapper that
 * nests (so a caller can batch many writes in one transaction), and readers that turn the untyped
 * column values of a row into checked TypeScript values.
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

export function int(row: Row, column: string): number {
  const value = row[column]
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  throw new Error(`column ${column}: expected an integer, got ${describe(value)}`)
}

export function intOrNull(row: Row, column: string): number | null {
  const value = row[column]
  return value === null || value === undefined ? null : int(row, column)
}

function describe(value: SQLOutputValue | undefined): string {
  return value === undefined ? 'no such column' : value === null ? 'NULL' : typeof value
}
