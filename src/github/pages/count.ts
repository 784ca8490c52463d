/** Counts as github.com prints them, and the download windows of the 30-day chart. Pure. */
import type { DailyCount, DownloadWindows } from '../../types.js'

// Plain digits, or well-formed comma groups. Rounded forms (`14.4K`) and exponents (`1e30`) never match.
const COUNT = /^(?:\d+|\d{1,3}(?:,\d{3})+)$/
// Longer than the digits of Number.MAX_SAFE_INTEGER (16) plus its commas: never safe. Checked before
// the regex so that a 10 MB run of digits costs nothing.
const MAX_COUNT_TEXT = 32

/**
 * The one reader of a count (SPEC 5.2, 12): `1234` or `1,234`, a safe integer ≥ 0. Anything else is
 * null (never a guess): `1.2k`, `1e30`, `-3`, `9007199254740993`, 400 digits, empty. Callers turn null
 * into a `NotUnderstood`, so a count that is not one can never be stored, published or become a zero.
 */
export function parseCount(text: string | undefined): number | null {
  if (text === undefined) return null
  const s = text.trim()
  if (s.length > MAX_COUNT_TEXT || !COUNT.test(s)) return null
  const n = Number(s.replace(/,/g, ''))
  return Number.isSafeInteger(n) && n >= 0 ? n : null
}

/** Bars of a chart that is understood: exactly 30 (SPEC 12). */
export const CHART_DAYS = 30
const DAY_MS = 86_400_000

/** The UTC midnight of `YYYY-MM-DD`, or null when it is not a real calendar day. */
function dayTime(day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null
  const time = Date.parse(`${day}T00:00:00Z`)
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day ? null : time
}

/**
 * Why these bars are not a 30-day chart, or null when they are: exactly 30 real days, consecutive,
 * in either order. The newest day is GitHub's day, which is neither the UTC day nor, for a page read
 * later, today: it is never compared with the clock.
 */
export function chartProblem(daily: readonly DailyCount[]): string | null {
  if (daily.length !== CHART_DAYS) return `${daily.length} bars, not ${CHART_DAYS}`
  const times: number[] = []
  for (const bar of daily) {
    const time = dayTime(bar.date)
    if (time === null) return `bar date ${JSON.stringify(bar.date)} is not a day`
    if (!Number.isSafeInteger(bar.count) || bar.count < 0) return `bar ${bar.date} has no count`
    times.push(time)
  }
  // 30 safe counts can still add up to an unsafe month.
  if (!Number.isSafeInteger(daily.reduce((total, bar) => total + bar.count, 0))) return 'bars add up to an unsafe count'
  times.sort((a, b) => a - b)
  for (let i = 1; i < times.length; i++) {
    if ((times[i] ?? 0) - (times[i - 1] ?? 0) !== DAY_MS) return 'bars are not on consecutive days'
  }
  return null
}

/**
 * Day, week and month windows from the chart: day = the newest bar, week = the newest 7 bars,
 * month = all 30. Sorted by date first, so input order does not matter. Bars that are not a 30-day
 * chart (none, 29, a gap) are unknown (-1), never 0 and never a short month.
 */
export function windowsFromDaily(daily: readonly DailyCount[]): DownloadWindows {
  if (chartProblem(daily) !== null) return { day: -1, week: -1, month: -1 }
  const newestFirst = [...daily].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
  const sum = (bars: DailyCount[]): number => bars.reduce((total, bar) => total + bar.count, 0)
  return {
    day: newestFirst[0]?.count ?? -1,
    week: sum(newestFirst.slice(0, 7)),
    month: sum(newestFirst)
  }
}
