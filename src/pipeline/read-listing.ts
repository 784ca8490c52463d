/**
 * Reading an owner's whole package listing (SPEC 5.1, 5.2, 12). The listing is the only evidence that
 * a package is gone, so it says whether it was read completely: every page read and understood, every
 * entry-shaped link readable, and the entries (with legacy ones) adding up to the stated count, read
 * either as the count of each page or as the count of the whole listing.
 */
import type { Http } from '../ports.js'
import { NotUnderstood, type ListingEntry, type OwnerType } from '../types.js'
import { ownerListingUrl } from '../github/urls.js'
import { parseListing } from '../github/pages/listing.js'
import { fetchPage } from './page-fetch.js'

/** Entries GitHub shows per listing page. */
export const LISTING_PAGE_SIZE = 30

type Problem = { page: string; marker: string }

export type ListingRead =
  /** Page 1 answered 404: the owner is not there under this owner type. */
  | { kind: 'missing' }
  | {
      kind: 'read'
      entries: ListingEntry[]
      declaredCount: number | null
      /** Every page read and understood, and the entries add up to the stated count. */
      complete: boolean
      /** Why it is not complete, for the log. */
      problem: Problem | null
      /** URLs of legacy entries (`/OWNER/REPO/packages/ID`): counted, not read; for a notice. */
      legacy: string[]
    }

/** What one page said, for the two readings of its stated count. */
interface PageCount {
  url: string
  found: number
  declared: number
}

export async function readListing(
  http: Http,
  serverUrl: string,
  ownerType: OwnerType,
  owner: string,
  signal: AbortSignal
): Promise<ListingRead> {
  const byKey = new Map<string, ListingEntry>()
  const legacy = new Set<string>()
  const pages: PageCount[] = []
  let problem: Problem | null = null
  let totalPages: number | null = null
  const result = (): ListingRead => ({
    kind: 'read',
    entries: [...byKey.values()],
    declaredCount: pages.at(-1)?.declared ?? null,
    complete: problem === null,
    problem,
    legacy: [...legacy]
  })
  for (let page = 1; ; page++) {
    const url = ownerListingUrl(serverUrl, ownerType, owner, page)
    const html = await fetchPage(http, url, signal)
    if (html === null) {
      if (page === 1) return { kind: 'missing' }
      problem ??= { page: url, marker: 'HTTP 404 on a later page' }
      return result()
    }
    let parsed
    try {
      parsed = parseListing(html, url, owner)
    } catch (error) {
      if (!(error instanceof NotUnderstood)) throw error
      problem ??= { page: error.page, marker: error.marker }
      return result()
    }
    const [unreadable] = parsed.unreadable
    if (unreadable) problem ??= { page: url, marker: `entry link ${unreadable.href} not understood: ${unreadable.reason}` }
    const onPage = new Set<string>()
    for (const entry of parsed.entries) {
      const key = `${entry.type}/${entry.name.toLowerCase()}` // names match case-insensitively (SPEC 12)
      onPage.add(key)
      byKey.set(key, entry)
    }
    for (const path of parsed.legacy) legacy.add(new URL(path, url).href)
    pages.push({ url, found: onPage.size + parsed.legacy.length, declared: parsed.declaredCount })
    totalPages = parsed.totalPages ?? totalPages

    const lastByPager = totalPages !== null && page >= totalPages
    // Every entry-shaped link takes a place, read or not.
    const shortPage = onPage.size + parsed.legacy.length + parsed.unreadable.length + parsed.others < LISTING_PAGE_SIZE
    // Without a pager, a stated count bounds the pages (a full last page would otherwise ask once more).
    const lastByCount = totalPages === null && page * LISTING_PAGE_SIZE >= parsed.declaredCount
    if (lastByPager || shortPage || lastByCount) break
  }
  problem ??= countProblem(pages, byKey.size + legacy.size)
  return result()
}

/**
 * Null when the entries agree with the stated count read either way: every page states the whole
 * listing's count, or each page states its own.
 */
function countProblem(pages: PageCount[], found: number): Problem | null {
  const wholeListing = pages.every((p) => p.declared === found)
  const perPage = pages.every((p) => p.declared === p.found)
  if (wholeListing || perPage) return null
  const first = pages[0] as PageCount
  return { page: first.url, marker: `${found} entries read but the page states ${first.declared} packages` }
}
