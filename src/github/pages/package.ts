/** The package page (SPEC 5.2): exact total, the 30-day chart, last published, recent tagged versions. */
import { NotUnderstood, type DailyCount, type PackagePage, type VersionRow } from '../../types.js'
import {
  elementsWithText,
  exactInteger,
  headingAfter,
  linkedVersionIds,
  loadPage,
  numberAfterLabel,
  versionRows,
  VERSION_DOWNLOADS_LABEL,
  type Page
} from './dom.js'

const TOTAL_LABEL = 'Total downloads'
const CHART_LABEL = 'Downloads for the last 30 days'
const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * Reads a package page. The total is the `title` of the heading right after the `Total downloads`
 * label (the Issues/Discussions counters just above have the same shape, so nothing else is
 * trusted); without it the page is not understood. The chart must hold 1 to 30 bars (a real page
 * has 30). A chart or a recent box that is not understood does not discard the total (SPEC 6.2:
 * metrics understood on the same page are updated): it is reported in `problems`, with `daily` or
 * `recent` left empty.
 */
export function parsePackagePage(html: string, pageUrl: string): PackagePage {
  const page = loadPage(html, pageUrl)
  const total = numberAfterLabel(page, TOTAL_LABEL, false)
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

function readChart(page: Page): DailyCount[] {
  const charts = page.$(`[aria-label="${CHART_LABEL}"]`)
  if (charts.length !== 1) throw new NotUnderstood(page.url, CHART_LABEL, `found ${charts.length} charts`)
  const bars = charts.find('rect[data-date]').toArray()
  if (bars.length === 0 || bars.length > 30) throw new NotUnderstood(page.url, CHART_LABEL, `${bars.length} bars`)
  const daily: DailyCount[] = []
  for (const bar of bars) {
    const date = bar.attribs['data-date'] ?? ''
    const count = exactInteger(bar.attribs['data-merge-count'])
    if (!DAY.test(date) || count === null || daily.some((d) => d.date === date)) {
      throw new NotUnderstood(page.url, CHART_LABEL, `bar ${JSON.stringify(date)} not understood`)
    }
    daily.push({ date, count })
  }
  return daily.sort((a, b) => (a.date < b.date ? -1 : 1))
}

/** `Last published` → the heading after it: `title` (ISO with a Pacific offset) or a `relative-time[datetime]`. */
function readLastPublished(page: Page): string | null {
  const [label] = elementsWithText(page, 'Last published')
  const heading = label && headingAfter(page, label)
  if (!heading) return null
  const candidates = [
    page.$(heading).find('relative-time[datetime]').attr('datetime'),
    heading.attribs['title']
  ]
  for (const value of candidates) {
    const utc = value ? toUtc(value) : null
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
