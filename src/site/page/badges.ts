/**
 * Badges (SPEC 10.1, 10.2) as people use them: each drawn in the page from its shields endpoint
 * JSON (no request to shields.io from here), with its Markdown ready to paste and a button to copy it.
 */
import { type BadgeFile, getJson, NotFound, publicUrl } from './data.js'
import { copyButton, h } from './dom.js'

/** The badges of a package folder (`…/PACKAGE.api/badges/`); `size` only for containers. */
export function packageBadgeFiles(type: string): string[] {
  const names = ['downloads', 'month', 'week', 'day', 'versions', 'version']
  if (type === 'container') names.push('size')
  return names
}

/** The Markdown of an endpoint badge: shields.io fetches the JSON from the index's public URL. */
export function badgeMarkdown(label: string, indexPath: string): string {
  const alt = label.replace(/[[\]\\]/g, '')
  return `![${alt}](https://img.shields.io/endpoint?url=${encodeURIComponent(publicUrl(indexPath))})`
}

const COLORS = new Set(['blue', 'lightgrey'])

/** A badge drawn with CSS from its endpoint JSON: label and message as text, colour from a fixed set. */
function drawBadge(badge: BadgeFile): HTMLElement {
  const color = COLORS.has(badge.color) ? `c-${badge.color}` : 'c-other'
  return h(
    'span',
    { class: 'badge', role: 'img', 'aria-label': `${badge.label}: ${badge.message}` },
    h('span', { class: 'label' }, badge.label),
    h('span', { class: `message ${color}` }, badge.message)
  )
}

/**
 * The list of badges in `folder` (an index path ending in `/`), in the order of `names`; a badge
 * file that is missing is left out, any other failure is shown in its place.
 */
export function badgeList(folder: string, names: string[]): HTMLElement {
  const list = h('ul', { class: 'badges' })
  const items = names.map((name) => {
    const item = h('li', { 'data-badge': name })
    list.appendChild(item)
    return { name, item }
  })
  for (const { name, item } of items) {
    const path = `${folder}${name}.json`
    getJson<BadgeFile>(path).then(
      (badge) => {
        const markdown = badgeMarkdown(badge.label, path)
        item.append(drawBadge(badge), h('code', {}, markdown), copyButton(markdown, `the Markdown of the ${badge.label} badge`))
      },
      (error: unknown) => {
        if (error instanceof NotFound) item.remove()
        else item.append(h('span', { class: 'error' }, `${name}: ${error instanceof Error ? error.message : String(error)}`))
      }
    )
  }
  return list
}
