/**
 * Quiet packages (SPEC 13.1, 5.6): the pure decisions of how much of a package a refresh must read.
 * A package whose page shows the stored total and no version newer than the known ones needs no
 * versions list (one quiet refresh in twenty still reads it, so slow facts are found); a package whose
 * owner listing shows its exact stored total, with a full reading in the last 7 days, needs no page at
 * all, and its windows are the chart of that reading shifted by the days since, each new day 0.
 * An abbreviated listing count only ever proves that a package moved. No I/O.
 */
import type { DailyCount, Day, DownloadWindows } from '../types.js'

/** One quiet refresh in this many reads the versions list anyway (the rotation of 5.6). */
export const ROTATION_EVERY = 20

/** How old a full reading may be for the listing alone to confirm the total, in days. */
export const FULL_READING_MAX_AGE_DAYS = 7

/**
 * A listing's download count as the interval it may stand for, in whole downloads: `low === high`
 * when exact (`999`, or a `title` with the exact number), wider for `9.49k`.
 */
export interface ListingCount {
  low: number
  high: number
}

const UNITS: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 }

/**
 * Reads a listing count: exact digits (`999`, `1,234`) or an abbreviation (`9.49k`, `1.2M`). The
 * abbreviation may be rounded or truncated by GitHub, so the interval covers both: from half a unit
 * of its last digit below to one unit above (exclusive). Anything else is null (never a guess).
 */
export function parseListingCount(text: string): ListingCount | null {
  const s = text.trim()
  if (/^\d+$/.test(s) || /^\d{1,3}(?:,\d{3})+$/.test(s)) {
    const n = Number(s.replace(/,/g, ''))
    return Number.isSafeInteger(n) ? { low: n, high: n } : null
  }
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?\s?([kmb])$/i.exec(s)
  if (!m || !m[1] || !m[3]) return null
  const unit = UNITS[m[3].toLowerCase()]
  if (unit === undefined) return null
  const decimals = m[2]?.length ?? 0
  const step = unit / 10 ** decimals
  // Integer arithmetic on the digits: 9.49k = 949 steps of 10.
  const value = Number(`${m[1]}${m[2] ?? ''}`) * step
  return { low: Math.max(0, Math.ceil(value - step / 2)), high: value + step - 1 }
}

/** What the store knows of a package, for the decisions below. */
export interface QuietMemory {
  /** The stored total; null: none known. */
  total: number | null
  /** Some metric is stale: the last reading was not a full one. */
  stale: boolean
  /** ISO time of the newest full reading (package page understood and not stale); null: none. */
  fullReadAt: string | null
  /** The chart bars of that reading, oldest first; empty: not kept. */
  chart: DailyCount[]
}

export type ListingPlan =
  /** The listing confirms the stored total: the package page is not read. */
  | { kind: 'confirm'; windows: DownloadWindows; derived: DailyCount[] }
  /** The package page is read; `moved`: the listing proves the total changed (read everything at once). */
  | { kind: 'read'; moved: boolean }

/**
 * Decides from the listing's count whether the package page must be read (SPEC 13.1). A confirmation
 * is a quiet refresh too: on the package's rotation turn (`rotationTurn`, granted by the run's
 * `RotationBudget`) the caller reads the page and the versions list instead.
 */
export function listingPlan(count: ListingCount | null | undefined, memory: QuietState | null, now: Date): ListingPlan {
  const total = memory?.total ?? null
  if (!count || !memory || total === null) return { kind: 'read', moved: false }
  if (total < count.low || total > count.high) return { kind: 'read', moved: true }
  const exact = count.low === count.high
  if (!exact || memory.stale || memory.fullReadAt === null || memory.chart.length === 0) return { kind: 'read', moved: false }
  const readAt = Date.parse(memory.fullReadAt)
  const age = now.getTime() - readAt
  if (!Number.isFinite(readAt) || age < 0 || age > FULL_READING_MAX_AGE_DAYS * 86_400_000) return { kind: 'read', moved: false }
  const shifted = shiftedChart(memory.chart, wholeDaysBetween(memory.fullReadAt, now))
  return { kind: 'confirm', windows: windowsOf(shifted.bars), derived: shifted.derived }
}

