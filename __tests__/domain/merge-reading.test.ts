/**
 * The one decision of what is stale (SPEC 5.3, 6.2, 12), as a hand-written table: the previous state,
 * what a refresh read, and what must be stored and published. No server, no database.
 */
import { describe, expect, it } from '@jest/globals'
import {
  isCount,
  mergeReading,
  readingOf,
  type MetricValues,
  type PackageState,
  type Reading,
  type StaleMarks
} from '../../src/domain/merge-reading.js'

const page = 'https://github.com/orgs/acme/packages/npm/package/widgets'
const totalProblem = { page, marker: 'Total downloads' }
const chartProblem = { page, marker: 'Downloads for the last 30 days' }

/** downloads, month, week, day */
const v = (d: number | null, m: number | null, w: number | null, day: number | null): MetricValues => ({
  downloads: d,
  downloads_month: m,
  downloads_week: w,
  downloads_day: day
})
const state = (date: string | null, values: MetricValues, stale: StaleMarks = {}): PackageState => ({ date, values, stale })
const reading = (day: string, values: MetricValues, problem: Reading['problem'] = null): Reading => ({ day, values, problem })

interface Row {
  name: string
  previous: PackageState | null
  reading: Reading
  values: MetricValues
  stale: StaleMarks
  rowDay: string | null
  isStale: boolean
}

const TWO_53_PLUS_2 = 2 ** 53 + 2 // 9007199254740994: an integer, but not a safe one

const table: Row[] = [
  {
    name: 'new package, everything understood',
    previous: null,
    reading: reading('2026-03-01', v(1000, 300, 70, 10)),
    values: v(1000, 300, 70, 10),
    stale: {},
    rowDay: '2026-03-01',
    isStale: false
  },
  {
    name: 'new package whose chart fails: the windows are stale with day null (reported: it had no marker)',
    previous: null,
    reading: reading('2026-03-01', v(1000, null, null, null), chartProblem),
    values: v(1000, null, null, null),
    stale: { downloads_month: { day: null, ...chartProblem }, downloads_week: { day: null, ...chartProblem }, downloads_day: { day: null, ...chartProblem } },
    rowDay: '2026-03-01',
    isStale: true
  },
  {
    name: 'new package, nothing understood: −1 everywhere, stale null, and a row that publishes it',
    previous: null,
    reading: reading('2026-03-01', v(null, null, null, null), totalProblem),
    values: v(null, null, null, null),
    stale: {
      downloads: { day: null, ...totalProblem },
      downloads_month: { day: null, ...totalProblem },
      downloads_week: { day: null, ...totalProblem },
      downloads_day: { day: null, ...totalProblem }
    },
    rowDay: '2026-03-01',
    isStale: true
  },
  {
    name: 'known package, nothing understood the next day: every number kept with its day, no new row',
    previous: state('2026-03-01', v(1000, 300, 70, 10)),
    reading: reading('2026-03-02', v(null, null, null, null), totalProblem),
    values: v(1000, 300, 70, 10),
    stale: {
      downloads: { day: '2026-03-01', ...totalProblem },
      downloads_month: { day: '2026-03-01', ...totalProblem },
      downloads_week: { day: '2026-03-01', ...totalProblem },
      downloads_day: { day: '2026-03-01', ...totalProblem }
    },
    rowDay: null,
    isStale: true
  },
  {
    name: 'total not understood again: the mark keeps the day of the original number, not of the copy; windows update',
    previous: state('2026-03-02', v(1000, 300, 70, 10), { downloads: { day: '2026-02-27', page, marker: 'old' } }),
    reading: reading('2026-03-03', v(null, 310, 75, 12), totalProblem),
    values: v(1000, 310, 75, 12),
    stale: { downloads: { day: '2026-02-27', ...totalProblem } },
    rowDay: '2026-03-03',
    isStale: true
  },
  {
    name: 'a failed second read the same day keeps that day, marked with that day',
    previous: state('2026-03-01', v(1000, 300, 70, 10)),
    reading: reading('2026-03-01', v(null, null, null, null)),
    values: v(1000, 300, 70, 10),
    stale: { downloads: { day: '2026-03-01' }, downloads_month: { day: '2026-03-01' }, downloads_week: { day: '2026-03-01' }, downloads_day: { day: '2026-03-01' } },
    rowDay: null,
    isStale: true
  },
  {
    name: 'understood again: fresh numbers, marks cleared (also a null mark)',
    previous: state('2026-03-01', v(1000, null, null, null), { downloads: { day: '2026-02-01' }, downloads_month: { day: null } }),
    reading: reading('2026-03-02', v(1200, 290, 40, 3)),
    values: v(1200, 290, 40, 3),
    stale: {},
    rowDay: '2026-03-02',
    isStale: false
  },
  {
    name: 'zero is a count: a real 0 is stored',
    previous: state('2026-03-01', v(5, 5, 5, 5)),
    reading: reading('2026-03-02', v(5, 0, 0, 0)),
    values: v(5, 0, 0, 0),
    stale: {},
    rowDay: '2026-03-02',
    isStale: false
  },
  {
    name: 'a known value is never overwritten by −1 (our unknown)',
    previous: state('2026-03-01', v(500, 50, 10, 1)),
    reading: reading('2026-03-02', v(-1, -1, -1, -1), totalProblem),
    values: v(500, 50, 10, 1),
    stale: {
      downloads: { day: '2026-03-01', ...totalProblem },
      downloads_month: { day: '2026-03-01', ...totalProblem },
      downloads_week: { day: '2026-03-01', ...totalProblem },
      downloads_day: { day: '2026-03-01', ...totalProblem }
    },
    rowDay: null,
    isStale: true
  },
  {
    name: 'numbers that are not safe integers ≥ 0 are refused, the known ones kept (2^53+2, 1e30, −5, 1.5)',
    previous: state('2026-03-01', v(500, 50, 10, 1)),
    reading: reading('2026-03-02', v(TWO_53_PLUS_2, 1e30, -5, 1.5)),
    values: v(500, 50, 10, 1),
    stale: {
      downloads: { day: '2026-03-01', page: '', marker: 'downloads not a safe integer' },
      downloads_month: { day: '2026-03-01', page: '', marker: 'downloads_month not a safe integer' },
      downloads_week: { day: '2026-03-01', page: '', marker: 'downloads_week not a safe integer' },
      downloads_day: { day: '2026-03-01', page: '', marker: 'downloads_day not a safe integer' }
    },
    rowDay: null,
    isStale: true
  },
  {
    name: 'a previous value that is not a count (a legacy row) counts as never read',
    previous: state('2026-03-01', v(TWO_53_PLUS_2, 50, 10, 1)),
    reading: reading('2026-03-02', v(null, 60, 12, 2), totalProblem),
    values: v(null, 60, 12, 2),
    stale: { downloads: { day: null, ...totalProblem } },
    rowDay: '2026-03-02',
    isStale: true
  },
  {
    name: 'a size mark is carried over untouched, and alone makes the package stale',
    previous: state('2026-03-01', v(1, 1, 1, 1), { size: { day: '2026-02-01' } }),
    reading: reading('2026-03-02', v(2, 2, 2, 2)),
    values: v(2, 2, 2, 2),
    stale: { size: { day: '2026-02-01' } },
    rowDay: '2026-03-02',
    isStale: true
  }
]

