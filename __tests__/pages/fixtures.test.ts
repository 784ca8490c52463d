/** The parsers on the hand-made pages of __fixtures__/pages (see its README for what each one is). */
import { describe, expect, it } from '@jest/globals'
import { notUnderstood, read, URL_BASE } from './fixture-support.js'
import { windowsFromDaily } from '../../src/github/pages/count.js'
import { parseListing } from '../../src/github/pages/listing.js'
import { parsePackagePage } from '../../src/github/pages/package.js'
import { parseVersionsPage } from '../../src/github/pages/versions.js'



describe('package pages', () => {
  it('container (org): exact total behind Discussions/Issues traps, chart, UTC time, recent rows', () => {
    const page = parsePackagePage(read('package-container.html'), `${URL_BASE}acme/tools/pkgs/container/tools%2Fcli`)
    expect(page.total).toBe(14360)
    expect(page.daily).toHaveLength(30)
    expect(page.daily[0]).toEqual({ date: '2026-02-09', count: 3 })
    expect(page.daily[29]).toEqual({ date: '2026-03-10', count: 7 })
    expect(windowsFromDaily(page.daily)).toEqual({ day: 7, week: 30, month: 141 })
    expect(page.lastPublished).toBe('2026-03-08T09:06:03Z')
    expect(page.recent).toEqual([
      { id: 3003, name: `sha256:${'3c'.repeat(32)}`, tags: ['latest', 'v2.0.0'], downloads: 1234 },
      { id: 3002, name: `sha256:${'2b'.repeat(32)}`, tags: ['v1.9.0', `sha256-${'4d'.repeat(32)}`], downloads: 17 },
      { id: 3001, name: `sha256:${'1a'.repeat(32)}`, tags: ['nightly build+1'], downloads: 0 }
    ])
  })

  it('npm (user), maven, nuget, rubygems', () => {
    const npm = parsePackagePage(read('package-npm.html'), `${URL_BASE}users/jdoe/packages/npm/package/widget`)
    expect(npm.total).toBe(987)
    expect(npm.lastPublished).toBe('2026-07-20T06:30:00Z')
    expect(npm.recent).toEqual([
      { id: 501, name: '2.1.0', tags: ['latest'], downloads: 40 },
      { id: 500, name: '2.0.0', tags: ['next'], downloads: 12 }
    ])
    const maven = parsePackagePage(read('package-maven.html'), `${URL_BASE}orgs/acme/packages/maven/package/com.acme.core`)
    expect([maven.total, maven.recent, maven.daily.length]).toEqual([1234567, [], 30])
    const nuget = parsePackagePage(read('package-nuget.html'), `${URL_BASE}orgs/acme/packages/nuget/package/Acme.Lib`)
    expect([nuget.total, nuget.recent]).toEqual([2500, [{ id: 700, name: '3.0.1', tags: ['stable'], downloads: 99 }]])
    const gem = parsePackagePage(read('package-rubygems.html'), `${URL_BASE}users/jdoe/packages/rubygems/package/acme`)
    // A chart of 12 bars is not a month: its windows are not understood, the total still is.
    expect([gem.total, gem.daily, gem.problems?.map((p) => p.marker)]).toEqual([42, [], ['Downloads for the last 30 days']])
  })

  it('old `mb-1` and new `tmp-mb-1` class names parse identically', () => {
    const url = `${URL_BASE}orgs/acme/packages/npm/package/widget`
    const oldPage = parsePackagePage(read('package-classes-old.html'), url)
    expect(parsePackagePage(read('package-classes-new.html'), url)).toEqual(oldPage)
    expect(oldPage.total).toBe(14360)
    expect(oldPage.recent).toEqual([{ id: 9, name: '1.0.0', tags: ['latest'], downloads: 5 }])
  })

  it('a missing Total downloads label is not understood (never 0, never the Issues count)', () => {
    const url = `${URL_BASE}orgs/acme/packages/npm/package/widget`
    const error = notUnderstood(() => parsePackagePage(read('package-no-total-label.html'), url))
    expect(error.marker).toBe('Total downloads')
    expect(error.page).toBe(url)
  })

  it('only a rounded 14.4K and no exact title is not understood', () => {
    const error = notUnderstood(() => parsePackagePage(read('package-rounded-only.html'), URL_BASE))
    expect(error.marker).toBe('Total downloads')
  })

  it('a chart with no bars is not understood, but the total on the same page still is', () => {
    const html = read('package-npm.html').replace(/<rect[^>]*><\/rect>/g, '')
    const page = parsePackagePage(html, URL_BASE)
    expect(page.total).toBe(987)
    expect(page.daily).toEqual([])
    expect(page.problems?.map((p) => p.marker)).toEqual(['Downloads for the last 30 days'])
    expect(page.recent).toHaveLength(2)
  })

  it('a missing chart is a problem of its own: total, time and recent rows are still read', () => {
    const html = read('package-container.html').replace(/aria-label="Downloads for the last 30 days"/g, 'aria-label="Activity"')
    const page = parsePackagePage(html, URL_BASE)
    expect([page.total, page.daily, page.lastPublished, page.recent.length]).toEqual([14360, [], '2026-03-08T09:06:03Z', 3])
    expect(page.problems).toEqual([{ marker: 'Downloads for the last 30 days', detail: expect.stringContaining('found 0 charts') }])
  })

  it('a well-formed page reports no problems', () => {
    expect(parsePackagePage(read('package-container.html'), URL_BASE).problems).toEqual([])
  })

  it('recent rows whose label was renamed are a problem, not an empty box; the total still counts', () => {
    const html = read('package-container.html').replace(/Version downloads/g, 'Downloads of this version')
    const page = parsePackagePage(html, URL_BASE)
    expect([page.total, page.recent, page.daily.length]).toEqual([14360, [], 30])
    expect(page.problems?.map((p) => p.marker)).toEqual(['Version downloads'])
  })
})

