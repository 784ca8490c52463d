/** Reads a badge SVG with a strict XML parser: its title, its texts and the fills of its shapes (tests). */
import { DOMParser } from '@xmldom/xmldom'

export interface DrawnBadge {
  title: string
  texts: string[]
  fills: string[]
}

export function readBadgeSvg(svg: string): DrawnBadge {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml')
  const all = (tag: string) => Array.from(doc.getElementsByTagName(tag))
  return {
    title: all('title')[0]?.textContent ?? '',
    texts: all('text').map((t) => t.textContent ?? ''),
    fills: all('rect').map((r) => r.getAttribute('fill') ?? '')
  }
}

/** The fills badge-maker 6 paints for the two color names the badges use (its README's palette). */
export const BADGE_FILL: Record<string, string> = { blue: '#007ec6', lightgrey: '#939393' }
