/**
 * Pages built to fool the parsers (SPEC 5.3, 12), each a hand-made fixture of __fixtures__/pages (see
 * its README) or a named one-line change of one. Whatever the trap, the parser reads the right number
 * or says "not understood": never a wrong number, never a zero.
 */
import { describe, expect, it } from '@jest/globals'
import { notUnderstood, read, URL_BASE } from './fixture-support.js'
import { parseListing } from '../../src/github/pages/listing.js'
import { parsePackagePage } from '../../src/github/pages/package.js'
import { parseVersionsPage } from '../../src/github/pages/versions.js'

const CHART = 'Downloads for the last 30 days'


/** Counts that are not counts (SPEC 12), each with why. */
const NOT_COUNTS: [string, string][] = [
  ['9007199254740993', 'above Number.MAX_SAFE_INTEGER'],
  ['9'.repeat(400), '400 digits'],
  ['1e30', 'an exponent'],
  ['1.2k', 'rounded text'],
  ['14.4K', 'rounded text'],
  ['-5', 'negative'],
  ['', 'empty'],
  ['12,34', 'a malformed group']
]

describe('package page: the total', () => {
  it('a Total downloads title of 9007199254740993 is not understood (it was stored and froze later runs)', () => {
    const error = notUnderstood(() => parsePackagePage(read('package-total-unsafe.html'), URL_BASE))
    expect([error.marker, error.message]).toEqual(['Total downloads', expect.stringContaining('"9007199254740993"')])
  })

  it('a Total downloads title of 400 digits is not understood (it published null and NaN.NaNT)', () => {
    expect(notUnderstood(() => parsePackagePage(read('package-total-400-digits.html'), URL_BASE)).marker).toBe('Total downloads')
  })

  it.each(NOT_COUNTS)('a total title of %j (%s) is not understood', (title) => {
    const html = read('package-container.html').replace('<h3 title="14360">14.4K</h3>', `<h3 title="${title}">14.4K</h3>`)
    expect(notUnderstood(() => parsePackagePage(html, URL_BASE)).marker).toBe('Total downloads')
  })

  it('a label without a number in its own block is not understood: the numeric heading further down is not read', () => {
    const error = notUnderstood(() => parsePackagePage(read('package-total-far-heading.html'), URL_BASE))
    expect(error.marker).toBe('Total downloads')
    expect(error.message).not.toContain('777')
  })

  it("a label alone in its element reads the number of the parent's next element", () => {
    expect(parsePackagePage(read('package-total-parent-next.html'), URL_BASE).total).toBe(4242)
  })

  it('the Discussions, Issues and repository-tab counters just above are never the total', () => {
    // Each counter of the same shape, with the total's block gone, must not stand in for it.
    const html = read('package-container.html').replace(/<span[^>]*>Total downloads<\/span>\s*<h3 title="14360">14.4K<\/h3>/, '')
    expect(notUnderstood(() => parsePackagePage(html, URL_BASE)).marker).toBe('Total downloads')
  })
})

describe('package page: the 30-day chart', () => {
  it('29 bars are not a month: the windows are not understood, the total still is', () => {
    const page = parsePackagePage(read('package-chart-29-bars.html'), URL_BASE)
    expect([page.total, page.daily]).toEqual([14360, []])
    expect(page.problems).toEqual([{ marker: CHART, detail: expect.stringContaining('29 bars, not 30') }])
  })

  it('30 bars with a missing day are not 30 consecutive days', () => {
    const page = parsePackagePage(read('package-chart-gap.html'), URL_BASE)
    expect([page.total, page.daily]).toEqual([14360, []])
    expect(page.problems).toEqual([{ marker: CHART, detail: expect.stringContaining('not on consecutive days') }])
  })

  it('the newest bar is never compared with the clock: a chart ending on 2026-03-10 is read months later', () => {
    const page = parsePackagePage(read('package-container.html'), URL_BASE)
    expect(page.daily.at(-1)).toEqual({ date: '2026-03-10', count: 7 })
    expect(page.problems).toEqual([])
  })

  it.each(NOT_COUNTS)('a bar count of %j (%s) makes the chart not understood', (count) => {
    const html = read('package-container.html').replace('data-merge-count="8" data-date="2026-03-07"', `data-merge-count="${count}" data-date="2026-03-07"`)
    const page = parsePackagePage(html, URL_BASE)
    expect([page.total, page.daily, page.problems?.map((p) => p.marker)]).toEqual([14360, [], [CHART]])
  })

  it('a bar on a day that does not exist (2026-02-30) makes the chart not understood', () => {
    const html = read('package-container.html').replace('data-date="2026-03-02"', 'data-date="2026-02-30"')
    expect(parsePackagePage(html, URL_BASE).problems?.map((p) => p.marker)).toEqual([CHART])
  })
})

