/**
 * Version rows, as the versions list and the "Recent tagged … versions" box of a package page show
 * them (SPEC 5.2): found through their `sr-only` "Version downloads" labels, linear in the page size.
 */
import type { AnyNode, Element } from 'domhandler'
import { NotUnderstood, type VersionRow } from '../../types.js'
import { parseVersionLinkPath } from '../urls.js'
import { parseCount } from './count.js'
import { elementsNamed, hasClass, linkUrl, show, visibleText, VERSION_DOWNLOADS_LABEL, type Page } from './dom.js'

interface VersionLink {
  el: Element
  url: URL
  id: number
}

/** A link to one version (`.../TYPE/PKG/ID`, not a package page whose name is all digits), or null. */
function versionLink(page: Page, a: Element): VersionLink | null {
  const url = linkUrl(page, a)
  if (!url || /^\/(?:users|orgs)\/[^/]+\/packages\/[^/]+\/package\/\d+\/?$/.test(url.pathname)) return null
  const version = parseVersionLinkPath(url.pathname)
  return version ? { el: a, url, id: version.id } : null
}

/** Every version link of the page, in document order. */
function versionLinks(page: Page): VersionLink[] {
  const links: VersionLink[] = []
  for (const a of elementsNamed(page, 'a', { href: true })) {
    const link = versionLink(page, a)
    if (link) links.push(link)
  }
  return links
}

/**
 * The distinct version ids linked from anywhere on the page: evidence that the page shows versions,
 * whether or not their rows were read.
 */
export function linkedVersionIds(page: Page): Set<number> {
  return new Set(versionLinks(page).map((link) => link.id))
}

/**
 * How many of the given nodes each element holds (itself included), for every element at once:
 * elements in reverse document order come after their descendants, so one pass adds each count
 * to its parent.
 */
function countsPerElement(page: Page, nodes: readonly AnyNode[]): Map<AnyNode, number> {
  const counts = new Map<AnyNode, number>()
  for (const node of nodes) counts.set(node, (counts.get(node) ?? 0) + 1)
  for (let i = page.elements.length - 1; i >= 0; i--) {
    const el = page.elements[i] as Element
    const n = counts.get(el)
    if (n && el.parent) counts.set(el.parent, (counts.get(el.parent) ?? 0) + n)
  }
  return counts
}

/**
 * Version rows, wherever they are: each `sr-only` "Version downloads" label is one row; the row is
 * the smallest ancestor of the label that also holds a version link, and it must hold no other label.
 */
export function versionRows(page: Page): VersionRow[] {
  const labels = page.elements.filter((el) => visibleText(page, el) === VERSION_DOWNLOADS_LABEL && hasClass(el, 'sr-only'))
  if (labels.length === 0) return []
  const links = versionLinks(page)
  const linksIn = countsPerElement(page, links.map((link) => link.el))
  const labelsIn = countsPerElement(page, labels)
  const linkOf = new Map(links.map((link) => [link.el, link]))
  // A row found is checked before the next label's walk, so the walks stay inside disjoint rows.
  return labels.map((label) => {
    let row: AnyNode | null = label.parent
    while (row && !linksIn.get(row)) row = row.parent
    if (!row || row.type !== 'tag') {
      throw new NotUnderstood(page.url, 'version link', 'a "Version downloads" label outside any version row')
    }
    if (labelsIn.get(row) !== 1) throw new NotUnderstood(page.url, 'version link', 'a row with several download counts')
    return readRow(page, row as Element, label, linkOf)
  })
}

function readRow(page: Page, row: Element, label: Element, linkOf: Map<Element, VersionLink>): VersionRow {
  const links = elementsNamed(page, 'a', { href: true }, row).flatMap((a) => linkOf.get(a) ?? [])
  const ids = new Set(links.map((l) => l.id))
  const [id] = [...ids]
  if (ids.size !== 1 || id === undefined) throw new NotUnderstood(page.url, 'version link', `a row links ${ids.size} version ids`)
  if (!Number.isSafeInteger(id)) throw new NotUnderstood(page.url, 'version link', 'a version id that is not a safe integer')

  const tags: string[] = []
  for (const link of links) {
    const tag = link.url.searchParams.get('tag') // URLSearchParams decodes `+` and %XX
    if (tag !== null && tag !== '' && !tags.includes(tag)) tags.push(tag)
  }
  return { id, name: rowName(page, row, links), tags, downloads: downloadsBefore(page, label) }
}

/**
 * The digest (`clipboard-copy value="sha256:..."`) of a tagged container row, else the text of the
 * version link without `?tag=`: an untagged container row's digest, another type's version name.
 */
function rowName(page: Page, row: Element, links: VersionLink[]): string {
  const digest = elementsNamed(page, 'clipboard-copy', { value: true }, row)
    .map((el) => el.attribs['value'] ?? '')
    .find((value) => /^sha256:[0-9a-f]{64}$/.test(value))
  if (digest) return digest
  const plain = links.find((l) => !l.url.searchParams.has('tag'))
  const name = plain ? visibleText(page, plain.el) : null
  if (!name) throw new NotUnderstood(page.url, 'version name', 'a row with neither a digest nor a version link text')
  return name
}

/**
 * The count printed just before the `Version downloads` label (the svg icon before it has no text):
 * the last word before the label must be an exact count, so `1.2k`, `-5` or `1e30` are not read.
 */
function downloadsBefore(page: Page, label: Element): number {
  let before = ''
  for (let node = label.prev; node; node = node.prev) {
    const text = page.shortTexts.get(node)
    if (text === undefined) {
      if (node.type !== 'text' && !('children' in node)) continue // a comment: no visible text
      throw new NotUnderstood(page.url, VERSION_DOWNLOADS_LABEL, 'too much text before the label')
    }
    before = text + before
    if (before.trim() !== '') break
  }
  const word = /(\S+)\s*$/.exec(before)?.[1] ?? ''
  const count = parseCount(word)
  if (count === null) throw new NotUnderstood(page.url, VERSION_DOWNLOADS_LABEL, `no exact count before the label (${show(word)})`)
  return count
}
