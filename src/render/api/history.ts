/**
 * The compact daily series of history.json and ~history.json (SPEC 10.1, 10.2): one entry per day from
 * `start` to `end` (at most 365 days), −1 where nothing is known. Pure: the stored bars and totals in,
 * arrays out. Aggregates sum the known bars of their packages and each package's latest total carried
 * forward, so an owner's total does not drop on the days one of its packages was not read.
 */
import { HISTORY_DAYS } from '../../store/api-history.js'
import { dayString } from '../../store/days.js'
import type { Day, PackageHistory } from '../../types.js'

/** A series as published (without the names that the package and aggregate files add in front). */
export interface CompactSeries {
  start: Day
  end: Day
  daily: number[]
  totals: number[]
}

/** First and last day a history knows (bars or totals), or null when it knows none. */
function span(history: PackageHistory): [number, number] | null {
  let first = Infinity
  let last = -Infinity
  for (const [day] of history.bars) {
    first = Math.min(first, day)
    last = Math.max(last, day)
  }
  for (const [day] of history.totals) {
    first = Math.min(first, day)
    last = Math.max(last, day)
  }
  return first === Infinity ? null : [first, last]
}

/** Days `start..end`, as an array filled with −1. */
function unknownDays(start: number, end: number): number[] {
  return new Array<number>(end - start + 1).fill(-1)
}

/**
 * One package's series: its days from the first to the newest it knows, at most 365 ending on the
 * newest. `fallbackDay` (the package's `date`) stands for a package with no stored day at all.
 */
export function packageSeries(history: PackageHistory | undefined, fallbackDay: number): CompactSeries {
  const known = history === undefined ? null : span(history)
  const end = known?.[1] ?? fallbackDay
  const start = Math.max(known?.[0] ?? fallbackDay, end - HISTORY_DAYS + 1)
  const daily = unknownDays(start, end)
  const totals = unknownDays(start, end)
  for (const [day, count] of history?.bars ?? []) if (day >= start) daily[day - start] = count
  for (const [day, total] of history?.totals ?? []) if (day >= start) totals[day - start] = total
  return { start: dayString(start), end: dayString(end), daily, totals }
}

/** Downloads of the chart days `from..to` (known bars only), and how many of those days had a bar. */
export function sumBars(history: PackageHistory | undefined, from: number, to: number): { sum: number; days: number } {
  let sum = 0
  let days = 0
  for (const [day, count] of history?.bars ?? []) {
    if (day < from || day > to) continue
    sum += count
    days++
  }
  return { sum, days }
}

/** The newest chart day a history holds, or null. */
export function newestBarDay(history: PackageHistory | undefined): number | null {
  const bars = history?.bars ?? []
  return bars.length === 0 ? null : (bars[bars.length - 1]?.[0] ?? null)
}

/**
 * The sum of many packages' series (an owner, a repository, the root). Totals are kept as changes
 * of the carried-forward sum by day, so adding a package costs its own points, not its days.
 */
export class SeriesSum {
  private readonly daily = new Map<number, number>()
  private readonly totalSteps = new Map<number, number>()
  private first = Infinity
  private last = -Infinity
  private firstTotal = Infinity

  /** Adds a package's series; `fallbackDay` (its `date`) stands for a package with no stored day, as in `packageSeries`. */
  add(history: PackageHistory | undefined, fallbackDay: number): void {
    const known = (history && span(history)) ?? [fallbackDay, fallbackDay]
    this.first = Math.min(this.first, known[0])
    this.last = Math.max(this.last, known[1])
    if (history === undefined) return
    for (const [day, count] of history.bars) this.daily.set(day, (this.daily.get(day) ?? 0) + count)
    let carried = 0
    const step = (day: number, total: number): void => {
      this.totalSteps.set(day, (this.totalSteps.get(day) ?? 0) + total - carried)
      this.firstTotal = Math.min(this.firstTotal, day)
      carried = total
    }
    // The newest total before the package's window holds from before every day it shows.
    if (history.priorTotal !== null) step(known[1] - HISTORY_DAYS, history.priorTotal)
    for (const [day, total] of history.totals) step(day, total)
  }

  /** The summed series, or null when no package knew any day. */
  result(): CompactSeries | null {
    if (this.first === Infinity) return null
    const end = this.last
    const start = Math.max(this.first, end - HISTORY_DAYS + 1)
    const daily = unknownDays(start, end)
    const totals = unknownDays(start, end)
    const steps = [...this.totalSteps.entries()].sort((a, b) => a[0] - b[0])
    let carried = 0
    let next = 0
    for (let day = start; day <= end; day++) {
      daily[day - start] = this.daily.get(day) ?? -1
      for (; next < steps.length && (steps[next]?.[0] ?? Infinity) <= day; next++) carried += steps[next]?.[1] ?? 0
      if (day >= this.firstTotal) totals[day - start] = carried
    }
    return { start: dayString(start), end: dayString(end), daily, totals }
  }
}
