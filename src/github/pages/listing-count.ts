/**
 * The download count an owner listing shows beside each package (SPEC 13.1): abbreviated text
 * (`9.49k downloads`), exact below 1,000 or where the element (or a wrapper inside the entry) carries
 * the exact number in `title`. Found by its visible text inside the entry's own block (the largest
 * ancestor of the entry's link that holds no other entry), never by classes. A count that is absent,
 * repeated with different values or unreadable is no count: the package page is then read.
 */
import type { Element } from 'domhandler'
import { parseListingCount, type ListingCount } from '../../domain/quiet.js'
import { elementsWithText, visibleText, type Page } from './dom.js'

const COUNT_TEXT = /^(\d[\d,.]*\s?[kmb]?) downloads?$/i
const EXACT_TITLE = /^(\d{1,3}(?:,\d{3})*|\d+)(?: downloads?)?$/i

/** The count shown in the block of `link`, one of the listing's entry links `entryLinks`. */
export function entryDownloads(page: Page, link: Element, entryLinks: readonly Element[]): ListingCount | null {
  const others = entryLinks.filter((other) => other !== link && other.attribs.href !== link.attribs.href)
  let block: Element = link
  for (let up = block.parent; up && up.type === 'tag'; up = up.parent) {
    if (others.some((other) => contains(up as Element, other))) break
    block = up
  }
  const found = new Map<string, ListingCount>()
  for (const el of elementsWithText(page, COUNT_TEXT)) {
    if (!contains(block, el)) continue
    const shown = parseListingCount(COUNT_TEXT.exec(visibleText(page, el))?.[1] ?? '')
    if (!shown) return null
    const count = exactFromTitle(el, block, shown)
    if (!count) return null
    found.set(`${count.low}-${count.high}`, count)
  }
  return found.size === 1 ? ([...found.values()][0] ?? null) : null
}

/** The exact `title` on the element or a wrapper within the block, if it agrees with the text. */
function exactFromTitle(el: Element, block: Element, shown: ListingCount): ListingCount | null {
  for (let at: Element | null = el; at; at = at === block ? null : (at.parent as Element | null)) {
    const title = at.attribs.title?.trim()
    if (title === undefined) continue
    const m = EXACT_TITLE.exec(title)
    if (!m?.[1]) continue
    const exact = Number(m[1].replace(/,/g, ''))
    // A title that contradicts the visible text is not understood (never a guess).
    return Number.isSafeInteger(exact) && exact >= shown.low && exact <= shown.high ? { low: exact, high: exact } : null
  }
  return shown
}

function contains(ancestor: Element, node: Element): boolean {
  for (let at: Element | null = node; at; at = at.parent as Element | null) if (at === ancestor) return true
  return false
}
