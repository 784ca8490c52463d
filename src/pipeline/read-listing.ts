/**
 * Reading an owner's whole package listing (SPEC 5.1, 5.2). The listing is the only evidence that
 * a package is gone, so it says whether it was read completely: every page, and the entries adding
 * up to the count the page states.
 */
import type { Http } from '../ports.js'
import { NotUnderstood, type ListingEntry, type OwnerType } from '../types.js'
import { ownerListingUrl } from '../github/urls.js'
import { parseListing } from '../github/pages/listing.js'
import { fetchPage } from './page-fetch.js'

/** Entries GitHub shows per listing page. */
export const LISTING_PAGE_SIZE = 30

export type ListingRead =
  /** Page 1 answered 404: the owner is not there under this owner type. */
  | { kind: 'missing' }
  | {
      kind: 'read'
      entries: ListingEntry[]
      declaredCount: number | null
      /** Every page read and understood, and the entries add up to the declared count. */
      complete: boolean
      /** Why it is not complete, for the log. */
      problem: { page: string; marker: string } | null
    }

export async function readListing(
  http: Http,
  serverUrl: string,
  ownerType: OwnerType,
  owner: string,
  signal: AbortSignal
): Promise<ListingRead> {
  const byKey = new Map<string, ListingEntry>()
  let declaredCount: number | null = null
  let totalPages: number | null = null
  for (let page = 1; ; page++) {
    const url = ownerListingUrl(serverUrl, ownerType, owner, page)
    const html = await fetchPage(http, url, signal)
    if (html === null) {
      if (page === 1) return { kind: 'missing' }
      return incomplete(byKey, declaredCount, { page: url, marker: 'HTTP 404 on a later page' })
    }
    let parsed
    try {
      parsed = parseListing(html, url)
    } catch (error) {
      if (error instanceof NotUnderstood) return incomplete(byKey, declaredCount, { page: error.page, marker: error.marker })
      throw error
    }
    declaredCount = parsed.declaredCount
    totalPages = parsed.totalPages ?? totalPages
    for (const entry of parsed.entries) byKey.set(`${entry.type}/${entry.name}`, entry)

    const lastByPager = totalPages !== null && page >= totalPages
    const shortPage = parsed.entries.length < LISTING_PAGE_SIZE
    // Without a pager, a stated count bounds the pages (a full last page would otherwise ask once more).
    const lastByCount = totalPages === null && page * LISTING_PAGE_SIZE >= declaredCount
    if (lastByPager || shortPage || lastByCount) break
  }
  const entries = [...byKey.values()]
  if (entries.length !== declaredCount) {
    return incomplete(byKey, declaredCount, {
      page: ownerListingUrl(serverUrl, ownerType, owner, 1),
      marker: `${entries.length} entries read but the page states ${declaredCount} packages`
    })
  }
  return { kind: 'read', entries, declaredCount, complete: true, problem: null }
}

function incomplete(
  byKey: Map<string, ListingEntry>,
  declaredCount: number | null,
  problem: { page: string; marker: string }
): ListingRead {
  return { kind: 'read', entries: [...byKey.values()], declaredCount, complete: false, problem }
}
