/**
 * The fake GitHub's pages read back through the real parsers give exactly what the scenario holds:
 * all five package types, users and orgs, multi-page listings and versions lists, nested names.
 */
import { describe, expect, it } from '@jest/globals'
import { windowsFromDaily } from '../../src/github/pages/count.js'
import { parseListing } from '../../src/github/pages/listing.js'
import { parsePackagePage } from '../../src/github/pages/package.js'
import { parseVersionsPage } from '../../src/github/pages/versions.js'
import { ownerListingUrl, packagePageUrl, versionsUrl } from '../../src/github/urls.js'
import { NotUnderstood, PACKAGE_TYPES, type DailyCount, type PackageRef, type PackageType } from '../../src/types.js'
import type { ScenarioOwner, ScenarioPackage, ScenarioVersion } from '../../test-support/scenario.js'
import { renderListingPage, renderPackagePage, renderVersionsPage } from '../../test-support/fake-github/html.js'

const SERVER = 'http://127.0.0.1:4321'

function daily(seed: number): DailyCount[] {
  return Array.from({ length: 30 }, (_, i) => ({
    date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    count: (seed * 7 + i * 13) % 50
  }))
}

function digest(n: number): string {
  return `sha256:${n.toString(16).padStart(64, '0')}`
}

/** `count` versions with ids 1000.. ; every third is tagged, the newest is tagged `latest`. */
function versions(type: PackageType, count: number): ScenarioVersion[] {
  return Array.from({ length: count }, (_, i) => {
    const id = 1000 + i
    const tags = i === count - 1 ? ['latest', `v1.${i}`] : i % 3 === 0 ? [`v1.${i}`, 'odd+tag/x'] : []
    return {
      id,
      name: type === 'container' ? digest(id) : `1.${i}.0`,
      tags,
      downloads: i === 5 ? 12345 : i * 3,
      ...(type === 'container' ? { image: { platforms: [{ platform: 'linux/amd64', layers: [10, 20] }] } } : {})
    }
  })
}

function pkg(type: PackageType, name: string, repo: string | null, versionCount: number, extra: Partial<ScenarioPackage> = {}): ScenarioPackage {
  return {
    type,
    name,
    repo,
    total: 14360 + versionCount,
    daily: daily(versionCount),
    lastPublished: '2026-01-30T12:00:00Z',
    versions: versions(type, versionCount),
    ...extra
  }
}

const org: ScenarioOwner = {
  login: 'acme-org',
  id: 42,
  type: 'Organization',
  packages: [
    pkg('container', 'tools/cli', 'tools', 120),
    pkg('npm', 'widget', 'widget', 3),
    pkg('maven', 'com.acme.core', null, 1),
    pkg('nuget', 'Acme.Lib', 'dotnet', 51),
    pkg('rubygems', 'acme', 'ruby-gem', 2),
    pkg('npm', 'secret', 'widget', 1, { private: true })
  ]
}

// 65 public packages: three listing pages of 30, 30 and 5.
const user: ScenarioOwner = {
  login: 'Someone',
  id: 7,
  type: 'User',
  packages: Array.from({ length: 65 }, (_, i) =>
    pkg(PACKAGE_TYPES[i % 5] ?? 'npm', i % 4 === 0 ? `group/p${i}` : `p${i}`, i % 2 === 0 ? `repo${i}` : null, 1)
  )
}

function refOf(owner: ScenarioOwner, p: ScenarioPackage): PackageRef {
  return { ownerType: owner.type === 'User' ? 'users' : 'orgs', owner: owner.login, type: p.type, name: p.name, repo: p.repo }
}

describe('listing pages round trip', () => {
  for (const owner of [org, user]) {
    it(`${owner.type}: all public packages over all pages, with repos and the declared count`, () => {
      const ownerType = owner.type === 'User' ? 'users' : 'orgs'
      const first = parseListing(renderListingPage(owner, 1, SERVER), ownerListingUrl(SERVER, ownerType, owner.login, 1), owner.login)
      const pages = first.totalPages ?? 1
      const entries = [...first.entries]
      for (let n = 2; n <= pages; n++) {
        const next = parseListing(renderListingPage(owner, n, SERVER), ownerListingUrl(SERVER, ownerType, owner.login, n), owner.login)
        expect(next.declaredCount).toBe(first.declaredCount)
        entries.push(...next.entries)
      }
      const published = owner.packages.filter((p) => !p.private)
      const expected = published.map((p) => refOf(owner, p))
      expect(entries.map(({ downloads: _downloads, ...ref }) => ref)).toEqual(expected)
      // The listing's count (SPEC 13.1): an interval holding the total, exact below 1,000.
      for (const [i, entry] of entries.entries()) {
        const total = published[i]?.total ?? -1
        const { low, high } = entry.downloads ?? { low: -2, high: -2 }
        expect([total, low <= total && total <= high, low === high]).toEqual([total, true, total < 1000])
      }
      expect(first.declaredCount).toBe(expected.length)
      expect(first.entries.length).toBeLessThanOrEqual(30)
    })
  }

  it('pages: 65 user packages make 3 pages, a single page has no pager', () => {
    const page3 = parseListing(renderListingPage(user, 3, SERVER), ownerListingUrl(SERVER, 'users', 'Someone', 3), 'Someone')
    expect(page3.totalPages).toBe(3)
    expect(page3.entries).toHaveLength(5)
    expect(page3.entries[0]?.name).toBe('group/p60')
    const single = parseListing(renderListingPage(org, 1, SERVER), ownerListingUrl(SERVER, 'orgs', 'acme-org', 1), 'acme-org')
    expect(single.totalPages).toBeNull()
    expect(single.declaredCount).toBe(5)
  })
})

