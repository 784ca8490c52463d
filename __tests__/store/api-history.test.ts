/**
 * Migration 4 (SPEC 10): chart bars per package and day, a later reading replacing an earlier one;
 * the series read back per owner; and the changes log recorded during refresh, retirement and opt-out.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { historyKey } from '../../src/store/api-history.js'
import { dayNumber } from '../../src/store/days.js'
import { migrate } from '../../src/store/schema.js'
import { Store } from '../../src/store/store.js'
import type { DailyCount } from '../../src/types.js'
import { alpine, refresh, tmpDir } from './refresh-builder.js'

let tmp: ReturnType<typeof tmpDir>
let store: Store

beforeEach(() => {
  tmp = tmpDir()
  store = Store.open(path.join(tmp.dir, 'backage.db'))
})

afterEach(() => {
  store.close()
  tmp.dispose()
})

const d = (day: string): number => dayNumber(day)
const chart = (pairs: [string, number][]): DailyCount[] => pairs.map(([date, count]) => ({ date, count }))
const key = historyKey(alpine.type, alpine.name)
const epoch = (iso: string): number => Date.parse(iso) / 1000

describe('chart bars', () => {
  it('keeps the union of readings, a later reading of a day replacing the earlier one', () => {
    store.savePackageRefresh(refresh({ day: '2026-03-01', chart: chart([['2026-02-27', 5], ['2026-02-28', 6]]) }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: 1010, chart: chart([['2026-02-28', 9], ['2026-03-01', 4]]) }), 1)
    // A reading whose chart was not understood adds no bars and removes none.
    store.savePackageRefresh(refresh({ day: '2026-03-03', downloads: 1020, chart: [] }), 1)
    expect(store.histories('ACME').get(key)).toEqual({
      bars: [[d('2026-02-27'), 5], [d('2026-02-28'), 9], [d('2026-03-01'), 4]],
      totals: [[d('2026-03-01'), 1000], [d('2026-03-02'), 1010], [d('2026-03-03'), 1020]],
      priorTotal: null
    })
  })

  it('stores the days a listing confirmation derived as 0, never over a bar, until a chart covers them (SPEC 13.1)', () => {
    store.savePackageRefresh(refresh({ day: '2026-03-01', chart: chart([['2026-02-27', 5], ['2026-02-28', 6]]) }), 1)
    // Confirmed by the listing on 03-03: 02-28 (a bar already) and 03-01, 03-02 derived as 0.
    const derived = chart([['2026-02-28', 0], ['2026-03-01', 0], ['2026-03-02', 0]])
    store.savePackageRefresh(refresh({ day: '2026-03-03', chart: [], derived }), 1)
    expect(store.histories('acme').get(key)?.bars).toEqual([[d('2026-02-27'), 5], [d('2026-02-28'), 6], [d('2026-03-01'), 0], [d('2026-03-02'), 0]])
    // A later chart replaces the derived days.
    store.savePackageRefresh(refresh({ day: '2026-03-04', chart: chart([['2026-03-01', 3], ['2026-03-02', 4]]) }), 1)
    expect(store.histories('acme').get(key)?.bars).toEqual([[d('2026-02-27'), 5], [d('2026-02-28'), 6], [d('2026-03-01'), 3], [d('2026-03-02'), 4]])
  })

  it('reads the 365 days ending on the newest known day, and the newest total before them', () => {
    store.savePackageRefresh(refresh({ day: '2025-01-01', downloads: 10, chart: chart([['2024-12-31', 1]]) }), 1)
    store.savePackageRefresh(refresh({ day: '2025-06-01', downloads: 20, chart: [] }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-01', downloads: 30, chart: chart([['2026-02-28', 2]]) }), 1)
    expect(store.histories('acme').get(key)).toEqual({
      bars: [[d('2026-02-28'), 2]],
      totals: [[d('2025-06-01'), 20], [d('2026-03-01'), 30]],
      priorTotal: 10
    })
  })

  it('refuses a bar that is not a safe count, storing nothing of that refresh', () => {
    expect(() => store.savePackageRefresh(refresh({ chart: chart([['2026-02-28', 1e30]]) }), 1)).toThrow(/not a count/)
    expect(store.snapshots()).toEqual([])
  })
})

describe('changes log', () => {
  it('records an update when the package file changes, not when a reading changes nothing', () => {
    store.savePackageRefresh(refresh({ at: '2026-03-01T10:00:00.000Z' }), 1)
    store.savePackageRefresh(refresh({ at: '2026-03-01T12:00:00.000Z' }), 1)
    expect(store.changes(0)).toEqual([
      { action: 'update', owner: 'acme', repo: 'images', name: 'tools/alpine', type: 'container', time: epoch('2026-03-01T10:00:00.000Z') }
    ])
    store.savePackageRefresh(refresh({ at: '2026-03-01T14:00:00.000Z', downloads: 1001 }), 1)
    expect(store.changes(0).map((c) => c.time)).toEqual([epoch('2026-03-01T14:00:00.000Z')])
    // A new day changes the package's date, which is a change of the file.
    store.savePackageRefresh(refresh({ day: '2026-03-02', at: '2026-03-02T10:00:00.000Z', downloads: 1001 }), 1)
    expect(store.changes(0).map((c) => c.time)).toEqual([epoch('2026-03-02T10:00:00.000Z')])
  })

  it('records deletes on retirement and opt-out, and forgets changes older than 7 days', () => {
    const before = Math.floor(Date.now() / 1000)
    store.savePackageRefresh(refresh({ at: new Date().toISOString() }), 1)
    const other = { ...alpine, name: 'other', repo: null }
    store.savePackageRefresh(refresh({ ref: other, at: new Date().toISOString() }), 1)
    store.retirePackage(alpine)
    store.removeOptedOut([{ owner: 'acme', repo: 'other' }])
    const changes = store.changes(0)
    expect(changes.map((c) => [c.name, c.action, c.repo])).toEqual([
      ['other', 'delete', null],
      ['tools/alpine', 'delete', 'images']
    ])
    for (const change of changes) expect(change.time).toBeGreaterThanOrEqual(before)
    // A refresh 8 days later prunes what changes.json can no longer show.
    const later = new Date(Date.now() + 8 * 86_400_000).toISOString()
    store.savePackageRefresh(refresh({ ref: { ...alpine, name: 'third' }, day: later.slice(0, 10), at: later }), 1)
    expect(store.changes(0).map((c) => c.name)).toEqual(['third'])
  })
})

it('migrates a version-3 file to 4, keeping its rows', () => {
  const file = path.join(tmp.dir, 'v3.db')
  const db = new DatabaseSync(file)
  expect(migrate(db, 3)).toBe(3)
  db.exec(`INSERT INTO packages (pkg, owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
           VALUES (1, 'acme', 'orgs', 'npm', 'kit', 'web', 42, '2026-01-01T00:00:00Z', '2026-01-02')`)
  db.exec(`INSERT INTO package_days (pkg, day, downloads) VALUES (1, ${d('2026-01-02')}, 99)`)
  db.close()
  const migrated = Store.open(file)
  try {
    expect(migrated.histories('acme').get(historyKey('npm', 'kit'))).toEqual({ bars: [], totals: [[d('2026-01-02'), 99]], priorTotal: null })
    expect(migrated.changes(0)).toEqual([])
  } finally {
    migrated.close()
  }
})
