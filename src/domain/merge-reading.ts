/**
 * Merging what one refresh read into what the store knew of a package (SPEC 5.3, 6.2, 12): the one
 * place that decides which numbers are new, which are kept, and which are stale. The store saves its
 * result and the refresh report counts it, so "stale" means the same thing everywhere. Pure.
 *
 * Rules:
 * - a metric is understood only when the reading holds a count (a safe integer ≥ 0); anything else
 *   (null, −1, 1e30, 2^53 + 1, 1.5) is not understood and never overwrites a known value;
 * - an understood metric takes the fresh value and loses its stale mark;
 * - a metric not understood keeps its last known value, marked stale with the day of that value (the
 *   day of the original read, not of a copy), or with `null` when no value was ever read (then −1);
 * - a numbers row is written for the reading's day when it understood something (the package's
 *   `date` is the day its numbers were read) or when the package has no row yet (which publishes it);
 * - the package is stale if and only if the merged marks are not empty.
 */
import type { Day, PackageRefresh, StaleMetric } from '../types.js'

export const DOWNLOAD_METRICS = ['downloads', 'downloads_month', 'downloads_week', 'downloads_day'] as const
export type DownloadMetric = (typeof DOWNLOAD_METRICS)[number]

/** One number per download metric; null = not known (published as −1). */
export type MetricValues = Record<DownloadMetric, number | null>

/** A count fit to store and publish (SPEC 12): a safe integer, not negative. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** Why a metric is stale: the day of the number kept (null: none was ever read) and, for the log, the page and marker. */
export interface StaleMark {
  day: Day | null
  page?: string
  marker?: string
}

export type StaleMarks = Partial<Record<StaleMetric, StaleMark>>

/** What the store knows of a package before a refresh. */
export interface PackageState {
  /** Day of the newest numbers row (the published `date`); null when the package has none yet. */
  date: Day | null
  /** The numbers of that row. */
  values: MetricValues
  stale: StaleMarks
}

/** What one refresh read of the package's numbers. */
export interface Reading {
  /** The UTC day of the refresh. */
  day: Day
  /** As read; null (or any value that is not a count) = not understood. */
  values: Record<DownloadMetric, number | null>
  /** The page and marker that were not understood, when one was. */
  problem: { page: string; marker: string } | null
}

export interface MergedReading {
  /** The numbers to store and publish: fresh where understood, else the kept ones; null = never known. */
  values: MetricValues
  stale: StaleMarks
  /** The day of the numbers row to write, or null to write none (the package keeps the date of its numbers). */
  rowDay: Day | null
  /** The metrics this reading understood. */
  understood: DownloadMetric[]
  /** Values the reading held that are not counts (refused, so the metric is stale), for the log. */
  refused: string[]
  /** True if and only if `stale` is not empty: the package is counted as stale (SPEC 12). */
  isStale: boolean
}

/** No number known (or understood). */
export const NO_VALUES: Readonly<MetricValues> = Object.freeze({
  downloads: null,
  downloads_month: null,
  downloads_week: null,
  downloads_day: null
})

/** The reading of a refresh: its total and windows (−1 = unknown), and its first problem. */
export function readingOf(refresh: Pick<PackageRefresh, 'day' | 'downloads' | 'windows' | 'problems'>): Reading {
  const { windows } = refresh
  return {
    day: refresh.day,
    values: {
      downloads: refresh.downloads,
      downloads_month: windows ? windows.month : null,
      downloads_week: windows ? windows.week : null,
      downloads_day: windows ? windows.day : null
    },
    problem: refresh.problems[0] ?? null
  }
}

export function mergeReading(previous: PackageState | null, reading: Reading): MergedReading {
  const values: MetricValues = { ...NO_VALUES }
  const stale: StaleMarks = { ...previous?.stale }
  const understood: DownloadMetric[] = []
  const refused: string[] = []
  for (const metric of DOWNLOAD_METRICS) {
    const fresh = reading.values[metric]
    if (isCount(fresh)) {
      values[metric] = fresh
      understood.push(metric)
      delete stale[metric]
      continue
    }
    // −1 is this project's own "unknown"; anything else that is not a count came from a page.
    if (fresh !== null && fresh !== -1) refused.push(`${metric} ${String(fresh)} is not a safe integer ≥ 0`)
    const kept = previous?.values[metric] ?? null
    const keptIsKnown = isCount(kept) && previous?.date != null
    values[metric] = keptIsKnown ? kept : null
    // The day of the kept number: an earlier mark names the original read (the newest row may hold a
    // copy of it); a number read earlier the same day is still marked: this read failed (SPEC 5.3).
    const day = keptIsKnown ? (stale[metric]?.day ?? previous?.date ?? null) : null
    const why = reading.problem ?? (fresh !== null && fresh !== -1 ? { page: '', marker: `${metric} not a safe integer` } : null)
    stale[metric] = { day, ...(why ? { page: why.page, marker: why.marker } : {}) }
  }
  const rowDay = understood.length > 0 || previous?.date == null ? reading.day : null
  return { values, stale, rowDay, understood, refused, isStale: Object.keys(stale).length > 0 }
}
