/**
 * The database against strangers' data (SPEC 12), with the real node:sqlite in a temporary file:
 * unsafe numbers refused at write time, legacy bad rows read without stopping the run, and
 * case-only renames that leave no ghost behind.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Store } from '../../src/store/store.js'
import type { PackageRef } from '../../src/types.js'
import { alpine, refresh, tmpDir, version } from './refresh-builder.js'

let tmp: ReturnType<typeof tmpDir>
let store: Store
let dbPath: string
let warnings: string[]

beforeEach(() => {
  tmp = tmpDir()
  dbPath = path.join(tmp.dir, 'backage.db')
  warnings = []
  store = Store.open(dbPath, { warn: (message) => warnings.push(message) })
})

afterEach(() => {
  store.close()
  tmp.dispose()
})

/** Runs SQL on the file directly, as an older or hand-made version of it would have. */
function raw<T>(work: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(dbPath)
  try {
    return work(db)
  } finally {
    db.close()
  }
}

const UNSAFE = 2 ** 53 + 2
const widgets: PackageRef = { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'widgets', repo: 'widgets' }

describe('Store refuses unsafe values at write time', () => {
  it('keeps the known total when a read total is not a safe integer, and marks it stale', () => {
    store.savePackageRefresh(refresh({ downloads: 1000 }), 1)
    const saved = store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: UNSAFE }), 2)
    expect(saved.merged.isStale).toBe(true)
    expect(saved.refused).toEqual([`downloads ${UNSAFE} is not a safe integer ≥ 0`])
    const [snapshot] = store.snapshots()
    expect(snapshot).toMatchObject({ downloads: 1000, downloadsMonth: 300, date: '2026-03-02' })
    expect(snapshot?.stale).toEqual({ downloads: '2026-03-01' })
    expect(raw((db) => db.prepare('SELECT max(downloads) AS m FROM package_days').get())).toEqual({ m: 1000 })
  })

  it('never stores a version count that is not a safe integer; the rest of the refresh is stored', () => {
    store.savePackageRefresh(refresh({ versions: [version(1, 600), version(2, 400), version(3, 10)] }), 1)
    const saved = store.savePackageRefresh(
      refresh({ day: '2026-03-02', versions: [version(1, 650), version(2, UNSAFE)], versionsComplete: true }),
      2
    )
    expect(saved.refused).toHaveLength(1)
    // Version 2 keeps its number; version 3 is not deleted on the evidence of a list with a refused row.
    expect(store.snapshots()[0]?.versions.map((x) => [x.id, x.downloads])).toEqual([
      [1, 650],
      [2, 400],
      [3, 10]
    ])
  })

  it('refuses, writing nothing, an unsafe owner id, an invalid name or login', () => {
    expect(() => store.savePackageRefresh(refresh({ ownerId: UNSAFE }), 1)).toThrow(/owner id/)
    expect(() => store.savePackageRefresh(refresh({ ref: { ...alpine, name: 'tools/../x' } }), 1)).toThrow(/package name/)
    expect(() => store.savePackageRefresh(refresh({ ref: { ...alpine, owner: 'bad login' } }), 1)).toThrow(/owner/)
    expect(() => store.upsertOwner({ login: 'acme', id: UNSAFE, type: 'User' }, '2026-03-01T00:00:00Z')).toThrow(/safe integer/)
    expect(() => store.upsertOwner({ login: '../etc' }, '2026-03-01T00:00:00Z')).toThrow(/valid login/)
    expect(store.listPackages()).toEqual([])
    expect(store.listOwners()).toEqual([])
  })

  it('never stores a package under the id of another owner', () => {
    store.upsertOwner({ login: 'acme', id: 42, type: 'Organization' }, '2026-03-01T00:00:00Z')
    expect(() => store.savePackageRefresh(refresh({ ownerId: 7 }), 1)).toThrow(/owner acme has id 42, not 7/)
    expect(store.listPackages()).toEqual([])
  })
})

