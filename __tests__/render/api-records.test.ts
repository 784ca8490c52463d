/**
 * The pure renderers of SPEC 10 against hand-written values: series and their sums, the package
 * record and install commands, version pages, download points, feeds and the ready-to-paste list.
 */
import { describe, expect, it } from '@jest/globals'
import { changesFeed, packagePath, popular, sharedPackageFiles, type PopularEntry } from '../../src/render/api/feeds.js'
import { packageSeries, SeriesSum } from '../../src/render/api/history.js'
import { downloadPoints, installCommand, packageRecord, versionPages } from '../../src/render/api/package-record.js'
import { pasteBadges, pasteBadgesMarkdown } from '../../src/render/api/paste.js'
import { packageObject } from '../../src/render/package-object.js'
import { dayNumber } from '../../src/store/days.js'
import type { PackageHistory } from '../../src/types.js'
import { snapshot, version } from './snapshots.js'

const ranks = { owner: 1, repo: 1 }
const d = (day: string): number => dayNumber(day)

describe('series', () => {
  const history: PackageHistory = {
    bars: [
      [d('2026-10-01'), 5],
      [d('2026-10-02'), 0],
      [d('2026-10-04'), 7]
    ],
    totals: [[d('2026-10-05'), 100]],
    priorTotal: null
  }

  it('one entry per day from the first to the newest known day, −1 where nothing is known', () => {
    expect(packageSeries(history, d('2026-10-05'))).toEqual({
      start: '2026-10-01',
      end: '2026-10-05',
      daily: [5, 0, -1, 7, -1],
      totals: [-1, -1, -1, -1, 100]
    })
    expect(packageSeries(undefined, d('2026-10-05'))).toEqual({ start: '2026-10-05', end: '2026-10-05', daily: [-1], totals: [-1] })
  })

  it('keeps at most the 365 days ending on the newest', () => {
    const long: PackageHistory = { bars: [[d('2025-01-01'), 1], [d('2026-01-01'), 2]], totals: [], priorTotal: null }
    const series = packageSeries(long, 0)
    expect(series).toMatchObject({ start: '2025-01-02', end: '2026-01-01' })
    expect(series.daily).toHaveLength(365)
    expect(series.daily[364]).toBe(2)
  })

  it('sums known bars and carries each package’s latest total forward', () => {
    const sum = new SeriesSum()
    sum.add(history, d('2026-10-05'))
    sum.add({ bars: [[d('2026-10-02'), 3]], totals: [[d('2026-10-02'), 40], [d('2026-10-04'), 50]], priorTotal: 30 }, d('2026-10-04'))
    // A package with no stored day counts on its date, with nothing known.
    sum.add(undefined, d('2026-10-03'))
    expect(sum.result()).toEqual({
      start: '2026-10-01',
      end: '2026-10-05',
      daily: [5, 3, -1, 7, -1],
      // 30 before the window (second package), 40 from 10-02, 50 from 10-04, plus 100 from 10-05.
      totals: [30, 40, 40, 50, 150]
    })
    expect(new SeriesSum().result()).toBeNull()
  })
})