/** Whole UTC days from the day of `iso` to the day of `now` (0 on the same day). */
function wholeDaysBetween(iso: string, now: Date): number {
  const from = Date.UTC(...ymd(iso.slice(0, 10)))
  const to = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return Math.max(0, Math.round((to - from) / 86_400_000))
}

function ymd(day: Day): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number)
  return [y ?? 1970, (m ?? 1) - 1, d ?? 1]
}

function addDays(day: Day, n: number): Day {
  return new Date(Date.UTC(...ymd(day)) + n * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The chart of a full reading moved on by `days` days: its bars, then one bar of 0 per day since
 * (nothing was downloaded, or the total would have moved). The derived bars are returned apart,
 * for the daily series (a later chart replaces them).
 */
export function shiftedChart(chart: DailyCount[], days: number): { bars: DailyCount[]; derived: DailyCount[] } {
  const sorted = [...chart].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const end = sorted[sorted.length - 1]?.date
  const derived: DailyCount[] = []
  if (end !== undefined) for (let i = 1; i <= days; i++) derived.push({ date: addDays(end, i), count: 0 })
  return { bars: [...sorted, ...derived], derived }
}

/** Day, week and month windows: the newest 1, 7 and 30 bars (oldest-first input). */
export function windowsOf(bars: DailyCount[]): DownloadWindows {
  const newest = bars.slice(-30)
  const sum = (list: DailyCount[]): number => list.reduce((total, bar) => total + bar.count, 0)
  return { day: newest[newest.length - 1]?.count ?? -1, week: sum(newest.slice(-7)), month: sum(newest) }
}

/** What the package page showed, for the versions decision. */
export interface PageFacts {
  total: number
  /** The newest version id the page shows (its recent box); null: it shows none. */
  newestShown: number | null
}

/** What the store remembers of a package for this module's decisions. */
export interface QuietState extends QuietMemory {
  /** Quiet refreshes so far (each one, with or without the rotation's read). */
  quietCount: number
  /** A stable number of the package (its row id) that staggers the rotation between packages. */
  slot: number
}

export type VersionsMemory = Pick<QuietState, 'total' | 'quietCount' | 'slot'> & { knownVersionIds: ReadonlySet<number> }

export type VersionsPlan = 'read' | 'skip' | 'rotation'

/**
 * Whether a refresh must read the versions list (SPEC 13.1): `read` when the package moved (another
 * total, a newer version shown, nothing stored), else `skip`, except on the package's rotation turn
 * (once in `ROTATION_EVERY` quiet refreshes, staggered by `slot`) when the list is read anyway.
 */
export function versionsPlan(page: PageFacts | null, memory: VersionsMemory | null): VersionsPlan {
  if (!page || !memory || memory.total === null || page.total !== memory.total) return 'read'
  if (page.newestShown !== null && !memory.knownVersionIds.has(page.newestShown)) return 'read'
  return rotationTurn(memory) ? 'rotation' : 'skip'
}

/**
 * The run's share of rotation reads (SPEC 13.1: at most one quiet package in twenty per run). Each
 * quiet refresh is counted; a turn is granted only while the run's rotations stay within one per
 * `ROTATION_EVERY` quiet refreshes counted so far, rounded up (a run with a single quiet package may
 * read it: a small instance must find its deletions too). A turn refused is not spent: the package's
 * quiet count does not move, so its turn comes again on its next refresh.
 */
export class RotationBudget {
  private quiet = 0
  private rotations = 0

  /** Counts a quiet refresh; true when it is the package's turn and the run's share allows it. */
  take(turn: boolean): boolean {
    this.quiet++
    if (!turn || this.rotations * ROTATION_EVERY >= this.quiet) return false
    this.rotations++
    return true
  }
}

/** Whether this quiet refresh of the package is its rotation turn: one in `ROTATION_EVERY`, staggered by slot. */
export function rotationTurn(memory: Pick<QuietState, 'quietCount' | 'slot'>): boolean {
  return (memory.quietCount + memory.slot) % ROTATION_EVERY === ROTATION_EVERY - 1
}
