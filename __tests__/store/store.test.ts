import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Store } from '../../src/store/store.js'
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../src/store/schema.js'
import { alpine, refresh, tmpDir, version } from './refresh-builder.js'

let tmp: ReturnType<typeof tmpDir>
let store: Store
let dbPath: string

beforeEach(() => {
  tmp = tmpDir()
  dbPath = path.join(tmp.dir, 'backage.db')
  store = Store.open(dbPath)
})

afterEach(() => {
  store.close()
  tmp.dispose()
})

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1)
  return items[0] as T
}

describe('Store: owners', () => {
  it('inserts owners once, case-insensitively, with their edges', () => {
    store.upsertOwner({ login: 'octo-dev' }, '2026-03-01T00:00:00Z')
    store.upsertOwner({ login: 'Octo-Dev', id: 7, type: 'User' }, '2026-03-02T00:00:00Z')
    store.addEdges('OCTO-DEV', ['stargazers', 'forks'])
    store.addEdges('octo-dev', ['stargazers'])
    const owner = only(store.listOwners())
    expect(owner).toEqual({
      login: 'Octo-Dev', // GitHub's spelling once the API confirmed it
      id: 7,
      type: 'User',
      firstSeen: '2026-03-01T00:00:00Z',
      lastRefresh: null,
      failures: 0,
      nextAttempt: null,
      edges: ['forks', 'stargazers']
    })
  })

  it('replaces discovery edges but keeps manual ones', () => {
    store.upsertOwner({ login: 'lena' }, '2026-03-01T00:00:00Z')
    store.addEdges('lena', ['file', 'stargazers', 'watchers'])
    store.replaceDiscoveryEdges('lena', ['forks'])
    expect(only(store.listOwners()).edges).toEqual(['file', 'forks'])
  })

  it('counts failures, resets them on success, and hides retired owners and their packages', () => {
    store.upsertOwner({ login: 'acme', id: 42, type: 'Organization' }, '2026-03-01T00:00:00Z')
    store.markOwnerFailed('acme', '2026-03-01T01:00:00Z', '2026-03-01T02:00:00Z')
    store.markOwnerFailed('acme', '2026-03-01T03:00:00Z', '2026-03-01T05:00:00Z')
    expect(only(store.listOwners())).toMatchObject({ failures: 2, nextAttempt: '2026-03-01T05:00:00Z' })
    store.markOwnerRefreshed('acme', '2026-03-01T06:00:00Z')
    expect(only(store.listOwners())).toMatchObject({ failures: 0, nextAttempt: null, lastRefresh: '2026-03-01T06:00:00Z' })

    store.savePackageRefresh(refresh(), 1)
    expect(store.snapshots()).toHaveLength(1)
    store.retireOwner('ACME')
    expect(store.listOwners()).toEqual([])
    expect(store.listPackages()).toEqual([])
    expect(store.snapshots()).toEqual([])
    // GitHub confirming the owner again (an id) brings it back with its history.
    store.upsertOwner({ login: 'acme', id: 42, type: 'Organization' }, '2026-03-05T00:00:00Z')
    expect(store.snapshots()).toHaveLength(1)
  })
})