describe('package record, pages and points', () => {
  const pkg = snapshot({
    ownerType: 'users',
    owner: 'Octo',
    type: 'npm',
    repo: 'kit',
    name: 'kit',
    date: '2026-10-06',
    downloads: 900,
    downloadsMonth: 60,
    downloadsWeek: 12,
    downloadsDay: 7,
    versions: [version(1, { name: '1.0.0' }), version(2, { name: '1.1.0', tags: ['latest'] }), version(3, { name: '2.0.0-rc', tags: ['next'] })],
    stale: { downloads: '2026-10-05' }
  })
  const object = packageObject(pkg, ranks)
  const history: PackageHistory = { bars: [[d('2026-10-04'), 3], [d('2026-10-05'), 7]], totals: [[d('2026-10-06'), 900]], priorTotal: null }

  it('normalizes the package, with stale before date', () => {
    const record = packageRecord(object, pkg, history, { serverUrl: 'https://ghe.example/', registryHost: 'npm.pkg.github.com' })
    expect(record).toEqual({
      name: 'kit',
      owner: 'Octo',
      repo: 'kit',
      type: 'npm',
      html_url: 'https://ghe.example/users/Octo/packages/npm/package/kit',
      install: 'npm install @octo/kit@1.1.0',
      latest: { id: 2, name: '1.1.0', tags: ['latest'] },
      newest: { id: 3, name: '2.0.0-rc', tags: ['next'] },
      versions: 3,
      tagged: 2,
      size: -1,
      downloads: { total: 900, last_day: 7, last_week: 12, last_month: 60, last_year: 10, last_year_complete: false },
      stale: { downloads: '2026-10-05' },
      date: '2026-10-06'
    })
    expect(Object.keys(record).slice(-2)).toEqual(['stale', 'date'])
  })

  it('writes the install command of each registry', () => {
    const of = (type: 'container' | 'maven' | 'nuget' | 'rubygems', name: string, versions = [version(5, { name: 'sha256:abc', tags: ['v1', 'latest'] })]) =>
      installCommand(packageObject(snapshot({ owner: 'Acme', type, name, versions }), ranks), name, 'ghcr.io')
    expect(of('container', 'Tools/Alpine')).toBe('docker pull ghcr.io/acme/tools/alpine:latest')
    expect(of('container', 'a', [version(5, { name: 'sha256:abc', tags: ['v1'] })])).toBe('docker pull ghcr.io/acme/a:v1')
    expect(of('container', 'a', [version(5, { name: 'sha256:abc' })])).toBe('docker pull ghcr.io/acme/a@sha256:abc')
    expect(of('container', 'a', [])).toBe('docker pull ghcr.io/acme/a')
    expect(of('maven', 'com.acme.core', [version(1, { name: '1.2.3' })])).toBe(
      '<dependency><groupId>com.acme</groupId><artifactId>core</artifactId><version>1.2.3</version></dependency>'
    )
    expect(of('nuget', 'Acme.Client', [version(1, { name: '4.0.1' })])).toBe('dotnet add package Acme.Client --version 4.0.1')
    expect(of('rubygems', 'acme_labs', [version(1, { name: '0.3.0' })])).toBe('gem install acme_labs --version "0.3.0"')
  })

  it('pages the versions newest first, 50 a page, chained to next: null', () => {
    const many = packageObject(snapshot({ versions: Array.from({ length: 120 }, (_, i) => version(i + 1)) }), ranks)
    const pages = versionPages(many)
    expect(pages.map((p) => [p.page, p.next, p.versions.length, p.versions[0]?.id, p.total])).toEqual([
      [1, 2, 50, 120, 120],
      [2, 3, 50, 70, 120],
      [3, null, 20, 20, 120]
    ])
    expect(pages[2]?.versions.at(-1)).toEqual({ id: 1, name: '1.0.1', tags: [], downloads: 10, size: -1, date: '2026-10-01' })
    expect(versionPages(packageObject(snapshot({ versions: [] }), ranks))).toEqual([{ page: 1, page_size: 50, total: 0, next: null, versions: [] }])
  })

  it('gives npm-style points ending on the newest chart day', () => {
    expect(downloadPoints(object, history, 'Octo/kit/kit')).toEqual([
      ['last-day', { downloads: 7, start: '2026-10-05', end: '2026-10-05', package: 'Octo/kit/kit' }],
      ['last-week', { downloads: 12, start: '2026-09-29', end: '2026-10-05', package: 'Octo/kit/kit' }],
      ['last-month', { downloads: 60, start: '2026-09-06', end: '2026-10-05', package: 'Octo/kit/kit' }],
      ['last-year', { downloads: 10, start: '2025-10-06', end: '2026-10-05', package: 'Octo/kit/kit' }]
    ])
    // Without a chart: unknown, ending on the package's date.
    expect(downloadPoints(object, undefined, 'p')[3]).toEqual(['last-year', { downloads: -1, start: '2025-10-07', end: '2026-10-06', package: 'p' }])
  })

  it('calls a year complete only with 365 bars', () => {
    const full: PackageHistory = { bars: Array.from({ length: 365 }, (_, i) => [d('2025-10-06') + i, 1] as const), totals: [], priorTotal: null }
    const record = packageRecord(object, pkg, full, { serverUrl: 'https://github.com', registryHost: 'ghcr.io' })
    expect(record.downloads).toMatchObject({ last_year: 365, last_year_complete: true })
  })
})

