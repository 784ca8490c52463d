/** The pure decisions of SPEC 13.1, each against a hand-written table. */
import { describe, expect, it } from '@jest/globals'
import {
  RotationBudget,
  listingPlan,
  parseListingCount,
  shiftedChart,
  versionsPlan,
  windowsOf,
  type ListingCount,
  type QuietState
} from '../../src/domain/quiet.js'
import type { DailyCount } from '../../src/types.js'

describe('parseListingCount', () => {
  it.each<[string, ListingCount | null]>([
    ['0', { low: 0, high: 0 }],
    ['999', { low: 999, high: 999 }],
    ['1,234', { low: 1234, high: 1234 }],
    // Rounded (9485..9494) or truncated (9490..9499): the union.
    ['9.49k', { low: 9485, high: 9499 }],
    ['9.4k', { low: 9350, high: 9499 }],
    ['94.9k', { low: 94_850, high: 94_999 }],
    ['949k', { low: 948_500, high: 949_999 }],
    ['1k', { low: 500, high: 1999 }],
    ['1.2M', { low: 1_150_000, high: 1_299_999 }],
    ['3B', { low: 2_500_000_000, high: 3_999_999_999 }],
    ['', null],
    ['1,23', null],
    ['9.495k', null],
    ['12x', null],
    ['-5', null],
    ['1e3', null],
    ['9.49 thousand', null]
  ])('%j → %j', (text, expected) => {
    expect(parseListingCount(text)).toEqual(expected)
  })
})

const chart: DailyCount[] = Array.from({ length: 30 }, (_, i) => ({
  date: `2026-11-${String(i + 1).padStart(2, '0')}`,
  count: i + 1 // 1 on 11-01 ... 30 on 11-30
}))

describe('shiftedChart and windowsOf', () => {
  it('adds one 0 bar per day after the newest chart day', () => {
    const { bars, derived } = shiftedChart(chart, 2)
    expect(derived).toEqual([
      { date: '2026-12-01', count: 0 },
      { date: '2026-12-02', count: 0 }
    ])
    expect(bars).toHaveLength(32)
    // Newest 30: 3..30 then two zeros; week: 26..30 (140) + 0 + 0; day: 0.
    expect(windowsOf(bars)).toEqual({ day: 0, week: 140, month: 462 })
  })

  it('on the same day nothing is derived: the windows are those of the chart', () => {
    expect(shiftedChart(chart, 0).derived).toEqual([])
    expect(windowsOf(shiftedChart(chart, 0).bars)).toEqual({ day: 30, week: 189, month: 465 })
  })

  it('30 days on, every window is 0', () => {
    expect(windowsOf(shiftedChart(chart, 30).bars)).toEqual({ day: 0, week: 0, month: 0 })
  })
})

describe('listingPlan', () => {
  const now = new Date('2026-12-02T10:00:00Z')
  const memory: QuietState = { total: 5000, stale: false, fullReadAt: '2026-11-30T09:00:00.000Z', chart, quietCount: 0, slot: 1 }
  const exact = (n: number): ListingCount => ({ low: n, high: n })

  it.each<[string, ListingCount | null | undefined, QuietState | null, 'confirm' | 'read' | 'moved']>([
    ['exact and equal, read 2 days ago', exact(5000), memory, 'confirm'],
    ['exact and different', exact(5001), memory, 'moved'],
    ['abbreviated around the total', { low: 4950, high: 5099 }, memory, 'read'],
    ['abbreviated away from the total', { low: 5150, high: 5299 }, memory, 'moved'],
    ['no count', undefined, memory, 'read'],
    ['unreadable count', null, memory, 'read'],
    ['nothing stored', exact(5000), null, 'read'],
    ['no stored total', exact(5000), { ...memory, total: null }, 'read'],
    ['stale', exact(5000), { ...memory, stale: true }, 'read'],
    ['never read in full', exact(5000), { ...memory, fullReadAt: null }, 'read'],
    ['no chart kept', exact(5000), { ...memory, chart: [] }, 'read'],
    ['full reading 7 days ago to the hour', exact(5000), { ...memory, fullReadAt: '2026-11-25T10:00:00.000Z' }, 'confirm'],
    ['full reading more than 7 days ago', exact(5000), { ...memory, fullReadAt: '2026-11-25T09:59:59.000Z' }, 'read'],
    ['full reading in the future', exact(5000), { ...memory, fullReadAt: '2026-12-03T00:00:00.000Z' }, 'read'],
    // The rotation turn is the caller's to grant (RotationBudget): the listing still confirms.
    ['the rotation turn', exact(5000), { ...memory, quietCount: 18, slot: 1 }, 'confirm'],
    ['the rotation turn of a moved package', exact(4000), { ...memory, quietCount: 18, slot: 1 }, 'moved']
  ])('%s', (_, count, stored, expected) => {
    const plan = listingPlan(count, stored, now)
    expect(plan.kind === 'confirm' ? 'confirm' : plan.moved ? 'moved' : 'read').toBe(expected)
  })

  it('derives the windows of a confirmation from the chart and the whole days since the reading', () => {
    // Read on 11-30, confirmed on 12-02: two derived days after the chart's newest (11-30).
    expect(listingPlan(exact(5000), memory, now)).toEqual({
      kind: 'confirm',
      windows: { day: 0, week: 140, month: 462 },
      derived: [
        { date: '2026-12-01', count: 0 },
        { date: '2026-12-02', count: 0 }
      ]
    })
  })
})

