/**
 * The few ways the page parsers find things: by visible text, by labels, by attributes and by link
 * shapes; never by utility classes or positions (GitHub renames classes, e.g. `mb-1` → `tmp-mb-1`).
 */
import { load, type CheerioAPI } from 'cheerio/slim'
import type { AnyNode, Element } from 'domhandler'
import { NotUnderstood, type VersionRow } from '../../types.js'
import { parseVersionLinkPath } from '../urls.js'
import { parseCount } from './count.js'

export type { CheerioAPI, Element }

export interface Page {
  $: CheerioAPI
  url: string
  /** Every element in document order (for "the first X after Y"). */
  elements: Element[]
  /** Text of each node once computed: label searches look at every element's text. */
  texts: Map<AnyNode, string>
}

export function loadPage(html: string, url: string): Page {
  const $ = load(html)
  // script/style/template hold no visible content, only text that could look like a label
  $('script, style, template, noscript').remove()
  const elements = $('*')
    .toArray()
    .filter((node): node is Element => node.type === 'tag' || node.type === 'script' || node.type === 'style')
  return { $, url, elements, texts: new Map() }
}

/**
 * The text content of a node (what cheerio's `.text()` gives), computed bottom-up once per node:
 * asking every element for its text would otherwise walk each subtree again for every ancestor.
 */
function textContent(page: Page, node: AnyNode): string {
  const cached = page.texts.get(node)
  if (cached !== undefined) return cached
  let text = ''
  if (node.type === 'text') text = node.data
  else if ('children' in node) for (const child of node.children) text += textContent(page, child)
  page.texts.set(node, text)
  return text
}

/** Text as a reader sees it: whitespace runs collapsed, trimmed. */
export function visibleText(page: Page, el: AnyNode): string {
  return textContent(page, el).replace(/\s+/g, ' ').trim()
}

/**
 * The innermost elements whose whole visible text matches (exactly, or the pattern), e.g. the
 * `<span>Total downloads</span>` label, not the wrappers around it that contain only it.
 */
export function elementsWithText(page: Page, text: string | RegExp): Element[] {
  const matches = (el: Element): boolean => {
    const t = visibleText(page, el)
    return typeof text === 'string' ? t === text : text.test(t)
  }
  return page.elements.filter(
    (el) => matches(el) && !page.$(el).children().toArray().some((child) => matches(child))
  )
}

const HEADING = /^h[1-6]$/

/** The first heading-like element (h1..h6 or role=heading) after `el` in document order, outside it. */
export function headingAfter(page: Page, el: Element): Element | null {
  const start = page.elements.indexOf(el)
  for (let i = start + 1; i < page.elements.length; i++) {
    const candidate = page.elements[i]
    if (!candidate || page.$.contains(el, candidate)) continue
    if (HEADING.test(candidate.tagName) || candidate.attribs['role'] === 'heading') return candidate
  }
  return null
}

/** An exact integer (`14360`, `1,234`): a rounded form like `14.4K` is not exact. */
export function exactInteger(text: string | undefined): number | null {
  if (text === undefined) return null
  const s = text.trim()
  return /^\d+$/.test(s) || /^\d{1,3}(?:,\d{3})+$/.test(s) ? Number(s.replace(/,/g, '')) : null
}

/**
 * The number shown under a label (`Total downloads` → `<h3 title="14360">14.4K</h3>`). The label
 * must occur exactly once; the number comes from the heading right after it: its `title` when that
 * is exact, else its text when `allowRounded` (else only an exact text). Null when the label is absent.
 */
export function numberAfterLabel(page: Page, label: string, allowRounded: boolean): number | null {
  const labels = elementsWithText(page, label)
  if (labels.length === 0) return null
  if (labels.length > 1) throw new NotUnderstood(page.url, label, `label found ${labels.length} times`)
  const [labelEl] = labels as [Element]
  const heading = headingAfter(page, labelEl)
  if (!heading) throw new NotUnderstood(page.url, label, 'no heading after the label')
  const exact = exactInteger(heading.attribs['title'])
  if (exact !== null) return exact
  const text = visibleText(page, heading)
  const fromText = allowRounded ? parseCount(text) : exactInteger(text)
  if (fromText === null) throw new NotUnderstood(page.url, label, `no number after the label (${JSON.stringify(text)})`)
  return fromText
}

/** The path of a link, resolved against the page; null for other hosts or unparsable hrefs. */
export function linkUrl(page: Page, el: Element): URL | null {
  const href = el.attribs['href']
  if (!href) return null
  try {
    const pageUrl = new URL(page.url)
    const url = new URL(href, pageUrl)
    return url.origin === pageUrl.origin ? url : null
  } catch {
    return null
  }
}

/**
 * `data-total-pages` on the current-page link of the pager (`aria-label="Pagination"`), else the
 * highest `page=N` linked from it; null when the page has no pager.
 */
