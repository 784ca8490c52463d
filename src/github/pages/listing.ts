/**
 * An owner's package listing page (SPEC 5.2, 12): the entries of the owner being listed, their
 * repositories, what could not be read, legacy entries, the stated count and the pager.
 */
import { isLogin, packageRef, type PackageRefInput } from '../../package-ref.js'
import { NotUnderstood, type ListingEntry, type ListingPage } from '../../types.js'
import { parsePackageLinkPath } from '../urls.js'
import type { Element } from 'domhandler'
import { elementsNamed, linkUrl, loadPage, show, statedCount, totalPagesOf } from './dom.js'
import { entryCounts } from './listing-count.js'

// Shaped like an entry (`/{users|orgs}/OWNER/packages/TYPE/package/PKG`), before anything is checked.
const ENTRY_SHAPE = /^\/(?:users|orgs)\/([^/]*)\/packages\/[^/]*\/package\//
// A legacy entry: `/OWNER/REPO/packages/ID`.
const LEGACY_SHAPE = /^\/([^/]+)\/[^/]+\/packages\/\d+\/?$/
const REPO_LINK = /^\/([^/]+)\/([^/]+)\/?$/
const COUNT = /^([\d,]+) packages?$/

type Unreadable = ListingPage['unreadable'][number]

/** Decodes a path segment; null when it is not valid percent-encoding. */
function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

/**
 * Reads the listing page of `owner`. Entries are its links `/{users|orgs}/OWNER/packages/TYPE/package/PKG`
 * in document order (a link repeated right after itself is the same entry), counted only when OWNER
 * names the owner being listed (case-insensitive); other owners' links are ignored. An entry's
 * repository is the next two-segment link `/OWNER/REPO` of the same owner before the next entry-shaped
 * link, else null: a link that cannot be read still ends the previous entry, so its repository is never
 * shifted onto another entry. The stated count is returned as is: the caller compares it.
 */
export function parseListing(html: string, pageUrl: string, owner: string): ListingPage {
  const page = loadPage(html, pageUrl)
  const listed = owner.toLowerCase()
  const raw: { href: string; link: Element; input: PackageRefInput }[] = []
  const unreadable: Unreadable[] = []
  const legacy = new Set<string>()
  let others = 0
  let current: PackageRefInput | null = null
  let currentHref = ''
  for (const a of elementsNamed(page, 'a', { href: true })) {
    const url = linkUrl(page, a)
    if (!url) continue
    const path = url.pathname
    const shape = ENTRY_SHAPE.exec(path) ?? LEGACY_SHAPE.exec(path)
    if (shape) {
      if (path === currentHref) continue // the icon and the name of one entry link to the same page
      currentHref = path
      current = null
      const linkOwner = decoded(shape[1] ?? '')
      if (linkOwner === null || !isLogin(linkOwner)) {
        unreadable.push({ href: path, reason: `owner ${show(linkOwner ?? shape[1] ?? '')} is not a valid login` })
        continue
      }
      if (linkOwner.toLowerCase() !== listed) {
        others++ // another owner's package
        continue
      }
      if (LEGACY_SHAPE.test(path)) {
        legacy.add(path)
        continue
      }
      const link = parsePackageLinkPath(path)
      if (!link) {
        unreadable.push({ href: path, reason: 'not a package link' })
        continue
      }
      // The login as the listing knows it: one owner keeps one spelling, however a link cases it.
      current = { ownerType: link.ownerType, owner, type: link.type, name: link.name, repo: null }
      raw.push({ href: path, link: a, input: current })
      continue
    }
    const repo = REPO_LINK.exec(path)
    if (current && current.repo === null && repo && decoded(repo[1] ?? '')?.toLowerCase() === listed) {
      current.repo = decoded(repo[2] ?? '') ?? ''
    }
  }
  const entries: ListingEntry[] = []
  const counts = entryCounts(page, raw.map((entry) => entry.link))
  raw.forEach(({ href, input }, i) => {
    const checked = packageRef(input) // the type, the name and the repository, as strangers wrote them
    if (!checked.ok) {
      unreadable.push({ href, reason: checked.reason })
      return
    }
    // The download count the listing shows beside the entry, when it shows one (SPEC 13.1).
    const downloads = counts[i]
    entries.push(downloads ? { ...checked.ref, downloads } : checked.ref)
  })
  const declaredCount = statedCount(page, COUNT, 'N packages')
  if (declaredCount === null) throw new NotUnderstood(pageUrl, 'N packages', 'no stated count')
  return { entries, unreadable, legacy: [...legacy], others, declaredCount, totalPages: totalPagesOf(page) }
}
