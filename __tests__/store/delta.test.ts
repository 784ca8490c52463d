/**
 * Shard deltas (SPEC 13.2) on real SQLite files: changes a shard makes to its copy of the database,
 * applied to another copy, give the same rows as making them there directly; deletions travel as
 * tombstones, new packages find their place whatever their row id, applying twice changes nothing,
 * and a later reading in the target is kept.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { copyFileSync } from 'node:fs'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Store } from '../../src/store/store.js'
import { alpine, refresh, tmpDir, version } from './refresh-builder.js'
import type { PackageRef } from '../../src/types.js'

let tmp: ReturnType<typeof tmpDir>
beforeEach(() => {
  tmp = tmpDir('backage-delta-')
})
afterEach(() => tmp.dispose())

const lib: PackageRef = { ownerType: 'users', owner: 'bob', type: 'npm', name: 'lib', repo: 'lib' }
const tools: PackageRef = { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'tools', repo: 'images' }
const gadget: PackageRef = { ownerType: 'users', owner: 'bob', type: 'maven', name: 'gadget', repo: null }

/** The base both shards and the merge start from: acme/alpine (versions 1, 2) and bob/lib. */
function base(file: string): void {
  const store = Store.open(file)
  store.upsertOwner({ login: 'acme', id: 42, type: 'Organization' }, '2026-03-01T00:00:00.000Z')
  store.upsertOwner({ login: 'bob', id: 7, type: 'User' }, '2026-03-01T00:00:00.000Z')
  store.savePackageRefresh(refresh(), 1)
  store.savePackageRefresh(refresh({ ref: lib, ownerId: 7, downloads: 50, versions: [version(10, 50, ['latest'])], versionCount: 1 }), 1)
  store.close()
}

/** What shard 1 (acme) does: alpine read again (version 1 gone, 3 new), a new package, the owner done. */
function shardAcme(store: Store): void {
  const day = '2026-03-02'
  store.savePackageRefresh(refresh({ day, at: `${day}T09:00:00.000Z`, downloads: 1500, versions: [version(2, 450, ['latest']), version(3, 100)] }), 2)
  store.savePackageRefresh(refresh({ ref: tools, day, at: `${day}T09:01:00.000Z`, downloads: 9, versions: [version(20, 9, ['latest'])] }), 2)
  store.markOwnerRefreshed('acme', `${day}T09:02:00.000Z`)
}

/** What shard 2 (bob) does: lib's page fails (stale), a new package appears, the owner fails. */
function shardBob(store: Store): void {
  const day = '2026-03-02'
  store.savePackageFailure({ ref: lib, ownerId: 7, day, at: `${day}T09:00:00.000Z`, problem: { page: 'https://github.com/x', marker: 'HTTP 500' } })
  store.savePackageRefresh(refresh({ ref: gadget, ownerId: 7, day, at: `${day}T09:03:00.000Z`, downloads: 3, versions: [version(30, 3)] }), 2)
  store.markOwnerFailed('bob', `${day}T09:04:00.000Z`, `${day}T10:04:00.000Z`)
}

/** Every row of every table, packages by identity rather than row id: what "the same database" means. */
function dump(file: string): unknown {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const id = `p.owner || '/' || p.type || '/' || p.name`
    return {
      owners: db.prepare('SELECT * FROM owners ORDER BY login').all(),
      meta: db.prepare('SELECT * FROM meta ORDER BY key').all(),
      packages: db.prepare(`SELECT ${id} AS id, p.* FROM packages p ORDER BY id`).all().map(({ pkg: _pkg, ...row }) => row),
      versions: db.prepare(`SELECT ${id} AS id, v.* FROM versions v JOIN packages p USING (pkg) ORDER BY id, v.id`).all().map(({ pkg: _pkg, ...row }) => row),
      versionDays: db.prepare(`SELECT ${id} AS id, v.* FROM version_days v JOIN packages p USING (pkg) ORDER BY id, v.id, v.day`).all().map(({ pkg: _pkg, ...row }) => row),
      packageDays: db.prepare(`SELECT ${id} AS id, d.* FROM package_days d JOIN packages p USING (pkg) ORDER BY id, d.day`).all().map(({ pkg: _pkg, ...row }) => row)
    }
  } finally {
    db.close()
  }
}

/** Runs `work` on a copy of the base with capture on and writes its delta. */
function shard(baseFile: string, name: string, work: (store: Store) => void): string {
  const file = path.join(tmp.dir, `${name}.db`)
  copyFileSync(baseFile, file)
  const store = Store.open(file)
  store.captureChanges()
  work(store)
  const delta = path.join(tmp.dir, `${name}.delta.db`)
  store.writeDelta(delta, { shard: name })
  store.close()
  return delta
}

function applied(baseFile: string, name: string, deltas: string[], before: (store: Store) => void = () => undefined): string {
  const file = path.join(tmp.dir, `${name}.db`)
  copyFileSync(baseFile, file)
  const store = Store.open(file)
  before(store)
  for (const delta of deltas) store.applyDelta(delta)
  store.close()
  return file
}

