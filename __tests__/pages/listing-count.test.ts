/**
 * The download count of each listing entry (SPEC 13.1): read from hand-made markup by its visible
 * text and `title`, never by class, and from the fake GitHub's three listing variants.
 */
import { describe, expect, it } from '@jest/globals'
import { parseListing } from '../../src/github/pages/listing.js'
import { renderListingPage } from '../../test-support/fake-github/html.js'
import { listingAbbreviation } from '../../test-support/fake-github/listing-counts.js'
import type { ScenarioOwner, ScenarioPackage } from '../../test-support/scenario.js'

const URL_ = 'https://github.com/orgs/acme/packages?visibility=public&page=1'

function listing(entries: string[]): string {
  return `<html><body><h2>${entries.length} packages</h2><ul>${entries
    .map((inner, i) => `<li><a href="/orgs/acme/packages/npm/package/p${i}">p${i}</a>${inner}</li>`)
    .join('')}</ul></body></html>`
}

describe('listing download counts', () => {
  it.each<[string, string, { low: number; high: number } | undefined]>([
    ['exact below 1,000', '<span>999 downloads</span>', { low: 999, high: 999 }],
    ['one download', '<div><span>1 download</span></div>', { low: 1, high: 1 }],
    ['abbreviated', '<span>9.49k downloads</span>', { low: 9485, high: 9499 }],
    ['abbreviated, exact in title', '<span title="9,490">9.49k downloads</span>', { low: 9490, high: 9490 }],
    ['exact in the title of a wrapper', '<div title="9490 downloads"><svg></svg><span>9.49k downloads</span></div>', { low: 9490, high: 9490 }],
    ['a title that contradicts the text', '<span title="12,000">9.49k downloads</span>', undefined],
    ['unreadable', '<span>9.4.9k downloads</span>', undefined],
    ['no count', '<span>Published 2 days ago</span>', undefined],
    ['two different counts', '<span>5 downloads</span><span>6 downloads</span>', undefined],
    ['a count without its word', '<span>999</span>', undefined]
  ])('%s', (_, inner, expected) => {
    const [entry] = parseListing(listing([inner]), URL_, 'acme').entries
    expect(entry?.downloads).toEqual(expected)
  })

  it('each entry gets the count of its own block, never a neighbour’s', () => {
    const { entries } = parseListing(listing(['<span>5 downloads</span>', '', '<span>7 downloads</span>']), URL_, 'acme')
    expect(entries.map((e) => e.downloads)).toEqual([{ low: 5, high: 5 }, undefined, { low: 7, high: 7 }])
  })
})

describe('the fake GitHub listing variants', () => {
  const pkg = (name: string, total: number): ScenarioPackage => ({
    type: 'npm',
    name,
    repo: null,
    total,
    daily: [],
    lastPublished: '2026-01-01T00:00:00Z',
    versions: []
  })
  const owner: ScenarioOwner = { login: 'acme', id: 7, type: 'Organization', packages: [pkg('small', 999), pkg('big', 9490), pkg('huge', 1_234_567)] }

  it('abbreviates as github.com does (hand-written)', () => {
    expect([0, 999, 1000, 9490, 9499, 94_999, 949_999, 1_234_567, 12_345_678].map(listingAbbreviation)).toEqual([
      '0',
      '999',
      '1k',
      '9.49k',
      '9.49k',
      '94.9k',
      '949k',
      '1.23m',
      '12.3m'
    ])
  })

  it.each<[string, 'none' | 'abbreviated' | 'title' | undefined, ({ low: number; high: number } | undefined)[]]>([
    // As github.com: abbreviated, exact below 1,000.
    ['default: abbreviated', undefined, [{ low: 999, high: 999 }, { low: 9485, high: 9499 }, { low: 1_225_000, high: 1_239_999 }]],
    ['none', 'none', [undefined, undefined, undefined]],
    ['abbreviated', 'abbreviated', [{ low: 999, high: 999 }, { low: 9485, high: 9499 }, { low: 1_225_000, high: 1_239_999 }]],
    ['title', 'title', [{ low: 999, high: 999 }, { low: 9490, high: 9490 }, { low: 1_234_567, high: 1_234_567 }]]
  ])('%s', (_, variant, expected) => {
    const html = renderListingPage(owner, 1, 'http://127.0.0.1:1', variant)
    expect(parseListing(html, URL_, owner.login).entries.map((e) => e.downloads)).toEqual(expected)
  })
})
