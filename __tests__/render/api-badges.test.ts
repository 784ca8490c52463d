/**
 * Badges of SPEC 10.1/10.2: the endpoint JSON of every kind against hand-written values, and every
 * kind drawn through shields' badge-maker compared with its endpoint JSON (label, message, color).
 */
import { describe, expect, it } from '@jest/globals'
import { aggregateBadges, badgeSvg, packageBadges, type EndpointBadge } from '../../src/render/api/badges.js'
import { packageObject } from '../../src/render/package-object.js'
import { BADGE_FILL, readBadgeSvg } from '../../test-support/svg-badge.js'
import { snapshot, version } from './snapshots.js'

const ranks = { owner: 1, repo: 1 }

function expectSameBadge(endpoint: EndpointBadge): void {
  const svg = badgeSvg(endpoint)
  expect(svg.endsWith('</svg>\n')).toBe(true)
  const picture = readBadgeSvg(svg)
  expect(picture.title).toBe(`${endpoint.label}: ${endpoint.message}`)
  expect(picture.texts).toContain(endpoint.label)
  expect(picture.texts).toContain(endpoint.message)
  // The message side is painted in the badge's color; the label side is shields' grey.
  expect(picture.fills).toContain(BADGE_FILL[endpoint.color])
  expect(picture.fills).toContain('#555')
}

describe('package badges', () => {
  // A container whose weekly number is carried over and whose size is unknown.
  const container = packageObject(
    snapshot({
      downloads: 4181,
      downloadsMonth: 1_500_000,
      downloadsWeek: 999_950,
      downloadsDay: -1,
      stale: { downloads_week: '2026-10-01' },
      versions: [version(3, { tags: ['latest', 'v2.1', 'stable'] }), version(1, { tags: ['v1'], size: 88_009_952 }), version(2)]
    }),
    ranks
  )

  it('carries label, formatted message, color and logo for every kind, hand-written', () => {
    const logo = { namedLogo: 'docker', cacheSeconds: 3600, schemaVersion: 1 }
    expect(packageBadges(container)).toEqual([
      ['downloads', { ...logo, label: 'downloads', message: '4.1k', color: 'blue' }],
      ['month', { ...logo, label: 'downloads/month', message: '1.5M', color: 'blue' }],
      // stale: message kept, grey
      ['week', { ...logo, label: 'downloads/week', message: '999.9k', color: 'lightgrey' }],
      // unknown: message `unknown`, grey
      ['day', { ...logo, label: 'downloads/day', message: 'unknown', color: 'lightgrey' }],
      ['versions', { ...logo, label: 'versions', message: '3', color: 'blue' }],
      // the latest version's first tag other than `latest`, in the page's order
      ['version', { ...logo, label: 'latest', message: 'v2.1', color: 'blue' }],
      // the newest version whose size is known: version 1's
      ['size', { ...logo, label: 'image size', message: '88 MB', color: 'blue' }]
    ])
    expect(Object.keys(packageBadges(container)[0]?.[1] ?? {})).toEqual(['schemaVersion', 'label', 'message', 'color', 'namedLogo', 'cacheSeconds'])
  })

  it('names the latest version when it has no other tag, says unknown without versions, and has no size badge for non-containers', () => {
    const npm = packageObject(snapshot({ type: 'npm', versions: [version(7, { name: '2.0.0', tags: ['latest'] })] }), ranks)
    const badges = new Map(packageBadges(npm))
    expect(badges.get('version')).toMatchObject({ label: 'latest', message: '2.0.0', color: 'blue', namedLogo: 'npm' })
    expect(badges.has('size')).toBe(false)
    const empty = new Map(packageBadges(packageObject(snapshot({ type: 'maven', versions: [] }), ranks)))
    expect(empty.get('version')).toMatchObject({ message: 'unknown', color: 'lightgrey', namedLogo: 'apachemaven' })
    expect(empty.get('versions')).toMatchObject({ message: '0', color: 'blue' })
    const stale = packageObject(snapshot({ versions: [version(1, { size: 1000 })], stale: { size: '2026-09-30' } }), ranks)
    expect(new Map(packageBadges(stale)).get('size')).toMatchObject({ message: '1 kB', color: 'lightgrey' })
  })

  it('draws every kind through badge-maker with the endpoint’s label, message and color', () => {
    const kinds = packageBadges(container)
    expect(kinds.map(([kind]) => kind)).toEqual(['downloads', 'month', 'week', 'day', 'versions', 'version', 'size'])
    for (const [, endpoint] of kinds) expectSameBadge(endpoint)
    for (const [, endpoint] of aggregateBadges(12_345, 7)) expectSameBadge(endpoint)
  })
})

describe('aggregate badges', () => {
  it('are downloads and packages, always blue, without a logo', () => {
    expect(aggregateBadges(1_500_000, 1234)).toEqual([
      ['downloads', { schemaVersion: 1, label: 'downloads', message: '1.5M', color: 'blue', cacheSeconds: 3600 }],
      ['packages', { schemaVersion: 1, label: 'packages', message: '1.2k', color: 'blue', cacheSeconds: 3600 }]
    ])
  })
})
