/**
 * Reading a whole owner listing (SPEC 5.2, 12) through the real HTTP client from a server on
 * 127.0.0.1 serving the hand-made listing pages of __fixtures__/pages: when is a listing complete,
 * so that packages missing from it may be retired?
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { HttpClient } from '../../src/github/http.js'
import { readListing, type ListingRead } from '../../src/pipeline/read-listing.js'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '__fixtures__', 'pages')
const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8')

/** Pages served, by path and query (`/orgs/acme/packages?visibility=public&page=1`); others are 404. */
const pages = new Map<string, string>()
let server: Server
let serverUrl = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    const html = pages.get(req.url ?? '')
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(html ?? 'Not Found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const http = new HttpClient({ userAgent: 'backage-action-test', concurrency: 1, pageJitterMs: 0, baseDelayMs: 1, sleep: async () => undefined })

/** Serves `files` as the org listing pages 1..n of `owner` (only them) and reads the listing. */
async function listing(owner: string, files: string[], edit: (html: string, page: number) => string = (html) => html): Promise<ListingRead> {
  pages.clear()
  files.forEach((file, i) => pages.set(`/orgs/${owner}/packages?visibility=public&page=${i + 1}`, edit(read(file), i + 1)))
  return readListing(http, serverUrl, 'orgs', owner, new AbortController().signal)
}

function readOf(result: ListingRead): Extract<ListingRead, { kind: 'read' }> {
  if (result.kind !== 'read') throw new Error('expected a listing')
  return result
}

describe('readListing', () => {
  it('a one-page listing whose entries match its count is complete', async () => {
    const result = readOf(await listing('acme', ['listing-org.html']))
    expect([result.complete, result.problem, result.entries.length, result.declaredCount]).toEqual([true, null, 4, 4])
  })

  it('other owners’ links are ignored and the listing stays complete', async () => {
    const result = readOf(await listing('acme', ['listing-other-owner.html']))
    expect(result.entries.map((e) => e.name)).toEqual(['widget', 'gadget', 'com.acme.core'])
    expect(result.complete).toBe(true)
  })

  it('a link shaped like an entry that cannot be read makes the listing incomplete; the readable entries are kept', async () => {
    const result = readOf(await listing('acme', ['listing-unreadable.html']))
    expect(result.entries.map((e) => [e.name, e.repo])).toEqual([
      ['widget', null],
      ['gadget', 'gadget']
    ])
    expect(result.complete).toBe(false)
    expect(result.problem?.marker).toContain('..%2F..%2Fpwned')
  })

  it('a legacy entry counts towards the stated total and is reported for a notice', async () => {
    const result = readOf(await listing('acme', ['listing-legacy.html']))
    expect([result.complete, result.entries.length]).toEqual([true, 2])
    expect(result.legacy).toEqual([`${serverUrl}/acme/old-tool/packages/12345`])
  })

  it('stated per page (30, then 2): complete', async () => {
    const result = readOf(await listing('paged', ['listing-per-page-1.html', 'listing-per-page-2.html']))
    expect([result.complete, result.problem, result.entries.length]).toEqual([true, null, 32])
    expect(result.entries[0]).toEqual({ ownerType: 'orgs', owner: 'paged', type: 'npm', name: 'p01', repo: 'r01' })
    expect(result.entries[31]).toMatchObject({ name: 'p32', repo: null })
  })

  it('stated for the whole listing on every page (32): complete', async () => {
    const whole = (html: string): string => html.replace(/>(30|2) packages</, '>32 packages<')
    const result = readOf(await listing('paged', ['listing-per-page-1.html', 'listing-per-page-2.html'], whole))
    expect([result.complete, result.entries.length, result.declaredCount]).toEqual([true, 32, 32])
  })

  it('agreeing with neither reading (page 2 states 3): incomplete', async () => {
    const off = (html: string, page: number): string => (page === 2 ? html.replace('>2 packages<', '>3 packages<') : html)
    const result = readOf(await listing('paged', ['listing-per-page-1.html', 'listing-per-page-2.html'], off))
    expect(result.complete).toBe(false)
    expect(result.problem?.marker).toBe('32 entries read but the page states 30 packages')
  })

  it("another owner's entries still take their places on a page: a full page is not read as the last", async () => {
    const others = (html: string, page: number): string =>
      page === 1 ? html.replaceAll('/orgs/paged/packages/npm/package/p01', '/orgs/other/packages/npm/package/p01') : html
    const result = readOf(await listing('paged', ['listing-per-page-1.html', 'listing-per-page-2.html'], others))
    expect(result.entries.map((e) => e.name)).toEqual(Array.from({ length: 31 }, (_, i) => `p${String(i + 2).padStart(2, '0')}`))
  })

  it('a later page answering 404 makes the listing incomplete', async () => {
    const result = readOf(await listing('paged', ['listing-per-page-1.html']))
    expect([result.complete, result.problem?.marker, result.entries.length]).toEqual([false, 'HTTP 404 on a later page', 30])
  })

  it('a stated count that is not a safe integer makes the listing incomplete', async () => {
    const result = readOf(await listing('acme', ['listing-org.html'], (html) => html.replace('4 packages', '9007199254740993 packages')))
    expect([result.complete, result.problem?.marker]).toEqual([false, 'N packages'])
  })

  it('page 1 answering 404 is a missing owner', async () => {
    expect(await listing('nobody', [])).toEqual({ kind: 'missing' })
  })
})