describe('Store: package refreshes', () => {
  it('inserts an unknown package (and its owner) and lists its queue state', () => {
    store.savePackageRefresh(refresh({ versionsCursor: 3, versionCount: 120, versions: [version(5, 1, [], { size: { size: 900, platforms: { 'linux/amd64': 900 } } }), version(6, 2)] }), 4)
    const owner = only(store.listOwners())
    expect(owner).toMatchObject({ login: 'acme', id: 42, type: 'Organization' })
    const pkg = only(store.listPackages('ACME'))
    expect(pkg).toEqual({
      ref: alpine,
      ownerId: 42,
      firstSeen: '2026-03-01T10:00:00.000Z',
      lastRefresh: '2026-03-01T10:00:00.000Z',
      refreshedCycle: 4,
      versionsCursor: 3,
      versionsPassStartedAt: null,
      versionCount: 120,
      sizedVersionIds: new Set([5]),
      knownVersionIds: new Set([5, 6])
    })
    expect(store.listPackages('someone-else')).toEqual([])
  })

  it('maps to the snapshot read model', () => {
    store.savePackageRefresh(
      refresh({
        versions: [
          version(2, 400, ['latest'], { size: { size: 5000, platforms: { 'linux/amd64': 5000, 'linux/arm64': 4800 } } }),
          version(1, 600, ['1.0'], { windows: { day: 1, week: 5, month: 20 } })
        ]
      }),
      1
    )
    store.savePackageRefresh(
      refresh({ ref: { ownerType: 'users', owner: 'lena', type: 'npm', name: 'left-pad', repo: null }, ownerId: 9, downloads: 5, windows: null, versions: [version(10, 5)] }),
      1
    )
    const [acme, lena] = store.snapshots()
    expect(acme).toEqual({
      ownerType: 'orgs',
      type: 'container',
      ownerId: 42,
      owner: 'acme',
      repo: 'images',
      name: 'tools/alpine',
      date: '2026-03-01',
      downloads: 1000,
      downloadsMonth: 300,
      downloadsWeek: 70,
      downloadsDay: 10,
      versions: [
        { id: 1, name: version(1, 0).name, date: '2026-03-01', size: -1, downloads: 600, downloadsMonth: 20, downloadsWeek: 5, downloadsDay: 1, tags: ['1.0'] },
        { id: 2, name: version(2, 0).name, date: '2026-03-01', size: 5000, downloads: 400, downloadsMonth: -1, downloadsWeek: -1, downloadsDay: -1, tags: ['latest'] }
      ],
      stale: {}
    })
    // No repository: the folder is the package name; windows never known stay -1 (no stale marker: nothing kept).
    expect(lena).toMatchObject({ owner: 'lena', repo: 'left-pad', name: 'left-pad', downloads: 5, downloadsMonth: -1, stale: {} })
    expect(store.counts()).toEqual({ owners: 2, repos: 2, packages: 2 })
  })

  it('a second refresh the same UTC day replaces the first; a new day adds a row', () => {
    store.savePackageRefresh(refresh({ downloads: 1000 }), 1)
    store.savePackageRefresh(refresh({ downloads: 1010, at: '2026-03-01T20:00:00.000Z', versions: [version(1, 605, ['1.0']), version(2, 405, ['latest'])] }), 2)
    const db = new DatabaseSync(dbPath)
    try {
      expect(db.prepare('SELECT count(*) AS n FROM package_days').get()).toEqual({ n: 1 })
      expect(db.prepare('SELECT count(*) AS n FROM version_days').get()).toEqual({ n: 2 })
    } finally {
      db.close()
    }
    const first = only(store.snapshots())
    expect(first.downloads).toBe(1010)
    expect(first.versions.map((v) => v.downloads)).toEqual([605, 405])

    store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: 1100, versions: [version(1, 605, ['1.0']), version(2, 480, ['latest'])] }), 3)
    const next = only(store.snapshots())
    expect(next).toMatchObject({ date: '2026-03-02', downloads: 1100 })
    // Each version is dated by the day its numbers were read, unchanged or not.
    expect(next.versions.map((v) => [v.id, v.downloads, v.date])).toEqual([
      [1, 605, '2026-03-02'],
      [2, 480, '2026-03-02']
    ])
    const db2 = new DatabaseSync(dbPath)
    try {
      expect(db2.prepare('SELECT count(*) AS n FROM package_days').get()).toEqual({ n: 2 })
      // Version 1 did not change: its history gained no row.
      expect(db2.prepare('SELECT id, count(*) AS n FROM version_days GROUP BY id ORDER BY id').all()).toEqual([
        { id: 1, n: 1 },
        { id: 2, n: 2 }
      ])
    } finally {
      db2.close()
    }
  })

  it('keeps the last known numbers of a page not understood, marks them stale, and clears the marker on success', () => {
    store.savePackageRefresh(refresh({ day: '2026-03-01', downloads: 1000, windows: { day: 10, week: 70, month: 300 } }), 1)
    const problems = [{ page: 'http://127.0.0.1/orgs/acme/packages/container/package/tools%2Falpine', marker: 'Total downloads' }]
    // Day 2: total not understood, windows read.
    store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: null, windows: { day: 12, week: 75, month: 310 }, problems }), 2)
    expect(only(store.snapshots())).toMatchObject({
      date: '2026-03-02',
      downloads: 1000,
      downloadsMonth: 310,
      downloadsDay: 12,
      stale: { downloads: '2026-03-01' }
    })
    // Day 3: nothing understood: the markers keep the day of the original number, not of the copy.
    store.savePackageRefresh(refresh({ day: '2026-03-03', downloads: null, windows: null, problems }), 3)
    expect(only(store.snapshots())).toMatchObject({
      downloads: 1000,
      downloadsMonth: 310,
      downloadsWeek: 75,
      downloadsDay: 12,
      stale: { downloads: '2026-03-01', downloads_month: '2026-03-02', downloads_week: '2026-03-02', downloads_day: '2026-03-02' }
    })
    // Day 4: read again: fresh numbers, no markers.
    store.savePackageRefresh(refresh({ day: '2026-03-04', downloads: 1200, windows: { day: 3, week: 40, month: 290 } }), 4)
    expect(only(store.snapshots())).toMatchObject({ date: '2026-03-04', downloads: 1200, downloadsMonth: 290, stale: {} })
  })

  it('dates a package by the day its numbers were read: a refresh that reads none adds no day (SPEC 6.2)', () => {
    const problems = [{ page: 'http://127.0.0.1/orgs/acme/packages/container/package/tools%2Falpine', marker: 'Total downloads' }]
    store.savePackageRefresh(refresh({ day: '2026-03-01', downloads: 1000, windows: { day: 10, week: 70, month: 300 } }), 1)
    // Day 2: the layout changed, nothing understood: the numbers and their date stay those of day 1.
    store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: null, windows: null, problems }), 2)
    const stale = { downloads: '2026-03-01', downloads_month: '2026-03-01', downloads_week: '2026-03-01', downloads_day: '2026-03-01' }
    expect(only(store.snapshots())).toMatchObject({ date: '2026-03-01', downloads: 1000, downloadsMonth: 300, downloadsWeek: 70, downloadsDay: 10, stale })
    // Day 3: still not understood: nothing moves.
    store.savePackageRefresh(refresh({ day: '2026-03-03', downloads: null, windows: null, problems }), 3)
    expect(only(store.snapshots())).toMatchObject({ date: '2026-03-01', downloads: 1000, stale })
    const db = new DatabaseSync(dbPath)
    try {
      expect(db.prepare('SELECT count(*) AS n FROM package_days').get()).toEqual({ n: 1 })
    } finally {
      db.close()
    }
    // The queue bookkeeping still moved on.
    expect(only(store.listPackages())).toMatchObject({ lastRefresh: '2026-03-03T10:00:00.000Z', refreshedCycle: 3 })
  })

  it('dates a package by its fresh total when only the chart was not understood', () => {
    const problems = [{ page: 'http://127.0.0.1/orgs/acme/packages/container/package/tools%2Falpine', marker: 'Downloads for the last 30 days' }]
    store.savePackageRefresh(refresh({ day: '2026-03-01', downloads: 1000, windows: { day: 10, week: 70, month: 300 } }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: 1100, windows: null, problems }), 2)
    expect(only(store.snapshots())).toMatchObject({
      date: '2026-03-02',
      downloads: 1100,
      downloadsMonth: 300,
      downloadsWeek: 70,
      downloadsDay: 10
    })
    expect(only(store.snapshots()).stale).toEqual({ downloads_month: '2026-03-01', downloads_week: '2026-03-01', downloads_day: '2026-03-01' })
    // Day 3: nothing understood: the date and the total are day 2's, the windows keep day 1.
    store.savePackageRefresh(refresh({ day: '2026-03-03', downloads: null, windows: null, problems }), 3)
    expect(only(store.snapshots())).toMatchObject({
      date: '2026-03-02',
      downloads: 1100,
      downloadsMonth: 300,
      stale: { downloads: '2026-03-02', downloads_month: '2026-03-01', downloads_week: '2026-03-01', downloads_day: '2026-03-01' }
    })
  })

  it('a failed second read the same day keeps that day\'s numbers, marked stale with that day', () => {
    store.savePackageRefresh(refresh({ day: '2026-03-01', downloads: 1000 }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-01', at: '2026-03-01T20:00:00.000Z', downloads: null, windows: null }), 2)
    const snapshot = only(store.snapshots())
    expect(snapshot).toMatchObject({ date: '2026-03-01', downloads: 1000, downloadsMonth: 300 })
    expect(snapshot.stale).toEqual({ downloads: '2026-03-01', downloads_month: '2026-03-01', downloads_week: '2026-03-01', downloads_day: '2026-03-01' })
    const db = new DatabaseSync(dbPath)
    try {
      expect(db.prepare('SELECT count(*) AS n FROM package_days').get()).toEqual({ n: 1 })
    } finally {
      db.close()
    }
  })

  it('never overwrites a known number with an unknown one on a first stale read', () => {
    store.savePackageRefresh(refresh({ downloads: null, windows: null }), 1)
    // Never read, yet published (its versions are known): unknown numbers, nothing carried over.
    let snapshot = only(store.snapshots())
    expect(snapshot).toMatchObject({ date: '2026-03-01', downloads: -1, downloadsMonth: -1, downloadsWeek: -1, downloadsDay: -1 })
    expect(snapshot.stale).toEqual({})
    expect(store.counts()).toEqual({ owners: 1, repos: 1, packages: 1 })
    store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: null, windows: null }), 2)
    snapshot = only(store.snapshots())
    expect(snapshot).toMatchObject({ date: '2026-03-01', downloads: -1 })
    expect(snapshot.stale).toEqual({})
  })

  it('moves tags, keeps sizes, and deletes versions absent from a complete list', () => {
    const sized = { size: { size: 777, platforms: { 'linux/amd64': 777 } } }
    store.savePackageRefresh(
      refresh({ versions: [version(1, 10, ['latest', 'stable'], sized), version(2, 20, ['beta']), version(3, 30, ['old'])] }),
      1
    )
    // A partial read: version 4 takes `latest`; versions 1-3 not read keep their numbers and dates.
    store.savePackageRefresh(
      refresh({ day: '2026-03-02', versions: [version(4, 5, ['latest'])], versionsComplete: false }),
      2
    )
    let versions = only(store.snapshots()).versions
    expect(versions.map((v) => [v.id, v.tags, v.size, v.downloads, v.date])).toEqual([
      [1, ['stable'], 777, 10, '2026-03-01'],
      [2, ['beta'], -1, 20, '2026-03-01'],
      [3, ['old'], -1, 30, '2026-03-01'],
      [4, ['latest'], -1, 5, '2026-03-02']
    ])
    // A complete read without versions 2 and 3: they are gone; version 1's size is not cleared by a read without one.
    store.savePackageRefresh(refresh({ day: '2026-03-03', versions: [version(1, 11, ['stable']), version(4, 6, ['latest'])], versionsComplete: true }), 3)
    versions = only(store.snapshots()).versions
    expect(versions.map((v) => [v.id, v.size, v.downloads])).toEqual([
      [1, 777, 11],
      [4, -1, 6]
    ])
    expect(only(store.listPackages()).knownVersionIds).toEqual(new Set([1, 4]))
  })

  it('deletes the versions a complete pass over the versions pages did not see (SPEC 5.6)', () => {
    const many = { versionsComplete: false, versionCount: 5000 }
    store.savePackageRefresh(
      refresh({ ...many, at: '2026-03-01T10:00:00.000Z', versions: [1, 2, 3, 4, 5].map((id) => version(id, id)), versionsPassStartedAt: '2026-03-01T10:00:00.000Z' }),
      1
    )
    // A new pass starts with the refresh of day 2.
    store.savePackageRefresh(
      refresh({ ...many, day: '2026-03-02', versions: [version(5, 50, ['latest']), version(6, 6)], versionsPassStartedAt: '2026-03-02T10:00:00.000Z' }),
      2
    )
    expect(only(store.listPackages()).versionsPassStartedAt).toBe('2026-03-02T10:00:00.000Z')
    // A pass not complete (or complete without a start) deletes nothing.
    store.savePackageRefresh(refresh({ ...many, day: '2026-03-03', versions: [version(1, 1)], versionsPassStartedAt: '2026-03-02T10:00:00.000Z' }), 3)
    store.savePackageRefresh(refresh({ ...many, day: '2026-03-03', versions: [version(1, 1)], versionsPassStartedAt: null, versionsPassComplete: true }), 3)
    expect(only(store.listPackages()).knownVersionIds).toEqual(new Set([1, 2, 3, 4, 5, 6]))
    expect(only(store.listPackages()).versionsPassStartedAt).toBeNull()
    // Day 4 ends the pass begun on day 2: versions 3 and 4 were not seen since then.
    store.savePackageRefresh(
      refresh({ ...many, day: '2026-03-04', versions: [version(2, 2), version(6, 7)], versionsPassStartedAt: '2026-03-02T10:00:00.000Z', versionsPassComplete: true }),
      4
    )
    expect(only(store.listPackages()).knownVersionIds).toEqual(new Set([1, 2, 5, 6]))
    expect(only(store.snapshots()).versions.map((v) => v.id)).toEqual([1, 2, 5, 6])
    const db = new DatabaseSync(dbPath)
    try {
      expect(db.prepare('SELECT DISTINCT id FROM version_days ORDER BY id').all().map((row) => row.id)).toEqual([1, 2, 5, 6])
    } finally {
      db.close()
    }
    // A pass start after the refresh itself never deletes what this refresh saw.
    store.savePackageRefresh(
      refresh({ ...many, day: '2026-03-05', versions: [version(6, 8)], versionsPassStartedAt: '2026-03-09T00:00:00.000Z', versionsPassComplete: true }),
      5
    )
    expect(only(store.listPackages()).knownVersionIds).toEqual(new Set([6]))
    // A malformed pass start is refused before anything is written.
    expect(() => store.savePackageRefresh(refresh({ ...many, day: '2026-03-06', versions: [], versionsPassStartedAt: 'yesterday' }), 6)).toThrow(
      /versionsPassStartedAt/
    )
    expect(only(store.listPackages())).toMatchObject({ refreshedCycle: 5, versionsPassStartedAt: '2026-03-09T00:00:00.000Z' })
  })

  it('retires packages', () => {
    store.savePackageRefresh(refresh(), 1)
    store.retirePackage(alpine)
    expect(store.listPackages()).toEqual([])
    expect(store.snapshots()).toEqual([])
    expect(store.counts()).toEqual({ owners: 0, repos: 0, packages: 0 })
  })

  it('keeps meta values', () => {
    expect(store.getMeta('cycle')).toBeNull()
    store.setMeta('cycle', '3')
    store.setMeta('cycle', '4')
    expect(store.getMeta('cycle')).toBe('4')
  })

  it('batches many writes in one transaction and rolls all back on failure', () => {
    expect(() =>
      store.batch(() => {
        store.savePackageRefresh(refresh(), 1)
        store.setMeta('cycle', '1')
        throw new Error('boom')
      })
    ).toThrow('boom')
    expect(store.listPackages()).toEqual([])
    expect(store.getMeta('cycle')).toBeNull()
  })
})