describe('mergeReading', () => {
  it.each(table)('$name', (row) => {
    const merged = mergeReading(row.previous, row.reading)
    expect(merged.values).toEqual(row.values)
    expect(merged.stale).toEqual(row.stale)
    expect(merged.rowDay).toBe(row.rowDay)
    expect(merged.isStale).toBe(row.isStale)
    // Every published number is a count or unknown, never a value that was not understood.
    for (const value of Object.values(merged.values)) expect(value === null || isCount(value)).toBe(true)
  })

  it('lists the refused values and the understood metrics', () => {
    const merged = mergeReading(null, reading('2026-03-01', v(TWO_53_PLUS_2, 30, -1, 1)))
    expect(merged.refused).toEqual([`downloads ${TWO_53_PLUS_2} is not a safe integer ≥ 0`])
    expect(merged.understood).toEqual(['downloads_month', 'downloads_day'])
  })

  it('does not change the previous state it was given', () => {
    const previous = state('2026-03-01', v(1, 1, 1, 1), { downloads: { day: '2026-02-01' } })
    mergeReading(previous, reading('2026-03-02', v(2, 2, 2, 2)))
    expect(previous).toEqual(state('2026-03-01', v(1, 1, 1, 1), { downloads: { day: '2026-02-01' } }))
  })
})

describe('readingOf', () => {
  it('takes the total, the windows and the first problem of a refresh', () => {
    expect(
      readingOf({ day: '2026-03-01', downloads: 7, windows: { day: 1, week: 2, month: 3 }, problems: [chartProblem, totalProblem] })
    ).toEqual({ day: '2026-03-01', values: v(7, 3, 2, 1), problem: chartProblem })
    expect(readingOf({ day: '2026-03-01', downloads: null, windows: null, problems: [] })).toEqual({
      day: '2026-03-01',
      values: v(null, null, null, null),
      problem: null
    })
  })
})

describe('isCount', () => {
  it.each([
    [0, true],
    [9007199254740991, true],
    [TWO_53_PLUS_2, false],
    [-1, false],
    [1.5, false],
    [1e30, false],
    [Number.NaN, false],
    ['12', false],
    [null, false]
  ])('%p → %p', (value, expected) => {
    expect(isCount(value)).toBe(expected)
  })
})
