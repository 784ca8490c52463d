/** The package page (SPEC 5.2): exact total, the 30-day chart, last published, recent tagged versions. */
import { NotUnderstood, type DailyCount, type PackagePage } from '../../types.js'
import { elementsWithText, exactInteger, headingAfter, loadPage, numberAfterLabel, versionRows, type Page } from './dom.js'

const TOTAL_LABEL = 'Total downloads'
const CHART_LABEL = 'Downloads for the last 30 days'
const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * Reads a package page. The total is the `title` of the heading right after the `Total downloads`
 * label (the Issues/Discussions counters just above have the same shape, so nothing else is
 * trusted). The chart must hold 1 to 30 bars (a real page has 30); 0 or more than 30 is not understood.
 */
export function parsePackagePage(html: string, pageUrl: string): PackagePage {
  const page = loadPage(html, pageUrl)
  const total = numberAfterLabel(page, TOTAL_LABEL, false)
  if (total === null) throw new NotUnderstood(pageUrl, TOTAL_LABEL, 'label not found')
  return { total, daily: readChart(page), lastPublished: readLastPublished(page), recent: versionRows(page) }
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