describe('Store: opt-out', () => {
  beforeEach(() => {
    const pkg = (owner: string, name: string, repo: string | null) =>
      refresh({ ref: { ownerType: 'users', owner, type: 'npm', name, repo }, versions: [version(1, 1)] })
    store.savePackageRefresh(pkg('alice', 'a1', 'repo-a'), 1)
    store.savePackageRefresh(pkg('alice', 'a2', 'repo-a'), 1)
    store.savePackageRefresh(pkg('alice', 'a3', 'repo-b'), 1)
    store.savePackageRefresh(pkg('alice', 'solo', null), 1)
    store.savePackageRefresh(pkg('bob', 'scope/b1', 'repo-c'), 1)
    store.savePackageRefresh(pkg('carol', 'c1', 'repo-d'), 1)
    store.addEdges('carol', ['stargazers'])
  })

  const names = (): string[] => store.snapshots().map((p) => `${p.owner}/${p.repo}/${p.name}`)

  it('removes an owner, a repository or one package, case-insensitively, with their history', () => {
    expect(store.removeOptedOut([{ owner: 'ALICE', repo: 'Repo-A' }])).toBe(2)
    expect(store.removeOptedOut([{ owner: 'Bob', repo: 'REPO-C', package: 'scope%2Fb1' }])).toBe(1)
    expect(store.removeOptedOut([{ owner: 'alice', repo: 'solo', package: 'solo' }])).toBe(1)
    expect(names()).toEqual(['alice/repo-b/a3', 'carol/repo-d/c1'])
    expect(store.removeOptedOut([{ owner: 'CAROL' }])).toBe(1)
    expect(store.listOwners().map((o) => o.login)).toEqual(['alice', 'bob'])
    expect(names()).toEqual(['alice/repo-b/a3'])
    const db = new DatabaseSync(dbPath)
    try {
      expect(db.prepare('SELECT count(*) AS n FROM versions').get()).toEqual({ n: 1 })
      expect(db.prepare('SELECT count(*) AS n FROM version_days').get()).toEqual({ n: 1 })
      expect(db.prepare('SELECT count(*) AS n FROM package_days').get()).toEqual({ n: 1 })
      expect(db.prepare("SELECT count(*) AS n FROM owner_edges WHERE login = 'carol'").get()).toEqual({ n: 0 })
    } finally {
      db.close()
    }
  })
})