describe('package pages round trip', () => {
  for (const p of org.packages.filter((x) => !x.private)) {
    it(`${p.type} ${p.name}`, () => {
      const url = packagePageUrl(SERVER, refOf(org, p))
      const page = parsePackagePage(renderPackagePage(org, p), url)
      expect(page.total).toBe(p.total)
      expect(page.daily).toEqual(p.daily)
      expect(windowsFromDaily(page.daily)).toEqual(windowsFromDaily(p.daily))
      expect(page.lastPublished).toBe('2026-01-30T12:00:00Z')
      const recent = [...p.versions]
        .filter((v) => v.tags.length > 0)
        .sort((a, b) => b.id - a.id)
        .slice(0, 5)
        .map((v) => ({ id: v.id, name: v.name, tags: v.tags, downloads: v.downloads }))
      expect(page.recent).toEqual(recent)
    })
  }

  it('a summer date gets a -07:00 title and still reads back in UTC', () => {
    const p = pkg('npm', 'summer', null, 1, { lastPublished: '2026-07-17T09:35:54Z' })
    const html = renderPackagePage(user, p)
    expect(html).toContain('title="2026-07-17T02:35:54-07:00"')
    expect(parsePackagePage(html, packagePageUrl(SERVER, refOf(user, p))).lastPublished).toBe('2026-07-17T09:35:54Z')
  })

  it('layoutChanged makes the parser fail, naming the marker, instead of reading a number', () => {
    const p = org.packages[1] as ScenarioPackage
    const url = packagePageUrl(SERVER, refOf(org, p))
    expect(() => parsePackagePage(renderPackagePage(org, p, { layoutChanged: true }), url)).toThrow(NotUnderstood)
    try {
      parsePackagePage(renderPackagePage(org, p, { layoutChanged: true }), url)
    } catch (error) {
      expect((error as NotUnderstood).marker).toBe('Total downloads')
      expect((error as NotUnderstood).page).toBe(url)
    }
  })
})

describe('versions pages round trip', () => {
  const container = org.packages[0] as ScenarioPackage // 120 versions, 41 tagged

  it('all versions over 3 pages of 50, newest first, with the stated totals', () => {
    const ref = refOf(org, container)
    const rows = []
    for (let n = 1; n <= 3; n++) {
      const page = parseVersionsPage(renderVersionsPage(org, container, n, 'all'), versionsUrl(SERVER, ref, { page: n }))
      expect(page.totalPages).toBe(3)
      expect(page.tagged).toBe(41)
      expect(page.untagged).toBe(79)
      rows.push(...page.rows)
    }
    const expected = [...container.versions]
      .sort((a, b) => b.id - a.id)
      .map((v) => ({ id: v.id, name: v.name, tags: v.tags, downloads: v.downloads }))
    expect(rows).toEqual(expected)
    expect(rows.find((r) => r.id === 1005)?.downloads).toBe(12345) // `12,345` on the page
  })

  it('tagged filter: only tagged rows, one page here', () => {
    const ref = refOf(org, container)
    const page = parseVersionsPage(renderVersionsPage(org, container, 1, 'tagged'), versionsUrl(SERVER, ref, { page: 1, tagged: true }))
    expect(page.rows).toHaveLength(41)
    expect(page.rows.every((r) => r.tags.length > 0)).toBe(true)
    expect(page.rows[0]?.tags).toEqual(['latest', 'v1.119'])
    expect(page.rows.find((r) => r.id === 1003)?.tags).toEqual(['v1.3', 'odd+tag/x'])
    expect(page.totalPages).toBeNull()
  })

  it('a page past the end is empty, not an error', () => {
    const page = parseVersionsPage(renderVersionsPage(org, container, 4, 'all'), versionsUrl(SERVER, refOf(org, container), { page: 4 }))
    expect(page.rows).toEqual([])
  })

  for (const p of org.packages.filter((x) => !x.private && x.type !== 'container')) {
    it(`${p.type}: version names are read from the link text`, () => {
      const rows = parseVersionsPage(renderVersionsPage(org, p, 1, 'all'), versionsUrl(SERVER, refOf(org, p), { page: 1 })).rows
      expect(rows.map((r) => r.name)).toEqual([...p.versions].sort((a, b) => b.id - a.id).slice(0, 50).map((v) => v.name))
    })
  }

  it('users form, nested name', () => {
    const p = user.packages[0] as ScenarioPackage // container group/p0
    const page = parseVersionsPage(renderVersionsPage(user, p, 1, 'all'), versionsUrl(SERVER, refOf(user, p), { page: 1 }))
    expect(page.rows).toEqual(p.versions.map((v) => ({ id: v.id, name: v.name, tags: v.tags, downloads: v.downloads })))
  })
})
