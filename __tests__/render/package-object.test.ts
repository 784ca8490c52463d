import { describe, expect, it } from '@jest/globals'
import { competitionRanks, packageObject, packageObjects } from '../../src/render/package-object.js'
import { snapshot, version } from './snapshots.js'

const PACKAGE_KEYS = [
  'owner_type', 'package_type', 'owner_id', 'owner', 'repo', 'package', 'date', 'size', 'versions', 'tagged',
  'owner_rank', 'repo_rank', 'downloads', 'downloads_month', 'downloads_week', 'downloads_day', 'raw_size',
  'raw_versions', 'raw_tagged', 'raw_owner_rank', 'raw_repo_rank', 'raw_downloads', 'raw_downloads_month',
  'raw_downloads_week', 'raw_downloads_day', 'version'
]
const VERSION_KEYS = [
  'id', 'name', 'date', 'newest', 'latest', 'size', 'downloads', 'downloads_month', 'downloads_week',
  'downloads_day', 'raw_size', 'raw_downloads', 'raw_downloads_month', 'raw_downloads_week', 'raw_downloads_day',
  'tags'
]

describe('packageObject', () => {
  it('has the keys of SPEC 6.2 in order, with formatted and raw values', () => {
    const object = packageObject(snapshot({ name: 'xacc/alpine' }), { owner: 2, repo: 1 })
    expect(Object.keys(object)).toEqual(PACKAGE_KEYS)
    for (const v of object.version) expect(Object.keys(v)).toEqual(VERSION_KEYS)
    expect(object).toMatchObject({
      owner_type: 'orgs',
      package_type: 'container',
      owner_id: 42,
      owner: 'acme',
      repo: 'tools',
      package: 'xacc%2Falpine',
      date: '2026-10-02',
      downloads: '4.1k',
      downloads_month: '1.5M',
      downloads_week: '999.9k',
      downloads_day: '999',
      owner_rank: '2',
      raw_owner_rank: 2,
      raw_repo_rank: 1,
      raw_downloads: 4181,
      raw_versions: 2,
      versions: '2',
      raw_tagged: 1,
      tagged: '1'
    })
  })

  it('sorts versions by numeric id and marks newest and the version tagged latest', () => {
    const object = packageObject(
      snapshot({ versions: [version(10, { tags: ['latest'] }), version(9), version(100, { tags: ['dev'] })] }),
      { owner: 1, repo: 1 }
    )
    expect(object.version.map((v) => v.id)).toEqual([9, 10, 100])
    expect(object.version.map((v) => v.newest)).toEqual([false, false, true])
    expect(object.version.map((v) => v.latest)).toEqual([false, true, false])
  })

  it('takes the newest tagged version as latest when none is tagged latest', () => {
    const object = packageObject(
      snapshot({ versions: [version(1, { tags: ['v1'] }), version(2, { tags: ['v2'] }), version(3)] }),
      { owner: 1, repo: 1 }
    )
    expect(object.version.map((v) => v.latest)).toEqual([false, true, false])
    expect(object.version.map((v) => v.newest)).toEqual([false, false, true])
  })

  it('takes the newest version as latest when nothing is tagged', () => {
    const object = packageObject(snapshot({ type: 'maven', versions: [version(5), version(7), version(6)] }), {
      owner: 1,
      repo: 1
    })
    expect(object.version.filter((v) => v.latest).map((v) => v.id)).toEqual([7])
    expect(object.raw_tagged).toBe(0)
  })

  it('takes the package size from the newest version whose size is known', () => {
    const sized = packageObject(
      snapshot({ versions: [version(1, { size: 2131096524 }), version(2, { size: 87996604 }), version(3)] }),
      { owner: 1, repo: 1 }
    )
    expect(sized.raw_size).toBe(87996604)
    expect(sized.size).toBe('87.9 MB')
    expect(sized.version[0]?.size).toBe('2.1 GB')
    const unsized = packageObject(snapshot({ versions: [version(1)] }), { owner: 1, repo: 1 })
    expect([unsized.size, unsized.raw_size]).toEqual(['-1', -1])
  })

  it('has no versions and no latest for a package without versions', () => {
    const object = packageObject(snapshot({ versions: [] }), { owner: 1, repo: 1 })
    expect(object.version).toEqual([])
    expect(object.raw_versions).toBe(0)
  })

  it('adds the stale object after version, only when something is stale, in a fixed key order', () => {
    const fresh = packageObject(snapshot(), { owner: 1, repo: 1 })
    expect('stale' in fresh).toBe(false)
    const stale = packageObject(snapshot({ stale: { size: '2026-09-01', downloads: '2026-09-30' } }), {
      owner: 1,
      repo: 1
    })
    expect(Object.keys(stale)).toEqual([...PACKAGE_KEYS, 'stale'])
    expect(JSON.stringify(stale.stale)).toBe('{"downloads":"2026-09-30","size":"2026-09-01"}')
  })
})

describe('ranks', () => {
  it('uses competition ranking (1, 1, 3)', () => {
    expect(competitionRanks([5, 10, 10, 1])).toEqual([3, 1, 1, 4])
  })

  it('ranks within the owner and within the repo', () => {
    const objects = packageObjects([
      snapshot({ name: 'a', repo: 'r1', downloads: 100 }),
      snapshot({ name: 'b', repo: 'r1', downloads: 300 }),
      snapshot({ name: 'c', repo: 'r2', downloads: 300 }),
      snapshot({ name: 'd', repo: 'r2', downloads: 50 }),
      snapshot({ owner: 'other', name: 'e', repo: 'r1', downloads: 1 })
    ])
    expect(objects.map((o) => [o.package, o.raw_owner_rank, o.raw_repo_rank])).toEqual([
      ['a', 3, 2],
      ['b', 1, 1],
      ['c', 1, 1],
      ['d', 4, 2],
      ['e', 1, 1]
    ])
  })
})