export function totalPagesOf(page: Page): number | null {
  const pager = page.$('[aria-label="Pagination"]').first()
  if (pager.length === 0) return null
  const stated = pager.find('[data-total-pages]').first().attr('data-total-pages')
  if (stated !== undefined) {
    const n = exactInteger(stated)
    if (n === null || n < 1) throw new NotUnderstood(page.url, 'data-total-pages', `value ${JSON.stringify(stated)}`)
    return n
  }
  let highest = 1
  for (const a of pager.find('a[href]').toArray()) {
    const n = Number(linkUrl(page, a)?.searchParams.get('page') ?? '')
    if (Number.isInteger(n) && n > highest) highest = n
  }
  return highest
}

/** The `sr-only` label every version row carries: rows are found by it, and it names their marker. */
export const VERSION_DOWNLOADS_LABEL = 'Version downloads'

/**
 * Version rows, wherever they are: each `sr-only` "Version downloads" label is one row; the row is
 * the smallest ancestor of the label that also holds a version link. Works for the versions list
 * and the "Recent tagged … versions" box of a package page alike.
 */
export function versionRows(page: Page): VersionRow[] {
  const { $ } = page
  const labels = $('.sr-only')
    .toArray()
    .filter((el) => visibleText(page, el) === VERSION_DOWNLOADS_LABEL)
  return labels.map((label) => readRow(page, label))
}

/**
 * The distinct version ids linked from anywhere on the page (`.../TYPE/PKG/ID`): evidence that the
 * page shows versions, whether or not their rows were read. A package-page link
 * (`/{users|orgs}/OWNER/packages/TYPE/package/NAME`) whose name is all digits has the same shape and
 * is not counted.
 */
export function linkedVersionIds(page: Page): Set<number> {
  const ids = new Set<number>()
  for (const a of page.$('a[href]').toArray()) {
    const url = linkUrl(page, a)
    if (!url || /^\/(?:users|orgs)\/[^/]+\/packages\/[^/]+\/package\/\d+\/?$/.test(url.pathname)) continue
    const version = parseVersionLinkPath(url.pathname)
    if (version) ids.add(version.id)
  }
  return ids
}

function versionLinks(page: Page, row: Element): { el: Element; url: URL; id: number }[] {
  const found: { el: Element; url: URL; id: number }[] = []
  for (const a of page.$(row).find('a[href]').toArray()) {
    const url = linkUrl(page, a)
    const version = url && parseVersionLinkPath(url.pathname)
    if (url && version) found.push({ el: a, url, id: version.id })
  }
  return found
}

function readRow(page: Page, label: Element): VersionRow {
  const { $ } = page
  let row: Element | null = label.parent && label.parent.type === 'tag' ? (label.parent as Element) : null
  while (row && versionLinks(page, row).length === 0) {
    row = row.parent && row.parent.type === 'tag' ? (row.parent as Element) : null
  }
  if (!row) throw new NotUnderstood(page.url, 'version link', 'a "Version downloads" label outside any version row')
  const labelsInRow = $(row)
    .find('.sr-only')
    .toArray()
    .filter((el) => visibleText(page, el) === VERSION_DOWNLOADS_LABEL)
  if (labelsInRow.length !== 1) throw new NotUnderstood(page.url, 'version link', 'a row with several download counts')

  const links = versionLinks(page, row)
  const ids = new Set(links.map((l) => l.id))
  const [id] = [...ids]
  if (ids.size !== 1 || id === undefined) {
    throw new NotUnderstood(page.url, 'version link', `a row links ${ids.size} version ids`)
  }

  const tags: string[] = []
  for (const link of links) {
    const tag = link.url.searchParams.get('tag') // URLSearchParams decodes `+` and %XX
    if (tag !== null && tag !== '' && !tags.includes(tag)) tags.push(tag)
  }

  return { id, name: rowName(page, row, links), tags, downloads: downloadsBefore(page, label) }
}

/** The digest (`clipboard-copy value="sha256:..."`), else the text of the version link without `?tag=`. */
function rowName(page: Page, row: Element, links: { el: Element; url: URL }[]): string {
  const digest = page
    .$(row)
    .find('clipboard-copy[value^="sha256:"]')
    .toArray()
    .map((el) => el.attribs['value'] ?? '')
    .find((value) => /^sha256:[0-9a-f]{64}$/.test(value))
  if (digest) return digest
  const plain = links.find((l) => !l.url.searchParams.has('tag'))
  const name = plain ? visibleText(page, plain.el) : ''
  if (!name) throw new NotUnderstood(page.url, 'version name', 'a row with neither a digest nor a version link text')
  return name
}

/** The number printed just before the `Version downloads` label (the svg icon before it has no text). */
function downloadsBefore(page: Page, label: Element): number {
  const parent = label.parent
  const before: string[] = []
  if (parent) {
    for (const node of page.$(parent).contents().toArray()) {
      if (node === label) break
      before.push(textContent(page, node))
    }
  }
  const m = /([\d.,]+\s?[kmb]?)\s*$/i.exec(before.join(' ').trim())
  const count = m?.[1] ? parseCount(m[1]) : null
  if (count === null) throw new NotUnderstood(page.url, VERSION_DOWNLOADS_LABEL, 'no number before the label')
  return count
}