describe('shard deltas', () => {
  it('two shards applied to the base give the rows of one store that did both, and applying again changes nothing', () => {
    const baseFile = path.join(tmp.dir, 'base.db')
    base(baseFile)
    const reference = path.join(tmp.dir, 'reference.db')
    copyFileSync(baseFile, reference)
    const direct = Store.open(reference)
    shardAcme(direct)
    shardBob(direct)
    direct.close()

    const deltaAcme = shard(baseFile, 'acme', shardAcme)
    const deltaBob = shard(baseFile, 'bob', shardBob)
    const merged = applied(baseFile, 'merged', [deltaAcme, deltaBob])
    expect(dump(merged)).toEqual(dump(reference))

    const twice = applied(merged, 'twice', [deltaBob, deltaAcme, deltaAcme])
    expect(dump(twice)).toEqual(dump(reference))

    // The scenario's own numbers, read back through the store.
    const store = Store.open(twice)
    const byName = new Map(store.snapshots().map((p) => [p.name, p]))
    store.close()
    expect(byName.get('tools/alpine')?.downloads).toBe(1500)
    expect(byName.get('tools/alpine')?.versions.map((v) => v.id)).toEqual([2, 3]) // version 1's deletion travelled
    expect(byName.get('lib')).toMatchObject({ downloads: 50, stale: { downloads: '2026-03-01' } })
    expect(byName.get('gadget')?.downloads).toBe(3)
    expect(byName.get('tools')?.downloads).toBe(9)
  })

  it('carries the deletion a refresh makes and only the rows it changed', () => {
    const baseFile = path.join(tmp.dir, 'base.db')
    base(baseFile)
    const delta = shard(baseFile, 'acme', shardAcme)
    const db = new DatabaseSync(delta, { readOnly: true })
    const count = (sql: string): number => Number(db.prepare(sql).get()?.n)
    expect(count('SELECT count(*) AS n FROM packages')).toBe(2) // alpine and tools; bob/lib untouched
    expect(count('SELECT count(*) AS n FROM delta_deleted_versions WHERE id = 1')).toBe(1)
    expect(count(`SELECT count(*) AS n FROM owners WHERE login = 'bob'`)).toBe(0)
    expect(db.prepare('SELECT value FROM delta_info WHERE key = ?').get('shard')?.value).toBe('acme')
    db.close()
  })

  it('a ghost duplicate the shard merged (same name but for case) is gone in the target too', () => {
    const baseFile = path.join(tmp.dir, 'base.db')
    base(baseFile)
    // A row left by an older version: acme/container/TOOLS/ALPINE beside tools/alpine, with a day of its own.
    const db = new DatabaseSync(baseFile)
    db.exec(`INSERT INTO packages (owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
      VALUES ('acme', 'orgs', 'container', 'TOOLS/ALPINE', 'images', 42, '2026-02-01T00:00:00.000Z', '2026-02-01')`)
    db.exec(`INSERT INTO package_days (pkg, day, downloads) SELECT pkg, 20480, 700 FROM packages WHERE name = 'TOOLS/ALPINE'`)
    db.close()
    const reference = path.join(tmp.dir, 'reference.db')
    copyFileSync(baseFile, reference)
    const direct = Store.open(reference)
    shardAcme(direct)
    direct.close()
    const merged = applied(baseFile, 'merged', [shard(baseFile, 'acme', shardAcme)])
    expect(dump(merged)).toEqual(dump(reference))
    const check = new DatabaseSync(merged, { readOnly: true })
    expect(check.prepare(`SELECT count(*) AS n FROM packages WHERE lower(name) = 'tools/alpine'`).get()?.n).toBe(1)
    // The ghost's day (2026-01-27) moved into the package, as the shard's refresh did.
    expect(check.prepare(`SELECT count(*) AS n FROM package_days WHERE day = 20480`).get()?.n).toBe(1)
    check.close()
  })

  it('a package refreshed by two shards keeps the later reading, in whichever order they are applied', () => {
    const baseFile = path.join(tmp.dir, 'base.db')
    base(baseFile)
    const early = shard(baseFile, 'early', (store) => {
      store.savePackageRefresh(refresh({ day: '2026-03-02', at: '2026-03-02T05:00:00.000Z', downloads: 1100 }), 2)
    })
    const late = shard(baseFile, 'late', (store) => {
      store.savePackageRefresh(refresh({ day: '2026-03-02', at: '2026-03-02T07:00:00.000Z', downloads: 1200 }), 2)
    })
    for (const [name, order] of [['one', [early, late]], ['other', [late, early]]] as const) {
      const store = Store.open(applied(baseFile, name, [...order]))
      expect([name, store.snapshots().find((p) => p.name === alpine.name)?.downloads]).toEqual([name, 1200])
      store.close()
    }
  })

  it('keeps a later reading already in the target', () => {
    const baseFile = path.join(tmp.dir, 'base.db')
    base(baseFile)
    const delta = shard(baseFile, 'acme', shardAcme)
    const later = '2026-03-03'
    const merged = applied(baseFile, 'merged', [delta], (store) => {
      store.savePackageRefresh(refresh({ day: later, at: `${later}T08:00:00.000Z`, downloads: 2000 }), 2)
    })
    const store = Store.open(merged)
    const alpineNow = store.snapshots().find((p) => p.name === alpine.name)
    store.close()
    expect(alpineNow).toMatchObject({ downloads: 2000, date: later })
    expect(alpineNow?.versions.map((v) => v.id)).toEqual([1, 2]) // the later reading's versions, untouched
  })
})
