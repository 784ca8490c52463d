/**
 * Thinning the per-version history (SPEC 13.4) on a hand-made database: every row is written here
 * with its UTC day, and the rows expected to stay are listed by hand.
 */
import { describe, expect, it } from '@jest/globals'
import { DatabaseSync } from 'node:sqlite'
import { migrate } from '../../src/store/schema.js'
import { Sql } from '../../src/store/sql.js'
import { dayNumber, dayString } from '../../src/store/days.js'
import { thinVersionHistory } from '../../src/store/thinning.js'

// 400 days before 2026-11-29 is 2025-10-25: rows before that day are thinned.
const TODAY = dayNumber('2026-11-29')

const VERSION_ROWS: [pkg: number, id: number, day: string][] = [
  [1, 10, '2025-01-03'],
  [1, 10, '2025-01-17'],
  [1, 10, '2025-01-31'],
  [1, 10, '2025-02-10'],
  [1, 10, '2025-10-01'],
  [1, 10, '2025-10-20'],
  [1, 10, '2025-10-24'],
  [1, 10, '2025-10-25'],
  [1, 10, '2025-10-30'],
  [1, 10, '2025-12-01'],
  [1, 10, '2025-12-05'],
  [1, 11, '2024-12-31'],
  [1, 11, '2025-01-01'],
  [1, 11, '2025-01-05'],
  [2, 20, '2024-03-01'],
  [2, 20, '2024-03-15'],
  [1700, 30, '2024-05-02'],
  [1700, 30, '2024-05-09']
]

const EXPECTED_AFTER = [
  '1/10/2025-01-31',
  '1/10/2025-02-10',
  '1/10/2025-10-24', // the newest row of October before the cutoff
  '1/10/2025-10-25', // from the cutoff on, nothing is thinned
  '1/10/2025-10-30',
  '1/10/2025-12-01',
  '1/10/2025-12-05',
  '1/11/2024-12-31',
  '1/11/2025-01-05',
  '2/20/2024-03-15',
  '1700/30/2024-05-09'
]

function handMade(): { db: DatabaseSync; sql: Sql } {
  const db = new DatabaseSync(':memory:')
  migrate(db)
  const insert = db.prepare('INSERT INTO version_days (pkg, id, day, downloads) VALUES (?, ?, ?, ?)')
  VERSION_ROWS.forEach(([pkg, id, day], i) => insert.run(pkg, id, dayNumber(day), 100 + i))
  const daily = db.prepare('INSERT INTO package_days (pkg, day, downloads) VALUES (?, ?, ?)')
  for (const day of ['2024-06-01', '2024-06-02', '2024-06-03']) daily.run(1, dayNumber(day), 5)
  return { db, sql: new Sql(db) }
}

function versionRows(db: DatabaseSync): string[] {
  return db
    .prepare('SELECT pkg, id, day FROM version_days ORDER BY pkg, id, day')
    .all()
    .map((row) => `${String(row.pkg)}/${String(row.id)}/${dayString(Number(row.day))}`)
}

describe('thinVersionHistory', () => {
  it('keeps the newest row per version and month before the cutoff, and every later row', () => {
    const { db, sql } = handMade()
    const result = thinVersionHistory(sql, TODAY, Date.now() + 60_000)
    expect(result).toEqual({ deleted: 7, complete: true })
    expect(versionRows(db)).toEqual(EXPECTED_AFTER)
    // The package daily series is kept whole.
    expect(db.prepare('SELECT count(*) AS n FROM package_days').get()?.n).toBe(3)
    // Thinning again changes nothing.
    expect(thinVersionHistory(sql, TODAY, Date.now() + 60_000)).toEqual({ deleted: 0, complete: true })
  })

  it('stops at its deadline and goes on where it stopped in the next run', () => {
    const { db, sql } = handMade()
    expect(thinVersionHistory(sql, TODAY, Date.now() - 1)).toEqual({ deleted: 0, complete: false })
    expect(versionRows(db)).toHaveLength(VERSION_ROWS.length)
    expect(thinVersionHistory(sql, TODAY, Date.now() + 60_000)).toEqual({ deleted: 7, complete: true })
    expect(versionRows(db)).toEqual(EXPECTED_AFTER)
  })
})
