/**
 * The front page (SPEC 11): the index's totals from `statistics.json`, the chart of its daily
 * downloads, and its owners, each with its number of packages.
 */
import { drawChart } from './chart.js'
import { getJson, readable, type StatisticsFile } from './data.js'
import { exact, h, short } from './dom.js'

const OWNERS_SHOWN = 300

function owners(list: string[]): HTMLElement {
  const counts = new Map<string, number>()
  for (const entry of list) {
    const owner = entry.split('/')[0] ?? ''
    counts.set(owner, (counts.get(owner) ?? 0) + 1)
  }
  const shown = [...counts].slice(0, OWNERS_SHOWN)
  return h(
    'section',
    {},
    h('h2', {}, `Owners (${exact(counts.size)})`),
    h('ul', { class: 'owners' }, ...shown.map(([owner, n]) =>
      h('li', {}, h('a', { href: `#/${owner}` }, readable(owner)), ` · ${exact(n)} package${n === 1 ? '' : 's'}`))),
    counts.size > shown.length ? h('p', { class: 'muted' }, `Search to find the other ${exact(counts.size - shown.length)} owners.`) : null
  )
}

export async function homeView(main: HTMLElement, list: string[]): Promise<string> {
  const stats = await getJson<StatisticsFile>('statistics.json')
  const t = stats.totals
  const updated = new Date(stats.timestamp * 1000).toISOString().slice(0, 16).replace('T', ' ')
  const stat = (key: string, label: string, n: number): HTMLElement =>
    h('div', { class: 'stat', 'data-stat': key }, h('dt', {}, label), h('dd', { title: exact(n) }, h('span', { class: 'value' }, short(n))))
  const box = h('div', { class: 'chart-box' })
  const caption = h('figcaption', {}, `Downloads per day of every package in this index, from ${stats.start}.`)
  main.append(
    h('h1', {}, 'GitHub Packages downloads'),
    h('p', { class: 'muted' }, `Updated ${updated} UTC. Type in the search box to find a package.`),
    h('dl', { class: 'stats' }, stat('packages', 'Packages', t.packages), stat('owners', 'Owners', t.owners),
      stat('repos', 'Repositories', t.repos), stat('versions', 'Versions', t.versions), stat('downloads', 'Downloads', t.downloads)),
    h('figure', { class: 'chart', id: 'history' }, caption, box),
    owners(list)
  )
  if (stats.daily.length > 0) drawChart(box, { start: stats.start, daily: stats.daily })
  return 'GitHub Packages downloads'
}
