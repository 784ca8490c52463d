/**
 * The few ways the page parsers find things: by visible text, by labels, by attributes and by link
 * shapes; never by utility classes or positions (GitHub renames classes, e.g. `mb-1` → `tmp-mb-1`).
 * Everything here is linear in the size of the page, whatever its shape (SPEC 12: a page may be 10 MB).
 */
import { DomHandler, Parser } from 'htmlparser2'
import type { AnyNode, Document, Element, Text } from 'domhandler'
import { NotUnderstood } from '../../types.js'
import { parseCount } from './count.js'


/**
 * Texts longer than this (in non-space characters) are never a label, a count or a version name: their
 * text is not kept, so a page of deeply nested text cannot make the parser hold its text once per level.
 */
const SHORT_TEXT = 256
/**
 * Deepest element nesting understood. Real pages nest about 25 deep; browsers stop at 512. The HTML
 * parser's work per tag grows with the depth, so a deeper page is refused before it costs more.
 */
export const MAX_DEPTH = 512
/** Elements whose content is never visible text (and could look like a label). */
const INVISIBLE = new Set(['script', 'style', 'template', 'noscript'])

export interface Page {
  url: string
  /** Every visible element in document order (script, style, template and noscript left out). */
  elements: Element[]
  /** Where each element's subtree ends in `elements` (exclusive), and where it starts. */
  spans: Map<Element, { start: number; end: number }>
  /**
   * The visible text of every node whose text is short (whitespace runs collapsed, not trimmed);
   * absent for longer ones. Computed once, bottom-up.
   */
  shortTexts: Map<AnyNode, string>
  /** Text nodes too long to be short texts: only looked at for what must not hide in them. */
  longTexts: Text[]
}

/** The DOM builder, refusing to nest deeper than MAX_DEPTH. */
class DepthLimitedHandler extends DomHandler {
  override onopentag(name: string, attribs: Record<string, string>): void {
    if (this.tagStack.length > MAX_DEPTH) throw new RangeError(`elements nested deeper than ${MAX_DEPTH}`)
    super.onopentag(name, attribs)
  }
}

function parseHtml(html: string, url: string): Document {
  const handler = new DepthLimitedHandler()
  try {
    new Parser(handler).end(html)
  } catch (error) {
    if (error instanceof RangeError) throw new NotUnderstood(url, 'page', error.message)
    throw error
  }
  return handler.root
}

export function loadPage(html: string, url: string): Page {
  const page: Page = { url, elements: [], spans: new Map(), shortTexts: new Map(), longTexts: [] }
  walk(page, parseHtml(html, url))
  return page
}

/** Joins two collapsed texts so that the result is collapsed too (one space where both have one). */
function joinCollapsed(a: string, b: string): string {
  if (a === '') return b
  if (b === '') return a
  return a.endsWith(' ') && b.startsWith(' ') ? a + b.slice(1) : a + b
}

/**
 * One walk over the document, without recursion (a page can nest deeper than the stack): elements in
 * document order with their spans, and short texts, children before parents. A parent with one
 * non-empty child shares that child's string.
 */
function walk(page: Page, root: Document): void {
  const letters = new Map<AnyNode, number>()
  const stack: { node: AnyNode; expanded: boolean }[] = [{ node: root, expanded: false }]
  while (stack.length > 0) {
    const top = stack.pop() as { node: AnyNode; expanded: boolean }
    const { node } = top
    if (node.type === 'text') {
      const count = node.data.replace(/\s+/g, '').length
      letters.set(node, count)
      if (count <= SHORT_TEXT) page.shortTexts.set(node, node.data.replace(/\s+/g, ' '))
      else page.longTexts.push(node)
      continue
    }
    if (!('children' in node)) continue // comments, directives: no visible text
    const element = node.type === 'root' || node.type === 'cdata' ? null : node
    if (!top.expanded) {
      if (element && INVISIBLE.has(element.name)) continue
      if (element) {
        page.spans.set(element, { start: page.elements.length, end: page.elements.length })
        page.elements.push(element)
      }
      stack.push({ node, expanded: true })
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i] as AnyNode, expanded: false })
      continue
    }
    if (element) (page.spans.get(element) as { end: number }).end = page.elements.length
    let count = 0
    for (const child of node.children) count += letters.get(child) ?? 0
    letters.set(node, count)
    if (count > SHORT_TEXT) continue
    let text = ''
    for (const child of node.children) text = joinCollapsed(text, page.shortTexts.get(child) ?? '')
    page.shortTexts.set(node, text)
  }
}

/** The elements inside `el` (not itself), in document order. */
export function descendants(page: Page, el: Element): Element[] {
  const span = page.spans.get(el)
  return span ? page.elements.slice(span.start + 1, span.end) : []
}

