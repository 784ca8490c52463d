/**
 * The static API's files within the index (render/api/files.ts through renderIndex): which files
 * exist, SVGs for own owners only, the shared-path rule, aggregates and feeds, on a hand-made world.
 */
import { describe, expect, it } from '@jest/globals'
import type { ApiOptions } from '../../src/render/api/files.js'
import { renderIndex } from '../../src/render/index-tree.js'
import { historyKey } from '../../src/store/api-history.js'
import { dayNumber } from '../../src/store/days.js'
import type { PackageHistory } from '../../src/types.js'
import { snapshot, version } from './snapshots.js'

const d = (day: string): number => dayNumber(day)

const world = [
  snapshot({ owner: 'acme', repo: 'tools', name: 'cli', type: 'npm', downloads: 10, versions: [version(1)] }),
  snapshot({ owner: 'acme', repo: 'tools', name: 'cli', type: 'container', downloads: 20, downloadsWeek: 7, versions: [version(2)] }),
  snapshot({ owner: 'acme', repo: 'xacc/alpine', name: 'xacc/alpine', type: 'container', downloads: 30, downloadsWeek: 9 }),
  snapshot({ owner: 'zeta', repo: 'app', name: 'web', type: 'npm', downloads: 5, downloadsWeek: 9, versions: [] })
]

const histories: Record<string, Map<string, PackageHistory>> = {
  acme: new Map([
    [historyKey('container', 'cli'), { bars: [[d('2026-10-01'), 4]], totals: [[d('2026-10-02'), 20]], priorTotal: null }],
    [historyKey('npm', 'cli'), { bars: [[d('2026-10-01'), 100]], totals: [], priorTotal: null }],
    [historyKey('container', 'xacc/alpine'), { bars: [[d('2026-10-01'), 1], [d('2026-10-02'), 2]], totals: [[d('2026-10-02'), 30]], priorTotal: null }]
  ])
}

const api: ApiOptions = {
  rawBase: 'https://raw.githubusercontent.com/me/idx/index',
  serverUrl: 'https://github.com',
  registryHost: 'ghcr.io',
  svgOwners: ['ACME'],
  timestamp: 1_790_000_000,
  histories: (owner) => histories[owner] ?? new Map(),
  changes: [{ action: 'delete', owner: 'gone', repo: null, name: 'old', type: 'npm', time: 1_789_999_000 }],
  paste: []
}

const files = renderIndex(world, { date: '2026-10-03', readmeTemplate: '<BADGES>', placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'idx', branch: 'index' }, api })
const json = (path: string): unknown => JSON.parse(files.get(path) ?? 'null')

describe('the static API in the index', () => {
  it('writes each package’s files once, the first type in order keeping a shared path', () => {
    // container < npm: the container `cli` keeps tools/cli.api/ as it keeps tools/cli.json.
    expect(json('acme/tools/cli.api/package.json')).toMatchObject({ type: 'container', versions: 1, newest: { id: 2 } })
    expect(json('acme/tools/cli.api/badges/size.json')).toMatchObject({ label: 'image size' })
    expect(json('list.json')).toEqual({ packageNames: ['acme/tools/cli', 'acme/xacc%2Falpine/xacc%2Falpine', 'zeta/app/web'] })
  })

  it('draws SVGs for own owners (compared case-insensitively) and the root only', () => {
    expect(files.has('acme/tools/cli.api/badges/downloads.svg')).toBe(true)
    expect(files.has('acme/~badges/packages.svg')).toBe(true)
    expect(files.has('zeta/app/web.api/badges/downloads.svg')).toBe(false)
    expect(files.has('zeta/app/web.api/badges/downloads.json')).toBe(true)
    expect(files.has('zeta/~badges/packages.svg')).toBe(false)
    expect(files.has('~badges/packages.svg')).toBe(true)
  })

  it('sums the published packages’ series per owner and repository, names in their URL form', () => {
    expect(json('acme/~history.json')).toEqual({ owner: 'acme', start: '2026-10-01', end: '2026-10-02', daily: [5, 2], totals: [-1, 50] })
    expect(json('acme/xacc%2Falpine/~history.json')).toEqual({ owner: 'acme', repo: 'xacc%2Falpine', start: '2026-10-01', end: '2026-10-02', daily: [1, 2], totals: [-1, 30] })
    expect(json('acme/~badges/downloads.json')).toMatchObject({ message: '50' })
    expect(json('acme/tools/~badges/packages.json')).toMatchObject({ message: '1' })
    // A package without any stored day: its own date stands for the series.
    expect(json('zeta/app/web.api/history.json')).toMatchObject({ start: '2026-10-02', end: '2026-10-02', daily: [-1], totals: [-1] })
    expect(json('zeta/~history.json')).toEqual({ owner: 'zeta', start: '2026-10-02', end: '2026-10-02', daily: [-1], totals: [-1] })
  })

  it('writes the root feeds with the run’s time only in statistics and changes', () => {
    expect(json('statistics.json')).toEqual({
      timestamp: 1_790_000_000,
      // owners, repos and packages as in the root .json; versions and downloads over the package files
      // (the npm `cli` that shares the container's file is not published).
      totals: { owners: 2, repos: 3, packages: 4, versions: 3, downloads: 55 },
      start: '2026-10-01',
      daily: [5, 2]
    })
    expect(json('changes.json')).toEqual({ timestamp: 1_790_000_000, since: 1_789_395_200, actions: [{ type: 'delete', package: 'gone/old/old', time: 1_789_999_000 }] })
    // By last-week downloads, ties by name.
    expect(json('popular.json')).toMatchObject({
      total: 3,
      packages: [{ name: 'acme/xacc%2Falpine/xacc%2Falpine', downloads_week: 9 }, { name: 'zeta/app/web', downloads_week: 9 }, { name: 'acme/tools/cli', downloads_week: 7 }]
    })
    expect(files.get('README.md')).toBe('_No packages of the repository owner are indexed yet._\n')
  })
})
