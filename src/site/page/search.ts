/**
 * Search as you type over `list.json` (SPEC 11), as an ARIA combobox: type to filter, ↓/↑ to move,
 * Enter to open, Escape to close, `/` anywhere to jump to the box. Every word typed must appear in
 * `owner/repo/package` (as people read the names); exact and leading package-name matches first.
 */
import { readable } from './data.js'
import { h, replace } from './dom.js'

const SHOWN = 20

interface Item { entry: string; text: string; name: string; owner: string; repo: string }

function items(list: string[]): Item[] {
  return list.map((entry) => {
    const [owner = '', repo = '', name = ''] = entry.split('/').map(readable)
    return { entry, text: `${owner}/${repo}/${name}`.toLowerCase(), name, owner, repo }
  })
}

/** The entries that match `query`, best first, in list order among equals. */
function matches(all: Item[], query: string): Item[] {
  const q = query.trim().toLowerCase()
  if (q === '') return []
  const words = q.split(/\s+/)
  const rank = (item: Item): number => {
    const name = item.name.toLowerCase()
    return name === q ? 0 : name.startsWith(q) ? 1 : 2
  }
  return all
    .filter((item) => words.every((word) => item.text.includes(word)))
    .map((item, order) => ({ item, order, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ item }) => item)
}

export function setupSearch(list: string[], open: (entry: string) => void): void {
  const input = document.getElementById('search') as HTMLInputElement
  const box = document.getElementById('results') as HTMLUListElement
  const status = document.getElementById('search-status') as HTMLElement
  const all = items(list)
  let shown: Item[] = []
  let active = -1

  const close = (): void => {
    box.hidden = true
    input.setAttribute('aria-expanded', 'false')
    input.removeAttribute('aria-activedescendant')
    active = -1
  }
  const highlight = (index: number): void => {
    active = index
    for (const [i, option] of Array.from(box.children).entries()) option.setAttribute('aria-selected', String(i === index))
    const option = box.children[index]
    if (option) {
      input.setAttribute('aria-activedescendant', option.id)
      option.scrollIntoView({ block: 'nearest' })
    }
  }
  const choose = (item: Item | undefined): void => {
    if (!item) return
    close()
    input.value = ''
    open(item.entry)
  }
  const update = (): void => {
    const found = matches(all, input.value)
    shown = found.slice(0, SHOWN)
    replace(box, ...shown.map((item, i) =>
      h('li', { id: `result-${i}`, role: 'option', 'aria-selected': 'false', 'data-entry': item.entry },
        h('strong', {}, item.name), ' ', h('span', { class: 'where' }, `${item.owner}/${item.repo}`))))
    status.textContent = input.value.trim() === '' ? '' : found.length === 0 ? 'No package matches'
      : `${found.length} package${found.length === 1 ? '' : 's'} match${found.length === 1 ? 'es' : ''}${found.length > SHOWN ? `, showing ${SHOWN}` : ''}`
    if (shown.length === 0) return close()
    box.hidden = false
    input.setAttribute('aria-expanded', 'true')
    highlight(-1)
  }

  input.addEventListener('input', update)
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      if (box.hidden) update()
      if (shown.length === 0) return
      const step = event.key === 'ArrowDown' ? 1 : -1
      highlight((active + step + shown.length) % shown.length)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      choose(shown[Math.max(active, 0)])
    } else if (event.key === 'Escape') {
      if (box.hidden) input.value = ''
      close()
    }
  })
  input.addEventListener('blur', close)
  window.addEventListener('hashchange', close)
  // mousedown would blur the input (closing the list) before the click lands.
  box.addEventListener('mousedown', (event) => event.preventDefault())
  box.addEventListener('click', (event) => {
    const option = (event.target as Element).closest('[role="option"]')
    choose(shown[Array.from(box.children).indexOf(option as Element)])
  })
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement
    if (event.key === '/' && !['INPUT', 'TEXTAREA'].includes(target.tagName)) {
      event.preventDefault()
      input.focus()
    }
  })
}
