/**
 * The page's only way to make elements: every string is inserted as a text node (never as HTML),
 * and links get an href only through `safeHref`, so a name or tag from the data cannot become markup
 * or a `javascript:` URL (SPEC 11).
 */
import { formatCount, formatSize } from '../../render/format.js'

export type Child = Node | string | null | undefined | false

/** An element with attributes (plain strings, set with setAttribute) and children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'href') element.setAttribute('href', safeHref(value))
    else element.setAttribute(name, value)
  }
  append(element, ...children)
  return element
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild)
  append(parent, ...children)
}

/** In-page routes (`#/…`) and http(s) links pass; anything else (`javascript:`, `data:`) becomes `#`. */
export function safeHref(value: string): string {
  if (value.startsWith('#')) return value
  try {
    const url = new URL(value, document.baseURI)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '#'
  } catch {
    return '#'
  }
}

/** `46918` → `46,918`; −1 (unknown) → `unknown`. */
export function exact(n: number): string {
  return n < 0 ? 'unknown' : n.toLocaleString('en-US')
}

/** The index's own short forms (SPEC 6.2), the same code the action renders with. */
export function short(n: number): string {
  return n < 0 ? 'unknown' : formatCount(n)
}

export function size(bytes: number): string {
  return bytes < 0 ? 'unknown' : formatSize(bytes)
}

/** A button that copies `text`, saying so in a live region next to it (or how to copy by hand). */
export function copyButton(text: string, what: string): HTMLElement {
  const status = h('span', { class: 'copied', 'aria-live': 'polite' })
  const button = h('button', { type: 'button', 'aria-label': `Copy ${what}` }, 'Copy')
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(text).then(
      () => replace(status, 'Copied'),
      () => replace(status, 'Select the text to copy it')
    )
  })
  return h('span', { class: 'copy' }, button, ' ', status)
}