describe('versions pages', () => {
  it('container tagged: digests, decoded tags, comma counts, totals, data-total-pages', () => {
    const page = parseVersionsPage(read('versions-container-tagged.html'), `${URL_BASE}acme/tools/pkgs/container/tools%2Fcli/versions`)
    expect(page.rows).toEqual([
      { id: 3003, name: `sha256:${'3c'.repeat(32)}`, tags: ['latest', 'v2.0.0'], downloads: 1234 },
      { id: 3002, name: `sha256:${'2b'.repeat(32)}`, tags: ['v1.9.0'], downloads: 17 },
      { id: 3001, name: `sha256:${'1a'.repeat(32)}`, tags: ['a%b', 'c+d'], downloads: 0 }
    ])
    expect([page.tagged, page.untagged, page.totalPages]).toEqual([1862, 3903, 38])
  })

  it('container untagged: the digest is the link text; pager without data-total-pages → highest page link', () => {
    const page = parseVersionsPage(read('versions-container-untagged.html'), URL_BASE)
    expect(page.rows.map((r) => [r.id, r.name.slice(0, 9), r.tags, r.downloads])).toEqual([
      [2999, 'sha256:aa', [], 60407],
      [2998, 'sha256:bb', [], 3],
      [2997, 'sha256:cc', [], 1003],
      [2996, 'sha256:dd', [], 0]
    ])
    expect(page.totalPages).toBe(5)
  })

  it('npm, maven, nuget, rubygems: version names from link text, no pager', () => {
    const names = (file: string): unknown => parseVersionsPage(read(file), URL_BASE).rows.map((r) => [r.id, r.name, r.tags, r.downloads])
    expect(names('versions-npm.html')).toEqual([
      [501, '2.1.0', ['latest'], 40],
      [500, '2.0.0', ['next'], 12],
      [499, '1.0.0', [], 7]
    ])
    expect(names('versions-maven.html')).toEqual([
      [801, '1.1.0-SNAPSHOT', [], 2048],
      [800, '1.0.0', [], 5]
    ])
    expect(names('versions-nuget.html')).toEqual([
      [700, '3.0.1', ['stable'], 99],
      [699, '3.0.0', [], 1]
    ])
    expect(names('versions-rubygems.html')).toEqual([[42, '0.1.0', [], 42]])
    const npm = parseVersionsPage(read('versions-npm.html'), URL_BASE)
    expect([npm.tagged, npm.untagged, npm.totalPages]).toEqual([2, 1, null])
  })

  it('an empty page is valid', () => {
    expect(parseVersionsPage(read('versions-empty.html'), URL_BASE)).toEqual({ rows: [], tagged: 0, untagged: 0, totalPages: null })
  })

  it('rows whose `Version downloads` label was renamed are not understood, never an empty page', () => {
    // Found through their labels, the rows would silently vanish and the list would read as empty.
    const renamed = (file: string): string => read(file).replace(/Version downloads/g, 'Downloads of this version')
    const tagged = notUnderstood(() => parseVersionsPage(renamed('versions-container-tagged.html'), URL_BASE))
    expect([tagged.marker, tagged.page]).toEqual(['Version downloads', URL_BASE])
    expect(tagged.message).toContain('links 3 versions')
    // No totals here, only the version links.
    const maven = renamed('versions-maven.html').replace(/\d+ (un)?tagged/g, '')
    expect(notUnderstood(() => parseVersionsPage(maven, URL_BASE)).marker).toBe('Version downloads')
  })

  it('an empty page whose totals or pager say it holds versions is not understood', () => {
    const stated = read('versions-empty.html').replace('0 untagged', '3 untagged')
    expect(notUnderstood(() => parseVersionsPage(stated, `${URL_BASE}x?page=1`)).message).toContain('states 3 versions')
    // Page 2 of 51 versions holds one; page 3 holds none (past the end: valid).
    const fiftyOne = read('versions-empty.html').replace('0 untagged', '51 untagged')
    expect(notUnderstood(() => parseVersionsPage(fiftyOne, `${URL_BASE}x?page=2`)).marker).toBe('Version downloads')
    expect(parseVersionsPage(fiftyOne, `${URL_BASE}x?page=3`).rows).toEqual([])
    // The tagged filter counts the tagged versions only.
    const untaggedOnly = `${URL_BASE}x?filters%5Bversion_type%5D=tagged&page=1`
    expect(parseVersionsPage(fiftyOne, untaggedOnly).rows).toEqual([])
    const withTagged = fiftyOne.replace('0 tagged', '2 tagged')
    expect(notUnderstood(() => parseVersionsPage(withTagged, untaggedOnly)).message).toContain('states 2 versions')
    // A pager that reaches this page.
    const paged = read('versions-empty.html').replace('</ul>', '</ul><nav aria-label="Pagination"><a class="current" data-total-pages="4" href="?page=2">2</a></nav>')
    expect(notUnderstood(() => parseVersionsPage(paged, `${URL_BASE}x?page=2`)).message).toContain('pager has 4 pages')
  })

  it('a row without its count is not understood', () => {
    expect(notUnderstood(() => parseVersionsPage(read('versions-row-without-count.html'), URL_BASE)).marker).toBe('Version downloads')
  })
})

