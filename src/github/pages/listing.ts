/** An owner's package listing page (SPEC 5.2): entries, their repositories, the stated count, the pager. */
import { isPackageType, NotUnderstood, type ListingEntry, type ListingPage } from '../../types.js'
import { parsePackageLinkPath } from '../urls.js'
import { elementsWithText, exactInteger, linkUrl, loadPage, totalPagesOf, visibleText, type Element, type Page } from './dom.js'
import { entryDownloads } from './listing-count.js'

/**
 * Reads a listing page. Entries are the links `/{users|orgs}/OWNER/packages/TYPE/package/PKG` in
 * document order (a link repeated right after itself is the same entry); an entry's repository is
 * the next two-segment link `/OWNER/REPO` of the same owner before the next entry, else null. The
 * stated count (`N packages`) is returned as is: comparing it with the entries read over all pages
 * is the caller's job. An unknown TYPE in an entry link is not understood.
 */
export function parseListing(html: string, pageUrl: string): ListingPage {
  const page = loadPage(html, pageUrl)
  const entries: ListingEntry[] = []
  let current: ListingEntry | null = null
  let currentHref = ''
  const entryLinks: Element[] = []
  for (const a of page.$('a[href]').toArray()) {
    const url = linkUrl(page, a)
    if (!url) continue
    const link = parsePackageLinkPath(url.pathname)
    if (link) {
      if (url.pathname === currentHref) continue
      if (!isPackageType(link.type)) throw new NotUnderstood(pageUrl, 'package link', `unknown package type "${link.type}"`)
      current = { ownerType: link.ownerType, owner: link.owner, type: link.type, name: link.name, repo: null }
      currentHref = url.pathname
      entries.push(current)
      entryLinks.push(a)
      continue
    }
    const repo = repoOf(url.pathname, current?.owner)
    if (current && current.repo === null && repo !== null) current.repo = repo
  }
  // Each entry's download count, when the listing shows one (SPEC 13.1).
  entries.forEach((entry, i) => {
    const downloads = entryLinks[i] && entryDownloads(page, entryLinks[i], entryLinks)
    if (downloads) entry.downloads = downloads
  })
  return { entries, declaredCount: declaredCount(page), totalPages: totalPagesOf(page) }
}

/** `/OWNER/REPO` of the given owner (case-insensitive, as logins are) → REPO. */
function repoOf(pathname: string, owner: string | undefined): string | null {
  const m = /^\/([^/]+)\/([^/]+)\/?$/.exec(pathname)
  if (!m || !m[1] || !m[2] || owner === undefined) return null
  try {
    return decodeURIComponent(m[1]).toLowerCase() === owner.toLowerCase() ? decodeURIComponent(m[2]) : null
  } catch {
    return null
  }
}

const COUNT = /^([\d,]+) packages?$/

function declaredCount(page: Page): number {
  const values = new Set(
    elementsWithText(page, COUNT).map((el) => exactInteger(COUNT.exec(visibleText(page, el))?.[1]))
  )
  const [value] = [...values]
  if (values.size !== 1 || value === null || value === undefined) {
    throw new NotUnderstood(page.url, 'N packages', values.size === 0 ? 'no stated count' : 'several different stated counts')
  }
  return value
}