describe('Store reads legacy bad rows without stopping the run', () => {
  it('reads a stored total of 9007199254740993 as unknown, stale, with a warning, and the next good read replaces it', () => {
    store.savePackageRefresh(refresh({ ref: widgets, versions: [version(1, 5), version(2, 6)] }), 1)
    store.savePackageRefresh(refresh(), 1)
    store.close()
    // Reported: such a row made every later run exit 1.
    raw((db) => {
      db.prepare('UPDATE package_days SET downloads = ? WHERE pkg = 1').run(9007199254740993n)
      db.prepare('UPDATE versions SET downloads = ? WHERE pkg = 1 AND id = 1').run(9007199254740993n)
      db.prepare('UPDATE versions SET id = ? WHERE pkg = 1 AND id = 2').run(9223372036854775807n)
      expect(() => db.prepare('SELECT downloads FROM package_days').all()).toThrow(/too large/)
    })
    store = Store.open(dbPath, { warn: (message) => warnings.push(message) })

    const snapshots = store.snapshots()
    expect(snapshots.map((s) => s.name)).toEqual(['tools/alpine', 'widgets'])
    const bad = snapshots[1]
    expect(bad).toMatchObject({ downloads: -1, downloadsMonth: 300, stale: { downloads: null } })
    expect(bad?.versions.map((x) => [x.id, x.downloads])).toEqual([[1, -1]]) // the unreadable id is skipped
    expect(snapshots[0]).toMatchObject({ downloads: 1000, stale: {} })
    expect(warnings.some((m) => m.includes('9007199254740993'))).toBe(true)
    expect(store.listPackages().map((p) => p.ref.name)).toEqual(['tools/alpine', 'widgets'])

    // Refreshing the package over its bad row works and clears the marker.
    const saved = store.savePackageRefresh(refresh({ ref: widgets, day: '2026-03-01', at: '2026-03-01T12:00:00.000Z', versions: [version(1, 7)], versionsComplete: false }), 2)
    expect(saved.merged.isStale).toBe(false)
    expect(store.snapshots()[1]).toMatchObject({ downloads: 1000, stale: {} })
    expect(store.snapshots()[1]?.versions.map((x) => [x.id, x.downloads])).toEqual([[1, 7]])
  })

  it('reads unreadable owner ids and queue state as unknown', () => {
    store.upsertOwner({ login: 'acme', id: 42, type: 'Organization' }, '2026-03-01T00:00:00Z')
    store.savePackageRefresh(refresh({ versionCount: 5 }), 1)
    store.close()
    raw((db) => {
      db.prepare('UPDATE owners SET id = ?').run(9007199254740993n)
      db.prepare('UPDATE packages SET version_count = ?, refreshed_cycle = ?').run(9007199254740993n, 9007199254740993n)
    })
    store = Store.open(dbPath, { warn: (message) => warnings.push(message) })
    expect(store.listOwners()).toEqual([expect.objectContaining({ login: 'acme', id: null })])
    expect(store.listPackages()).toEqual([expect.objectContaining({ versionCount: null, refreshedCycle: 0 })])
    expect(store.minRefreshedCycle()).toBeNull()
    expect(warnings.length).toBeGreaterThanOrEqual(2)
  })

  it('reads a malformed stale column as no marker', () => {
    store.savePackageRefresh(refresh(), 1)
    raw((db) => db.prepare(`UPDATE packages SET stale = '{"downloads": {"day": 5}, "size": {"day": "2026-01-01"}, nope'`).run())
    expect(store.snapshots()[0]?.stale).toEqual({})
    raw((db) => db.prepare(`UPDATE packages SET stale = '{"downloads": {"day": 5}, "size": {"day": "2026-01-01"}}'`).run())
    expect(store.snapshots()[0]?.stale).toEqual({ size: '2026-01-01' })
  })
})

