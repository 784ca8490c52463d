/**
 * The parse budget (SPEC 12): a page may be as large as the HTTP client lets through (10 MB), shaped
 * to hurt, and the parsers still answer in linear time: nothing walks the page once per element,
 * per label or per nesting level. A quadratic parser takes minutes on these pages (before this work,
 * 1 MB of nesting took 12 s and 2 MB 48 s to load); each test allows one minute on a busy machine.
 */
import { describe, expect, it } from '@jest/globals'
import { notUnderstood } from './fixture-support.js'
import { MAX_DEPTH } from '../../src/github/pages/dom.js'
import { parseListing } from '../../src/github/pages/listing.js'
import { parsePackagePage } from '../../src/github/pages/package.js'
import { parseVersionsPage } from '../../src/github/pages/versions.js'

const PAGE_BYTES = 10 * 1024 * 1024
const URL = 'http://127.0.0.1:9/orgs/acme/packages/container/x/versions'
const MINUTE = 60_000

/** `unit(i)` repeated until the page holds PAGE_BYTES; the number of units and the page. */
function page(unit: (i: number) => string, head = '', tail = ''): { count: number; html: string } {
  const parts = [head]
  let size = head.length + tail.length
  let count = 0
  while (size < PAGE_BYTES) {
    const part = unit(count++)
    parts.push(part)
    size += part.length
  }
  parts.push(tail)
  return { count, html: parts.join('') }
}


describe('10 MB pages', () => {
  it(
    'nesting deeper than browsers allow is not understood, at once',
    () => {
      const { html } = page(() => '<div>x')
      const error = notUnderstood(() => parsePackagePage(html, URL))
      expect([error.marker, error.message]).toEqual(['page', expect.stringContaining(`deeper than ${MAX_DEPTH}`)])
    },
    MINUTE
  )

  it(
    'nesting just under the limit, over and over, is read (no label: not understood)',
    () => {
      const depth = MAX_DEPTH - 10
      const { html } = page(() => `${'<div>'.repeat(depth)}Total downloads${'</div>'.repeat(depth)}`)
      expect(notUnderstood(() => parsePackagePage(html, URL)).message).toMatch(/label found \d+ times/)
    },
    MINUTE
  )

  it(
    'a versions list of rows all the way down: every row read',
    () => {
      const row = (i: number): string =>
        `<li class="Box-row"><a href="/orgs/acme/packages/container/x/${i + 1}">sha256:${String(i).padStart(64, '0')}</a>` +
        `<span>${i % 1000}<span class="sr-only">Version downloads</span></span></li>`
      const { count, html } = page(row, '<ul>', '</ul>')
      const rows = parseVersionsPage(html, URL).rows
      expect(rows).toHaveLength(count)
      expect(rows.at(-1)).toEqual({ id: count, name: `sha256:${String(count - 1).padStart(64, '0')}`, tags: [], downloads: (count - 1) % 1000 })
    },
    MINUTE
  )

  it(
    'a listing of entries and repository links all the way down: every entry read',
    () => {
      const entry = (i: number): string => `<li><a href="/orgs/acme/packages/npm/package/p${i}">p${i}</a> <a href="/acme/r${i}">r</a></li>`
      const { count, html } = page(entry, '<h2>3 packages</h2><ul>', '</ul>')
      const listing = parseListing(html, URL, 'acme')
      expect(listing.entries).toHaveLength(count)
      expect(listing.entries.at(-1)).toEqual({ ownerType: 'orgs', owner: 'acme', type: 'npm', name: `p${count - 1}`, repo: `r${count - 1}` })
    },
    MINUTE
  )

  it(
    'a stated count of 10 MB of digits is not understood',
    () => {
      const { html } = page(() => '1234567890', '<p>', ' tagged</p>')
      expect(notUnderstood(() => parseVersionsPage(html, URL)).marker).toBe('N tagged')
    },
    MINUTE
  )
})
