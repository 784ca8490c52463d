/**
 * Owner and repository views at `#/OWNER` and `#/OWNER/REPO` (SPEC 11): totals from `~badges/`,
 * the chart of `~history.json`, and the packages below with their numbers (each from its own
 * `package.json`, a few at a time, 50 rows per "More packages").
 */
import { badgeList } from './badges.js'
import { drawChart } from './chart.js'
import { getJson, type HistoryFile, type PackageFile, readable } from './data.js'
import { exact, h } from './dom.js'

const PAGE = 50
const PARALLEL = 4

function historyFigure(folder: string): HTMLElement {
  const caption = h('figcaption', {}, 'Loading the history…')
  const box = h('div', { class: 'chart-box' })
  const figure = h('figure', { class: 'chart', id: 'history' }, caption, box)
  getJson<HistoryFile>(`${folder}~history.json`).then(
    (history) => {
      const days = drawChart(box, history)
      caption.textContent = `Downloads per day (bars) and total (line) of every package here, ${history.start} to ${history.end}: ${days} days.`
      figure.dataset.days = String(days)
    },
    (error: unknown) => {
      caption.textContent = `No history: ${error instanceof Error ? error.message : String(error)}`
    }
  )
  return figure
}

/** Fills each row's numbers from its package.json, `PARALLEL` requests at a time. */
async function fillNumbers(rows: { entry: string; cells: HTMLTableCellElement[] }[]): Promise<void> {
  const queue = [...rows]
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const [type, total, week] = row.cells
      try {
        const pkg = await getJson<PackageFile>(`${row.entry}.api/package.json`)
        type?.append(pkg.type)
        total?.append(exact(pkg.downloads.total))
        week?.append(exact(pkg.downloads.last_week))
      } catch {
        total?.append('unknown')
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker))
}

function packageTable(entries: string[], showRepo: boolean): HTMLElement {
  const body = h('tbody', {})
  const table = h(
    'table',
    { id: 'packages' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Package'), showRepo ? h('th', { class: 'hide-narrow' }, 'Repository') : null,
      h('th', { class: 'hide-narrow' }, 'Type'), h('th', { class: 'num' }, 'Downloads'), h('th', { class: 'num' }, 'Last 7 days'))),
    body
  )
  const more = h('button', { type: 'button', class: 'more' }, 'More packages')
  let shown = 0
  const showMore = (): void => {
    const rows = entries.slice(shown, shown + PAGE).map((entry) => {
      const [, repo = '', name = ''] = entry.split('/')
      const cells = [h('td', { class: 'hide-narrow' }), h('td', { class: 'num' }), h('td', { class: 'num' })]
      body.append(
        h('tr', { 'data-package': entry }, h('td', {}, h('a', { href: `#/${entry}` }, readable(name))),
          showRepo ? h('td', { class: 'hide-narrow' }, readable(repo)) : null, ...cells)
      )
      return { entry, cells }
    })
    shown += rows.length
    more.hidden = shown >= entries.length
    void fillNumbers(rows)
  }
  more.addEventListener('click', showMore)
  showMore()
  return h('section', {}, h('h2', {}, `Packages (${exact(entries.length)})`), h('div', { class: 'table-wrap' }, table), more)
}

/** Renders an owner (`[owner]`) or a repository (`[owner, repo]`) into `main`; null when nothing is there. */
export function scopeView(main: HTMLElement, segments: [string] | [string, string], list: string[]): string | null {
  const prefix = `${segments.join('/')}/`
  const entries = list.filter((entry) => entry.startsWith(prefix))
  if (entries.length === 0) return null
  const [owner, repo] = segments
  const title = repo === undefined ? readable(owner) : `${readable(owner)}/${readable(repo)}`
  if (repo !== undefined) main.append(h('p', { class: 'crumbs' }, h('a', { href: `#/${owner}` }, readable(owner)), ' /'))
  main.append(
    h('h1', {}, title),
    badgeList(`${prefix}~badges/`, ['downloads', 'packages'])
  )
  main.append(h('h2', {}, 'Downloads over time'), historyFigure(prefix))
  main.append(packageTable(entries, repo === undefined))
  return title
}