describe('Store: failed refreshes', () => {
  const problem = { page: 'http://127.0.0.1/orgs/acme/packages/npm/package/widgets', marker: 'HTTP 500' }
  const failure = (day: string) => ({ ref: widgets, ownerId: 42, day, at: `${day}T10:00:00.000Z`, problem })

  it('marks every number of a known package stale with its day, and leaves its queue state alone', () => {
    store.savePackageRefresh(refresh({ ref: widgets }), 3)
    const saved = store.savePackageFailure(failure('2026-03-02'))
    expect(saved.merged.isStale).toBe(true)
    const [snapshot] = store.snapshots()
    expect(snapshot).toMatchObject({ date: '2026-03-01', downloads: 1000, downloadsMonth: 300 })
    expect(snapshot?.stale).toEqual({ downloads: '2026-03-01', downloads_month: '2026-03-01', downloads_week: '2026-03-01', downloads_day: '2026-03-01' })
    expect(store.listPackages()[0]).toMatchObject({ lastRefresh: '2026-03-01T10:00:00.000Z', refreshedCycle: 3 })
  })

  it('publishes a new package that failed with −1 and null markers; a retired one listed again comes back marked', () => {
    store.savePackageFailure(failure('2026-03-01'))
    expect(store.snapshots()[0]).toMatchObject({ downloads: -1, stale: { downloads: null, downloads_day: null } })
    store.retirePackage(widgets)
    expect(store.snapshots()).toEqual([])
    store.savePackageFailure(failure('2026-03-02'))
    expect(store.snapshots()[0]).toMatchObject({ downloads: -1, stale: { downloads: null } })
  })
})

describe('Store: names (SPEC 12)', () => {
  const cased = (name: string): PackageRef => ({ ...widgets, name })

  it('a rename that changes only case updates the stored package, with its history', () => {
    store.savePackageRefresh(refresh({ ref: cased('Widgets'), downloads: 100 }), 1)
    store.savePackageRefresh(refresh({ ref: cased('widgets'), day: '2026-03-02', downloads: 150 }), 2)
    const snapshots = store.snapshots()
    expect(snapshots.map((s) => [s.name, s.downloads, s.date])).toEqual([['widgets', 150, '2026-03-02']])
    expect(raw((db) => db.prepare('SELECT count(*) AS n FROM package_days').get())).toEqual({ n: 2 })
    store.retirePackage(cased('WIDGETS'))
    expect(store.snapshots()).toEqual([])
  })

  it('merges a ghost duplicate left by an older version into one package', () => {
    // What older versions stored: the old spelling stopped on day 1, the ghost went on from day 2.
    store.savePackageRefresh(refresh({ ref: cased('Widgets'), downloads: 100, versions: [version(1, 10), version(2, 20)] }), 1)
    store.close()
    raw((db) => {
      db.exec(`INSERT INTO packages (pkg, owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
               VALUES (7, 'acme', 'orgs', 'npm', 'widgets', 'widgets', 42, '2026-03-02T10:00:00Z', '2026-03-02')`)
      db.exec(`INSERT INTO package_days (pkg, day, downloads) VALUES (7, 20514, 130)`) // 2026-03-02
      db.exec(`INSERT INTO versions (pkg, id, name, last_seen, downloads) VALUES (7, 2, '2.0.0', 20514, 25)`)
    })
    store = Store.open(dbPath)
    expect(store.snapshots()).toHaveLength(2) // the ghost, as it was published

    store.savePackageRefresh(refresh({ ref: cased('widgets'), day: '2026-03-03', downloads: 160, versions: [version(3, 1)], versionsComplete: false }), 2)
    const [only, ...others] = store.snapshots()
    expect(others).toEqual([])
    expect(only).toMatchObject({ name: 'widgets', downloads: 160, date: '2026-03-03' })
    // Both histories, the ghost's (newer) rows winning where both had one.
    expect(only?.versions.map((x) => [x.id, x.downloads])).toEqual([
      [1, 10],
      [2, 25],
      [3, 1]
    ])
    expect(raw((db) => db.prepare('SELECT day, downloads FROM package_days ORDER BY day').all())).toEqual([
      { day: 20513, downloads: 100 },
      { day: 20514, downloads: 130 },
      { day: 20515, downloads: 160 }
    ])
    expect(store.listPackages()).toEqual([expect.objectContaining({ firstSeen: '2026-03-01T10:00:00.000Z' })])
  })
})
