/**
 * The site's entry (SPEC 11): loads `list.json`, wires the search, and renders the view the hash
 * names: `#/` home, `#/OWNER`, `#/OWNER/REPO`, `#/OWNER/REPO/PACKAGE` (6.4 segments, as in list.json).
 */
import { getJson, type ListFile, NotFound } from './data.js'
import { h, replace } from './dom.js'
import { homeView } from './home.js'
import { packageView } from './package-view.js'
import { scopeView } from './scope-view.js'
import { setupSearch } from './search.js'

const SEGMENT = /^[A-Za-z0-9._~%-]+$/

/** The route's segments, or null when the hash is not one of ours (each a 6.4 segment). */
function routeOf(hash: string): string[] | null {
  const path = hash.replace(/^#\/?/, '').replace(/\/$/, '')
  if (path === '') return []
  const segments = path.split('/')
  return segments.length <= 3 && segments.every((s) => SEGMENT.test(s) && !s.startsWith('.')) ? segments : null
}

/** True for the page's own routes (`#/…`, or no hash); other hashes are in-page anchors (`#main`). */
function isRoute(hash: string): boolean {
  return hash === '' || hash === '#' || hash.startsWith('#/')
}

async function render(main: HTMLElement, list: string[], known: Set<string>): Promise<void> {
  const segments = routeOf(isRoute(location.hash) ? location.hash : '')
  replace(main)
  let title: string | null = null
  if (segments === null) title = null
  else if (segments.length === 0) title = await homeView(main, list)
  else if (segments.length === 3) {
    const [owner = '', repo = '', name = ''] = segments
    title = known.has(segments.join('/')) ? await packageView(main, [owner, repo, name]) : null
  } else {
    const [owner = '', repo] = segments
    title = scopeView(main, repo === undefined ? [owner] : [owner, repo], list)
  }
  if (title === null) {
    main.append(h('h1', {}, 'Not in this index'), h('p', {}, 'Nothing here matches this address. ', h('a', { href: '#/' }, 'Back to the start')))
    title = 'Not in this index'
  }
  document.title = `${title} · GitHub Packages downloads`
}

async function start(): Promise<void> {
  const main = document.getElementById('main') as HTMLElement
  let list: string[]
  try {
    list = (await getJson<ListFile>('list.json')).packageNames
  } catch (error) {
    replace(main, h('p', { class: 'error' }, `This index has no list.json yet: ${error instanceof Error ? error.message : String(error)}`))
    return
  }
  const known = new Set(list)
  const show = (): void => {
    render(main, list, known).catch((error: unknown) => {
      replace(main, h('p', { class: 'error' }, error instanceof NotFound ? error.message : `Could not load this view: ${String(error)}`))
    })
  }
  setupSearch(list, (entry) => {
    location.hash = `#/${entry}`
    main.focus()
  })
  window.addEventListener('hashchange', () => {
    if (!isRoute(location.hash)) return
    show()
    window.scrollTo(0, 0)
  })
  show()
}

void start()