describe('versionsPlan', () => {
  const known = new Set([10, 11, 12])
  const memory = { total: 700, knownVersionIds: known, quietCount: 0, slot: 1 }
  it.each<[string, Parameters<typeof versionsPlan>[0], Parameters<typeof versionsPlan>[1], string]>([
    ['same total, newest shown known', { total: 700, newestShown: 12 }, memory, 'skip'],
    ['same total, the page shows no version', { total: 700, newestShown: null }, memory, 'skip'],
    ['same total, an older known version shown', { total: 700, newestShown: 11 }, memory, 'skip'],
    ['another total', { total: 701, newestShown: 12 }, memory, 'read'],
    ['a newer version shown', { total: 700, newestShown: 13 }, memory, 'read'],
    ['page not understood', null, memory, 'read'],
    ['nothing stored', { total: 700, newestShown: 12 }, null, 'read'],
    ['no stored total', { total: 700, newestShown: 12 }, { ...memory, total: null }, 'read'],
    // (quietCount + slot) % 20 === 19: the rotation's turn.
    ['rotation turn', { total: 700, newestShown: 12 }, { ...memory, quietCount: 18, slot: 1 }, 'rotation'],
    ['rotation turn, another slot', { total: 700, newestShown: 12 }, { ...memory, quietCount: 0, slot: 19 }, 'rotation'],
    ['turn 20 later', { total: 700, newestShown: 12 }, { ...memory, quietCount: 38, slot: 1 }, 'rotation'],
    ['just after the turn', { total: 700, newestShown: 12 }, { ...memory, quietCount: 19, slot: 1 }, 'skip']
  ])('%s', (_, page, stored, expected) => {
    expect(versionsPlan(page, stored)).toBe(expected)
  })

  it('reads the list on exactly one quiet refresh in twenty of a package, and of twenty packages in one run', () => {
    const turns = Array.from({ length: 40 }, (_, quietCount) => versionsPlan({ total: 700, newestShown: 12 }, { ...memory, quietCount }))
    expect(turns.filter((plan) => plan === 'rotation')).toHaveLength(2)
    const packages = Array.from({ length: 20 }, (_, slot) => versionsPlan({ total: 700, newestShown: 12 }, { ...memory, slot }))
    expect(packages.filter((plan) => plan === 'rotation')).toHaveLength(1)
  })
})

describe('RotationBudget', () => {
  it('grants at most one turn per twenty quiet refreshes of a run, rounded up', () => {
    // Quiet refreshes of a run in order; true = the package's turn. Hand-written: 45 refreshes, turns
    // at 1, 2, 3, 21, 22, 41, 42: granted at 1 (1 ≤ ceil(1/20)), 21, 41 only.
    const budget = new RotationBudget()
    const turns = new Set([1, 2, 3, 21, 22, 41, 42])
    const granted: number[] = []
    for (let n = 1; n <= 45; n++) if (budget.take(turns.has(n))) granted.push(n)
    expect(granted).toEqual([1, 21, 41])
  })

  it('never grants what is not a turn', () => {
    const budget = new RotationBudget()
    expect(Array.from({ length: 100 }, () => budget.take(false)).some(Boolean)).toBe(false)
    expect(budget.take(true)).toBe(true) // 1 rotation in 101 quiet refreshes
  })
})