describe('Store: schema migrations', () => {
  it('migrates a version-1 file and keeps its rows', () => {
    const oldPath = path.join(tmp.dir, 'v1.db')
    const db = new DatabaseSync(oldPath)
    expect(migrate(db, 1)).toBe(1)
    db.exec(`INSERT INTO owners (login, id, type, first_seen) VALUES ('acme', 42, 'Organization', '2026-01-01T00:00:00Z')`)
    db.exec(`INSERT INTO packages (pkg, owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
             VALUES (1, 'acme', 'orgs', 'npm', 'kit', 'web', 42, '2026-01-01T00:00:00Z', '2026-01-01')`)
    db.exec(`INSERT INTO package_days (pkg, day, downloads, d_month, d_week, d_day) VALUES (1, 20454, 99, 30, 7, 1)`)
    db.exec(`INSERT INTO versions (pkg, id, name, tags, last_seen, downloads) VALUES (1, 5, '1.0.0', '["latest"]', 20454, 99)`)
    db.exec(`INSERT INTO version_days (pkg, id, day, downloads) VALUES (1, 5, 20454, 99)`)
    expect(() => db.prepare('SELECT stale FROM packages').all()).toThrow()
    db.close()

    const migrated = Store.open(oldPath)
    try {
      expect(only(migrated.snapshots())).toMatchObject({
        owner: 'acme',
        repo: 'web',
        name: 'kit',
        date: '2026-01-01',
        downloads: 99,
        stale: {},
        versions: [{ id: 5, name: '1.0.0', downloads: 99, tags: ['latest'], date: '2026-01-01' }]
      })
      // The new column works: a stale read records its marker.
      migrated.savePackageRefresh(
        refresh({ ref: { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'kit', repo: 'web' }, day: '2026-01-02', downloads: null, windows: null, versions: [] , versionsComplete: false}),
        1
      )
      expect(only(migrated.snapshots()).stale).toEqual({ downloads: '2026-01-01', downloads_month: '2026-01-01', downloads_week: '2026-01-01', downloads_day: '2026-01-01' })
    } finally {
      migrated.close()
    }
    const check = new DatabaseSync(oldPath)
    try {
      expect(schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION)
      expect(LATEST_SCHEMA_VERSION).toBe(4)
    } finally {
      check.close()
    }
  })

  it('migrates a version-2 file to 3 and keeps its rows; old versions count as seen at the end of their day', () => {
    const oldPath = path.join(tmp.dir, 'v2.db')
    const db = new DatabaseSync(oldPath)
    expect(migrate(db, 2)).toBe(2)
    db.exec(`INSERT INTO owners (login, id, type, first_seen) VALUES ('acme', 42, 'Organization', '2026-01-01T00:00:00Z')`)
    db.exec(`INSERT INTO packages (pkg, owner, owner_type, type, name, repo, owner_id, first_seen, last_seen, versions_cursor, stale)
             VALUES (1, 'acme', 'orgs', 'npm', 'kit', 'web', 42, '2026-01-01T00:00:00Z', '2026-01-02', 7, '{"size":{"day":"2026-01-01"}}')`)
    db.exec(`INSERT INTO package_days (pkg, day, downloads, d_month, d_week, d_day) VALUES (1, 20455, 99, 30, 7, 1)`)
    // Version 5 was last read on 2026-01-01, version 6 on 2026-01-02.
    db.exec(`INSERT INTO versions (pkg, id, name, tags, last_seen, downloads) VALUES (1, 5, '1.0.0', NULL, 20454, 40), (1, 6, '1.1.0', '["latest"]', 20455, 59)`)
    db.exec(`INSERT INTO version_days (pkg, id, day, downloads) VALUES (1, 5, 20454, 40), (1, 6, 20455, 59)`)
    expect(() => db.prepare('SELECT versions_pass_started_at FROM packages').all()).toThrow()
    db.close()

    const kit = { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'kit', repo: 'web' } as const
    const migrated = Store.open(oldPath)
    try {
      expect(only(migrated.snapshots())).toMatchObject({
        date: '2026-01-02',
        downloads: 99,
        stale: { size: '2026-01-01' },
        versions: [
          { id: 5, downloads: 40, date: '2026-01-01' },
          { id: 6, downloads: 59, date: '2026-01-02', tags: ['latest'] }
        ]
      })
      expect(only(migrated.listPackages())).toMatchObject({ versionsCursor: 7, versionsPassStartedAt: null, knownVersionIds: new Set([5, 6]) })
      // A pass begun during 2026-01-02 may have seen version 6 that day: it is kept; version 5 is gone.
      migrated.savePackageRefresh(
        refresh({
          ref: kit,
          day: '2026-01-03',
          versions: [version(7, 1)],
          versionsComplete: false,
          versionsPassStartedAt: '2026-01-02T06:00:00.000Z',
          versionsPassComplete: true
        }),
        1
      )
      expect(only(migrated.listPackages()).knownVersionIds).toEqual(new Set([6, 7]))
    } finally {
      migrated.close()
    }
    const check = new DatabaseSync(oldPath)
    try {
      expect(schemaVersion(check)).toBe(4)
      expect(check.prepare('SELECT count(*) AS n FROM version_days').get()).toEqual({ n: 2 })
    } finally {
      check.close()
    }
  })

  it('refuses a file from a newer schema', () => {
    const newer = path.join(tmp.dir, 'newer.db')
    const db = new DatabaseSync(newer)
    migrate(db)
    db.exec(`INSERT INTO schema_version (version) VALUES (${LATEST_SCHEMA_VERSION + 1})`)
    db.close()
    expect(() => Store.open(newer)).toThrow(/newer than this action knows/)
  })
})