/** The elements of the page (or inside `within`) with this tag name and, when given, these attributes. */
export function elementsNamed(page: Page, name: string, attributes: Record<string, string | true> = {}, within?: Element): Element[] {
  const pool = within ? descendants(page, within) : page.elements
  const wanted = Object.entries(attributes)
  return pool.filter(
    (el) =>
      (name === '*' || el.name === name) &&
      wanted.every(([key, value]) => (value === true ? el.attribs[key] !== undefined : el.attribs[key] === value))
  )
}

/** Whether the element's `class` attribute lists this class. */
export function hasClass(el: Element, name: string): boolean {
  return (el.attribs['class'] ?? '').split(/\s+/).includes(name)
}

/** The `sr-only` label every version row carries: rows are found by it, and it names their marker. */
export const VERSION_DOWNLOADS_LABEL = 'Version downloads'

/** Text as a reader sees it (whitespace collapsed, trimmed); null when it is too long to be read. */
export function visibleText(page: Page, node: AnyNode): string | null {
  return page.shortTexts.get(node)?.trim() ?? null
}

/**
 * The innermost elements whose whole visible text matches (exactly, or the pattern), e.g. the
 * `<span>Total downloads</span>` label, not the wrappers around it that contain only it.
 */
export function elementsWithText(page: Page, text: string | RegExp): Element[] {
  const matches = (node: AnyNode): boolean => {
    const t = visibleText(page, node)
    return t !== null && (typeof text === 'string' ? t === text : text.test(t))
  }
  return page.elements.filter((el) => matches(el) && !el.children.some((child) => child.type === 'tag' && matches(child)))
}

/** The next element sibling (text and comments between are skipped), or null. */
function nextElement(node: AnyNode): Element | null {
  for (let next = node.next; next; next = next.next) if (next.type === 'tag') return next as Element
  return null
}

/**
 * The element that holds a label's value, inside the label's own block (SPEC 12): the element right
 * after the label, or, when the label is the last of its parent, the parent's next element. Never
 * "the next heading anywhere later": a number further down the page is not this label's.
 */
export function valueElement(label: Element): Element | null {
  const next = nextElement(label)
  if (next) return next
  const parent = label.parent
  return parent && parent.type === 'tag' ? nextElement(parent) : null
}

/** The one element with this visible text; null when absent, not understood when repeated. */
export function uniqueLabel(page: Page, label: string): Element | null {
  const labels = elementsWithText(page, label)
  if (labels.length > 1) throw new NotUnderstood(page.url, label, `label found ${labels.length} times`)
  return labels[0] ?? null
}

/**
 * The exact number of a label (`Total downloads` → `<h3 title="14360">14.4K</h3>`): the `title` of
 * the label's value element, else its visible text when that is an exact count. The rounded text
 * (`14.4K`) is never taken. Null when the label is absent; not understood when it is there without
 * an exact number in its block.
 */
export function numberOfLabel(page: Page, label: string): number | null {
  const labelEl = uniqueLabel(page, label)
  if (!labelEl) return null
  const value = valueElement(labelEl)
  if (!value) throw new NotUnderstood(page.url, label, 'nothing after the label in its block')
  const title = value.attribs['title']
  const text = title ?? visibleText(page, value) ?? ''
  const n = parseCount(text)
  if (n === null) throw new NotUnderstood(page.url, label, `no exact count after the label (${show(text)})`)
  return n
}

/** A value for a message: quoted, and cut when a stranger made it long. */
export function show(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
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
  const [pager] = elementsNamed(page, '*', { 'aria-label': 'Pagination' })
  if (!pager) return null
  const stated = elementsNamed(page, '*', { 'data-total-pages': true }, pager)[0]?.attribs['data-total-pages']
  if (stated !== undefined) {
    const n = parseCount(stated)
    if (n === null || n < 1) throw new NotUnderstood(page.url, 'data-total-pages', `value ${show(stated)}`)
    return n
  }
  let highest = 1
  for (const a of elementsNamed(page, 'a', { href: true }, pager)) {
    const n = parseCount(linkUrl(page, a)?.searchParams.get('page') ?? undefined)
    if (n !== null && n > highest) highest = n
  }
  return highest
}

/**
 * The one count stated as `N <noun>` on the page (`1,862 tagged`, `4 packages`); null when none is.
 * Several different ones, or one that is not an exact count, are not understood.
 */
export function statedCount(page: Page, pattern: RegExp, marker: string): number | null {
  const texts = new Set(elementsWithText(page, pattern).map((el) => pattern.exec(visibleText(page, el) ?? '')?.[1] ?? ''))
  // A statement too long to be a short text (`<400 digits> tagged`) is not understood, never skipped.
  const long = page.longTexts.find((node) => pattern.test(node.data.replace(/\s+/g, ' ').trim()))
  if (long) throw new NotUnderstood(page.url, marker, `stated ${show(long.data.trim())}`)
  if (texts.size === 0) return null
  const values = new Set([...texts].map((text) => parseCount(text)))
  const [value] = [...values]
  if (values.size > 1 || value === null || value === undefined) {
    throw new NotUnderstood(page.url, marker, `stated ${[...texts].map(show).join(', ')}`)
  }
  return value
}
