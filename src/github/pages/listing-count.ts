/**
 * The download count an owner listing shows beside each package (SPEC 13.1): abbreviated text
 * (`9.49k downloads`), exact below 1,000 or where the element (or a wrapper inside the entry) carries
 * the exact number in `title`. Found by its visible text inside the entry's own block (the largest
 * ancestor of the entry's link that holds no other entry), never by classes. A count that is absent,
 * repeated with different values or unreadable is no count: the package page is then read.
 */
import type { Element } from 'domhandler'
import { parseListingCount, type ListingCount } from '../../domain/quiet.js'
import { parseCount } from './count.js'
import { elementsWithText, visibleText, type Page } from './dom.js'

const COUNT_TEXT = /^(\d[\d,.]*\s?[kmb]?) downloads?$/i
const EXACT_TITLE = /^(\d{1,3}(?:,\d{3})*|\d+)(?: downloads?)?$/i

/**
 * The count shown in each entry's block, for every entry link at once (index-aligned with
 * `entryLinks`; null: no readable count). Linear in the page: each ancestor learns which entry links
 * it holds, and each count belongs to the entry that is alone in its lowest ancestor holding any
 * (that ancestor lies inside the entry's block: the largest one holding no other entry).
 */
export function entryCounts(page: Page, entryLinks: readonly Element[]): (ListingCount | null)[] {
  const holds = new Map<Element, string | typeof SEVERAL>()
  for (const link of entryLinks) {
    const href = link.attribs.href ?? ''
    for (let at: Element | null = link; at; at = parentElement(at)) {
      const held = holds.get(at)
      if (held === SEVERAL || (held !== undefined && held !== href)) {
        holds.set(at, SEVERAL)
      } else if (held === undefined) holds.set(at, href)
      else break // this href already marked the ancestors above
    }
  }
  const found = new Map<string, Map<string, ListingCount> | null>()
  for (const el of elementsWithText(page, COUNT_TEXT)) {
    let owner: string | typeof SEVERAL | undefined
    for (let at: Element | null = el; at && owner === undefined; at = parentElement(at)) owner = holds.get(at)
    if (owner === undefined || owner === SEVERAL) continue
    const counts = found.get(owner)
    if (counts === null) continue
    const shown = parseListingCount(COUNT_TEXT.exec(visibleText(page, el) ?? '')?.[1] ?? '')
    const count = shown && exactFromTitle(el, shown, (at) => holds.get(at) === SEVERAL)
    if (!count) found.set(owner, null)
    else (counts ?? found.set(owner, new Map()).get(owner))?.set(`${count.low}-${count.high}`, count)
  }
  return entryLinks.map((link) => {
    const counts = found.get(link.attribs.href ?? '')
    return counts && counts.size === 1 ? ([...counts.values()][0] ?? null) : null
  })
}

const SEVERAL = Symbol('several entries')

function parentElement(el: Element): Element | null {
  const up = el.parent
  return up && up.type === 'tag' ? (up as Element) : null
}

/** The exact `title` on the element or a wrapper of it inside the entry's block, if it agrees with the text. */
function exactFromTitle(el: Element, shown: ListingCount, outsideBlock: (at: Element) => boolean): ListingCount | null {
  for (let at: Element | null = el; at && !outsideBlock(at); at = parentElement(at)) {
    const title = at.attribs.title?.trim()
    if (title === undefined) continue
    const m = EXACT_TITLE.exec(title)
    if (!m?.[1]) continue
    const exact = parseCount(m[1])
    // A title that contradicts the visible text is not understood (never a guess).
    return exact !== null && exact >= shown.low && exact <= shown.high ? { low: exact, high: exact } : null
  }
  return shown
}
