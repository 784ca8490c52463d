/**
 * The package view at `#/OWNER/REPO/PACKAGE` (SPEC 11): the numbers of `package.json`, a chart of
 * `history.json`, the versions from `versions/page-1.json` on (one more page per click), and every
 * badge with its Markdown.
 */
import { badgeList, packageBadgeFiles } from './badges.js'
import { drawChart } from './chart.js'
import { getJson, type HistoryFile, type PackageFile, readable, relativeUrl, type VersionsPage } from './data.js'
import { copyButton, exact, h, size } from './dom.js'

// `stale` keys (SPEC 6.2) and the number each one qualifies.
const STALE_OF: Record<string, string> = {
  downloads: 'total',
  downloads_month: 'last_month',
  downloads_week: 'last_week',
  downloads_day: 'last_day',
  size: 'size'
}

function staleNotes(pkg: PackageFile): Map<string, string> {
  const notes = new Map<string, string>()
  for (const [metric, day] of Object.entries(pkg.stale ?? {})) {
    const stat = STALE_OF[metric]
    if (stat) notes.set(stat, day === null ? 'never read' : `kept from ${day}`)
  }
  return notes
}

function stats(pkg: PackageFile): HTMLElement {
  const notes = staleNotes(pkg)
  const d = pkg.downloads
  const latest = pkg.latest ? (pkg.latest.tags.find((t) => t !== 'latest') ?? pkg.latest.name) : 'none'
  const rows: [key: string, label: string, value: string, sub?: string][] = [
    ['total', 'Downloads', exact(d.total)],
    ['last_month', 'Last 30 days', exact(d.last_month)],
    ['last_week', 'Last 7 days', exact(d.last_week)],
    ['last_day', 'Last day', exact(d.last_day)],
    ['last_year', d.last_year_complete ? 'Last year' : 'Last year (so far)', exact(d.last_year)],
    ['versions', 'Versions', exact(pkg.versions), `${exact(pkg.tagged)} tagged`],
    ['size', 'Size', size(pkg.size)],
    ['latest', 'Latest', latest],
    ['date', 'Read on', pkg.date]
  ]
  return h(
    'dl',
    { class: 'stats' },
    ...rows.map(([key, label, value, sub]) => {
      const note = notes.get(key)
      return h(
        'div',
        { class: note ? 'stat stale' : 'stat', 'data-stat': key },
        h('dt', {}, label),
        h('dd', {}, h('span', { class: 'value' }, value), note ? h('span', { class: 'note' }, note) : null,
          sub ? h('span', { class: 'sub' }, sub) : null)
      )
    })
  )
}

function versionRows(page: VersionsPage): HTMLTableRowElement[] {
  return page.versions.map((v) =>
    h(
      'tr',
      {},
      h('td', { class: 'name', title: v.name }, v.name),
      h('td', {}, ...v.tags.map((tag) => h('span', { class: 'tag' }, tag))),
      h('td', { class: 'num' }, exact(v.downloads)),
      h('td', { class: 'num hide-narrow' }, v.size < 0 ? '–' : size(v.size)),
      h('td', { class: 'num' }, v.date)
    )
  )
}

/** The versions table: page 1 now, then one page per click of "More versions". */
function versions(api: string): HTMLElement {
  const body = h('tbody', {})
  const caption = h('caption', { class: 'sr-only' }, 'Versions, newest first')
  const table = h(
    'table',
    { id: 'versions' },
    caption,
    h('thead', {}, h('tr', {}, h('th', {}, 'Version'), h('th', {}, 'Tags'), h('th', { class: 'num' }, 'Downloads'),
      h('th', { class: 'num hide-narrow' }, 'Size'), h('th', { class: 'num' }, 'Date'))),
    body
  )
  const status = h('p', { class: 'muted', 'aria-live': 'polite' })
  const more = h('button', { type: 'button', class: 'more', hidden: '' }, 'More versions')
  let next: number | null = 1
  const load = async (): Promise<void> => {
    if (next === null) return
    more.disabled = true
    const page = await getJson<VersionsPage>(`${api}versions/page-${next}.json`)
    body.append(...versionRows(page))
    next = page.next
    status.textContent = `Showing ${exact(body.rows.length)} of ${exact(page.total)} versions, newest first.`
    more.hidden = next === null
    more.disabled = false
  }
  const fail = (error: unknown): void => {
    status.textContent = `Versions could not be loaded: ${error instanceof Error ? error.message : String(error)}`
  }
  more.addEventListener('click', () => void load().catch(fail))
  void load().catch(fail)
  return h('section', {}, h('h2', {}, 'Versions'), status, h('div', { class: 'table-wrap' }, table), more)
}

function chartFigure(api: string): HTMLElement {
  const caption = h('figcaption', {}, 'Loading the history…')
  const box = h('div', { class: 'chart-box' })
  const figure = h('figure', { class: 'chart', id: 'history' }, caption, box)
  getJson<HistoryFile>(`${api}history.json`).then(
    (history) => {
      const days = drawChart(box, { start: history.start, daily: history.daily, totals: history.totals })
      caption.textContent = `Downloads per day (bars) and total (line), ${history.start} to ${history.end}: ${days} days.`
      figure.dataset.days = String(days)
    },
    (error: unknown) => {
      caption.textContent = `No history: ${error instanceof Error ? error.message : String(error)}`
    }
  )
  return figure
}

/** Renders the package into `main`; `segments` are the three 6.4 segments of its route. */
export async function packageView(main: HTMLElement, segments: [string, string, string]): Promise<string> {
  const [owner, repo, name] = segments
  const api = `${owner}/${repo}/${name}.api/`
  const pkg = await getJson<PackageFile>(`${api}package.json`)
  const title = readable(name)
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: `#/${owner}` }, readable(owner)), ' / ',
      h('a', { href: `#/${owner}/${repo}` }, readable(repo))),
    h('h1', {}, title, ' ', h('span', { class: 'pill' }, pkg.type)),
    h('p', {}, h('a', { href: pkg.html_url, rel: 'noopener noreferrer' }, 'Package page on GitHub'), ' · data: ',
      h('a', { href: relativeUrl(`${api}package.json`) }, 'package.json'), ', ',
      h('a', { href: relativeUrl(`${api}history.json`) }, 'history.json'), ', ',
      h('a', { href: relativeUrl(`${owner}/${repo}/${name}.json`) }, `${readable(name)}.json`)),
    stats(pkg)
  )
  if (pkg.install) {
    main.append(h('div', { class: 'install' }, h('pre', {}, h('code', {}, pkg.install)), copyButton(pkg.install, 'the install command')))
  }
  // The chart needs its box in the document to know its width.
  const figure = chartFigure(api)
  main.append(h('h2', {}, 'Downloads over time'), figure)
  main.append(h('h2', {}, 'Badges'), badgeList(`${api}badges/`, packageBadgeFiles(pkg.type)))
  main.append(versions(api))
  return `${title} · ${readable(owner)}/${readable(repo)}`
}