describe('versions rows and stated totals', () => {
  it.each(NOT_COUNTS)('a row count of %j (%s) is not understood', (count) => {
    const html = read('versions-npm.html').replace(/\n\s*40\n(\s*<span class="sr-only">)/, `\n          ${count}\n$1`)
    expect(html).not.toBe(read('versions-npm.html'))
    expect(notUnderstood(() => parseVersionsPage(html, URL_BASE)).marker).toBe('Version downloads')
  })

  it('a comma-grouped row count is read exactly', () => {
    const html = read('versions-npm.html').replace(/\n\s*40\n(\s*<span class="sr-only">)/, '\n          9,007,199,254,740,991\n$1')
    expect(parseVersionsPage(html, URL_BASE).rows[0]?.downloads).toBe(9007199254740991)
  })

  it.each(NOT_COUNTS.filter(([text]) => /^[\d,]+$/.test(text)))('a stated `%s tagged` (%s) is not understood', (count) => {
    const html = read('versions-npm.html').replace('2 tagged', `${count} tagged`)
    expect(notUnderstood(() => parseVersionsPage(html, URL_BASE)).marker).toBe('N tagged')
  })

  it('a version id of 400 digits is not understood', () => {
    const html = read('versions-npm.html').replaceAll('/widget/501', `/widget/${'9'.repeat(400)}`)
    expect(notUnderstood(() => parseVersionsPage(html, URL_BASE)).marker).toBe('version link')
  })
})

describe('listing entries', () => {
  it('links to other owners are ignored; the listed owner matches case-insensitively', () => {
    const page = parseListing(read('listing-other-owner.html'), `${URL_BASE}orgs/acme/packages`, 'acme')
    expect(page.entries).toEqual([
      { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'widget', repo: null },
      { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'gadget', repo: 'gadget-repo' }, // linked as ACME
      { ownerType: 'orgs', owner: 'acme', type: 'maven', name: 'com.acme.core', repo: 'core' }
    ])
    expect([page.unreadable, page.legacy, page.others, page.declaredCount]).toEqual([[], [], 2, 3])
  })

  it('entry-shaped links that cannot be read are reported and never shift their repositories onto other entries', () => {
    const page = parseListing(read('listing-unreadable.html'), `${URL_BASE}orgs/acme/packages`, 'acme')
    expect(page.entries).toEqual([
      { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'widget', repo: null },
      { ownerType: 'orgs', owner: 'acme', type: 'container', name: 'gadget', repo: 'gadget' }
    ])
    expect(page.unreadable.map((u) => u.href)).toEqual([
      '/orgs/..%2F..%2Fpwned/packages/npm/package/x',
      '/orgs/%00/packages/npm/package/nul',
      '/orgs/acme/packages/npm/package/%E0%A4%A',
      '/orgs/acme/packages/npm/package/..%2F..%2Fetc'
    ])
  })

  it('a legacy entry is counted, not read, and its repository is not given to the entry before it', () => {
    const page = parseListing(read('listing-legacy.html'), `${URL_BASE}orgs/acme/packages`, 'acme')
    expect(page.entries.map((e) => [e.name, e.repo])).toEqual([
      ['widget', null],
      ['gadget', 'gadget']
    ])
    expect([page.legacy, page.declaredCount]).toEqual([['/acme/old-tool/packages/12345'], 3])
  })

  it.each(['9007199254740993', '9'.repeat(400)])('a stated `%s packages` is not understood', (count) => {
    const html = read('listing-org.html').replace('4 packages', `${count} packages`)
    expect(notUnderstood(() => parseListing(html, URL_BASE, 'acme')).marker).toBe('N packages')
  })
})