describe('listing pages', () => {
  it('org: types, nested names, repos (or none), declared count, no pager', () => {
    const page = parseListing(read('listing-org.html'), `${URL_BASE}orgs/acme/packages?visibility=public&page=1`, 'acme')
    expect(page.entries).toEqual([
      { ownerType: 'orgs', owner: 'acme', type: 'container', name: 'tools/cli', repo: 'tools' },
      { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'widget', repo: 'widget' },
      { ownerType: 'orgs', owner: 'acme', type: 'maven', name: 'com.acme.core', repo: null },
      { ownerType: 'orgs', owner: 'acme', type: 'rubygems', name: 'acme', repo: 'ruby-gem' }
    ])
    expect([page.declaredCount, page.totalPages]).toEqual([4, null])
  })

  it('user, last page: sidebar and footer links are no repos; pager → highest page', () => {
    const page = parseListing(read('listing-user-paged.html'), `${URL_BASE}jdoe?tab=packages&visibility=public&page=3`, 'jdoe')
    expect(page.entries).toEqual([
      { ownerType: 'users', owner: 'jdoe', type: 'nuget', name: 'Jdoe.Tools', repo: 'dotnet-tools' },
      { ownerType: 'users', owner: 'jdoe', type: 'container', name: 'web', repo: null }
    ])
    expect([page.declaredCount, page.totalPages]).toEqual([62, 3])
  })

  it('a declared count that disagrees with the entries is reported as read (the caller decides)', () => {
    const page = parseListing(read('listing-count-mismatch.html'), URL_BASE, 'acme')
    expect([page.entries.length, page.declaredCount]).toEqual([3, 5])
  })

  it('`1 package`, and `1,234 packages` with data-total-pages', () => {
    expect(parseListing(read('listing-single.html'), URL_BASE, 'solo').declaredCount).toBe(1)
    const big = parseListing(read('listing-big-count.html'), URL_BASE, 'bigco')
    expect([big.declaredCount, big.totalPages]).toEqual([1234, 42])
  })

  it('an entry of an unknown package type is unreadable; the other entries are still read', () => {
    const page = parseListing(read('listing-unknown-type.html'), URL_BASE, 'acme')
    expect(page.entries.map((e) => [e.name, e.repo])).toEqual([['widget', 'widget']])
    expect(page.unreadable).toEqual([{ href: '/orgs/acme/packages/pypi/package/snake', reason: expect.stringContaining('"pypi"') }])
  })
})
