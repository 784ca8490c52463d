/**
 * What the store keeps for quiet packages (SPEC 13.1, migration 5): the time and chart of the newest
 * full reading (a refresh whose package page was understood and not stale), from which a listing's
 * confirmation derives the windows, and the count of quiet refreshes that paces the rotation.
 */
import type { DailyCount, PackageRefresh } from '../types.js'
import type { MergedReading } from '../domain/merge-reading.js'
import { isCount } from '../domain/merge-reading.js'
import type { QuietState } from '../domain/quiet.js'
import { countOrNull, idOrSkip, int, storedJson, textOrNull, type Row, type Sql } from './sql.js'
import { dayNumber, dayString } from './days.js'

const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/

/** Records a full reading and counts a quiet refresh; a partial reading changes neither. */
export function writeQuietState(sql: Sql, pkg: number, refresh: PackageRefresh, merged: MergedReading): void {
  const bars = refresh.chart ?? []
  if (bars.length > 0 && !merged.isStale && bars.every((bar) => isCount(bar.count) && DAY_FORMAT.test(bar.date))) {
    sql.stmt('UPDATE packages SET full_read_at = ?, chart = ? WHERE pkg = ?').run(refresh.at, serializeChart(bars), pkg)
  }
  if (refresh.quiet === true) sql.stmt('UPDATE packages SET quiet_count = quiet_count + 1 WHERE pkg = ?').run(pkg)
}

/**
 * `{"end":"YYYY-MM-DD","counts":[oldest, ..., newest]}`: GitHub's chart is 30 consecutive days, so
 * its newest day and the counts say it all in about 150 bytes (a year of 100,000 packages is stored
 * once per package, not per day).
 */
function serializeChart(bars: DailyCount[]): string {
  const sorted = [...bars].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  return JSON.stringify({ end: sorted[sorted.length - 1]?.date, counts: sorted.map((bar) => bar.count) })
}

/** The stored chart, one bar per day up to `end`; anything malformed reads as no chart (the listing then never confirms). */
export function parseChart(value: string | null): DailyCount[] {
  const parsed = storedJson(value)
  if (typeof parsed !== 'object' || parsed === null) return []
  const { end, counts } = parsed as Record<string, unknown>
  if (typeof end !== 'string' || !DAY_FORMAT.test(end) || !Number.isFinite(Date.parse(`${end}T00:00:00Z`))) return []
  if (!Array.isArray(counts)) return []
  if (counts.length > 400 || !counts.every((count) => isCount(count))) return []
  const last = dayNumber(end)
  return counts.map((count: number, i) => ({ date: dayString(last - (counts.length - 1 - i)), count }))
}

/** The quiet fields of a package row read with its newest total as `newest_total` (queue-model.ts). */
export function quietMemoryOf(row: Row, onBad: (problem: string) => void): StoredQuiet {
  return {
    total: row.newest_total === null || row.newest_total === undefined ? null : countOrNull(row, 'newest_total', onBad),
    stale: textOrNull(row, 'stale') !== null,
    fullReadAt: textOrNull(row, 'full_read_at'),
    chart: parseChart(textOrNull(row, 'chart')),
    quietCount: idOrSkip(row, 'quiet_count', onBad) ?? 0,
    slot: int(row, 'pkg')
  }
}

/** What a stored package remembers for SPEC 13.1 (see src/domain/quiet.ts). */
export type StoredQuiet = QuietState

/** The column list that adds `newest_total` to a `packages p` query. */
export const NEWEST_TOTAL = '(SELECT d.downloads FROM package_days d WHERE d.pkg = p.pkg ORDER BY d.day DESC LIMIT 1) AS newest_total'