describe('feeds', () => {
  it('names packages by their three path segments as on the branch', () => {
    expect(packagePath('xacc', 'xacc', 'xacc/alpine')).toBe('xacc/xacc/xacc%2Falpine')
    expect(packagePath('o', '.github', 'p')).toBe('o/%2Egithub/p')
  })

  it('names the packages of two types that would share one file, the first in type order keeping it', () => {
    expect(
      sharedPackageFiles([
        snapshot({ owner: 'o', repo: 'r', name: 'foo', type: 'npm' }),
        snapshot({ owner: 'o', repo: 'r', name: 'foo', type: 'container' }),
        snapshot({ owner: 'o', repo: 'r', name: 'bar', type: 'npm' })
      ])
    ).toEqual([['o/r/foo', ['container o/foo', 'npm o/foo']]])
  })

  it('ranks popular packages by last-week downloads, ties by name', () => {
    const entry = (name: string, week: number): PopularEntry => ({ name, type: 'npm', downloads: 1, downloads_week: week, url: `u/${name}` })
    const many = Array.from({ length: 150 }, (_, i) => entry(`z/${String(i).padStart(3, '0')}`, i % 3))
    const result = popular([entry('b/b/b', 5), entry('a/a/a', 5), ...many])
    expect(result.total).toBe(152)
    expect(result.packages).toHaveLength(100)
    expect(result.packages.slice(0, 3).map((p) => p.name)).toEqual(['a/a/a', 'b/b/b', 'z/002'])
  })

  it('lists the changes of the last 7 days by time, then package', () => {
    const change = (name: string, time: number, action: 'update' | 'delete' = 'update') => ({ action, owner: 'o', repo: null, name, type: 'npm' as const, time })
    const feed = changesFeed(1_000_000, [change('b', 500_000), change('c', 395_000), change('a', 500_000, 'delete'), change('old', 395_199)])
    expect(feed).toEqual({
      timestamp: 1_000_000,
      since: 395_200,
      actions: [
        { type: 'delete', package: 'o/a/a', time: 500_000 },
        { type: 'update', package: 'o/b/b', time: 500_000 }
      ]
    })
  })
})

describe('ready-to-paste badges', () => {
  it('lists the owner’s packages by downloads with the endpoint Markdown, SVG and JSON URLs', () => {
    const base = 'https://raw.githubusercontent.com/me/idx/index'
    const badges = pasteBadges(
      [
        snapshot({ owner: 'Me', repo: 'tools', name: 'tools/cli', downloads: 5 }),
        snapshot({ owner: 'Me', repo: 'web', name: 'web', type: 'npm', downloads: 50 }),
        snapshot({ owner: 'other', repo: 'x', name: 'x', downloads: 500 })
      ],
      'me',
      base
    )
    const json = `${base}/Me/tools/tools%252Fcli.api/badges/downloads.json`
    expect(badges[1]).toEqual({
      package: 'Me/tools/tools%2Fcli',
      markdown: `![downloads](https://img.shields.io/endpoint?url=${encodeURIComponent(json)})`,
      svgUrl: `${base}/Me/tools/tools%252Fcli.api/badges/downloads.svg`,
      jsonUrl: json
    })
    expect(badges.map((b) => b.package)).toEqual(['Me/web/web', 'Me/tools/tools%2Fcli'])
    expect(pasteBadgesMarkdown(badges)).toContain(`  - JSON: ${json}\n`)
    expect(pasteBadges([snapshot({ owner: 'Me' })], 'me', base, 0)).toEqual([])
  })
})
