/** Numbers as github.com prints them, and the download windows of the 30-day chart. Pure. */
import type { DailyCount, DownloadWindows } from '../../types.js'

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 }

/**
 * Reads a count as GitHub shows it: `1234`, `1,234` (well-formed groups only), or a rounded
 * `14.4K` / `1.2M` / `3B` (case-insensitive). Returns null for anything else (never a guess):
 * the callers turn null into a `NotUnderstood`, so garbage can never become a zero.
 * A rounded form is only as exact as GitHub made it; prefer exact `title` attributes.
 */
export function parseCount(text: string): number | null {
  const s = text.trim()
  if (/^\d+$/.test(s) || /^\d{1,3}(?:,\d{3})+$/.test(s)) return Number(s.replace(/,/g, ''))
  const m = /^(\d+(?:\.\d+)?)\s?([kmb])$/i.exec(s)
  if (!m || !m[1] || !m[2]) return null
  const unit = SUFFIX[m[2].toLowerCase()]
  return unit === undefined ? null : Math.round(Number(m[1]) * unit)
}

/**
 * Day, week and month windows from the chart: day = the newest bar, week = the newest 7 bars,
 * month = all bars (30 on a real page). Sorted by date first, so input order does not matter.
 * No bars at all = unknown (-1), never 0.
 */
export function windowsFromDaily(daily: DailyCount[]): DownloadWindows {
  if (daily.length === 0) return { day: -1, week: -1, month: -1 }
  const newestFirst = [...daily].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
  const sum = (bars: DailyCount[]): number => bars.reduce((total, bar) => total + bar.count, 0)
  return {
    day: newestFirst[0]?.count ?? -1,
    week: sum(newestFirst.slice(0, 7)),
    month: sum(newestFirst)
  }
}
