/** The package page (SPEC 5.2): exact total, the 30-day chart, last published, recent tagged versions. */
import { NotUnderstood, type DailyCount, type PackagePage, type VersionRow } from '../../types.js'
import { chartProblem, parseCount } from './count.js'
import { elementsNamed, loadPage, numberOfLabel, show, uniqueLabel, valueElement, VERSION_DOWNLOADS_LABEL, type Page } from './dom.js'
import { linkedVersionIds, versionRows } from './rows.js'

const TOTAL_LABEL = 'Total downloads'
const CHART_LABEL = 'Downloads for the last 30 days'

/**
 * Reads a package page. The total is the exact `title` of the element right after the `Total
 * downloads` label, in the label's own block (the Issues/Discussions counters just above have the
 * same shape, so nothing else is trusted); without it the page is not understood. The chart must
 * hold exactly 30 bars on consecutive days. A chart or a recent box that is not understood does not
 * discard the total (SPEC 6.2: metrics understood on the same page are updated): it is reported in
 * `problems`, with `daily` or `recent` left empty.
 */
export function parsePackagePage(html: string, pageUrl: string): PackagePage {
  const page = loadPage(html, pageUrl)
  const total = numberOfLabel(page, TOTAL_LABEL)
  if (total === null) throw new NotUnderstood(pageUrl, TOTAL_LABEL, 'label not found')
  const problems: { marker: string; detail: string }[] = []
  const daily = part(() => readChart(page), [], problems)
  const recent = part(() => readRecent(page), [], problems)
  return { total, daily, lastPublished: readLastPublished(page), recent, problems }
}

/** Runs the reader of one part of the page; a `NotUnderstood` becomes a problem and the fallback. */
function part<T>(read: () => T, fallback: T, problems: { marker: string; detail: string }[]): T {
  try {
    return read()
  } catch (error) {
    if (!(error instanceof NotUnderstood)) throw error
    problems.push({ marker: error.marker, detail: error.message })
    return fallback
  }
}

/**
 * The "Recent tagged versions" rows. No row read although the page links versions means the rows
 * were not recognised (a renamed `Version downloads` label), not that there are none.
 */
function readRecent(page: Page): VersionRow[] {
  const rows = versionRows(page)
  if (rows.length === 0) {
    const linked = linkedVersionIds(page).size
    if (linked > 0) throw new NotUnderstood(page.url, VERSION_DOWNLOADS_LABEL, `no version row read, but the page links ${linked} versions`)
  }
  return rows
}

/** The 30 bars of the chart, oldest first; anything else is not a month (SPEC 12). */
function readChart(page: Page): DailyCount[] {
  const charts = elementsNamed(page, '*', { 'aria-label': CHART_LABEL })
  const [chart] = charts
  if (charts.length !== 1 || !chart) throw new NotUnderstood(page.url, CHART_LABEL, `found ${charts.length} charts`)
  const daily: DailyCount[] = []
  for (const bar of elementsNamed(page, 'rect', { 'data-date': true }, chart)) {
    const date = bar.attribs['data-date'] ?? ''
    const count = parseCount(bar.attribs['data-merge-count'])
    if (count === null) throw new NotUnderstood(page.url, CHART_LABEL, `bar ${show(date)} has no exact count`)
    daily.push({ date, count })
  }
  const problem = chartProblem(daily)
  if (problem) throw new NotUnderstood(page.url, CHART_LABEL, problem)
  return daily.sort((a, b) => (a.date < b.date ? -1 : 1))
}

/**
 * `Last published` → the element right after it: its `title` (ISO with a Pacific offset) or a
 * `relative-time[datetime]` inside it. Null when absent or not a time (the date is informative only).
 */
function readLastPublished(page: Page): string | null {
  const label = part(() => uniqueLabel(page, 'Last published'), null, [])
  const value = label && valueElement(label)
  if (!value) return null
  const times = elementsNamed(page, 'relative-time', { datetime: true }, value)
  const candidates = [times[0]?.attribs['datetime'], value.attribs['title']]
  for (const candidate of candidates) {
    const utc = candidate ? toUtc(candidate) : null
    if (utc) return utc
  }
  return null
}

/** ISO time with an explicit offset or Z → `YYYY-MM-DDTHH:MM:SSZ` (milliseconds only when present). */
export function toUtc(iso: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(iso.trim())) return null
  const time = new Date(iso.trim())
  return Number.isNaN(time.getTime()) ? null : time.toISOString().replace(/\.000Z$/, 'Z')
}
