/**
 * Quiet packages through the fake GitHub (SPEC 13.1): the pages a refresh asks for, counted from the
 * fake's request log, and the numbers stored. Expected values come from the scenario.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { DatabaseSync } from 'node:sqlite'
import { syntheticScenario } from '../../test-support/sample-scenario.js'
import type { Scenario, ScenarioPackage } from '../../test-support/scenario.js'
import { ownerListingUrl } from '../../src/github/urls.js'
import { clock, disposeWorlds, refOf, snapshotOf, world, type World } from './refresh-world.js'
import { packagePageUrl, versionsUrl } from '../../src/github/urls.js'

afterEach(disposeWorlds)

const DAY = 86_400_000

/** One owner with `count` packages of 10 versions each (all types in turn). */
function scenarioOf(count: number, listingCounts: NonNullable<Scenario['listingCounts']> = 'none'): Scenario {
  const scenario = syntheticScenario({ owners: 1, packagesPerOwner: count, versionsPerPackage: 10, today: '2026-11-20' })
  return { ...scenario, listingCounts }
}

function packagesOf(scenario: Scenario): ScenarioPackage[] {
  return scenario.owners[0]?.packages ?? []
}

/** The page requests made since `from` for each package: `page` for its package page, `v1` for versions page 1. */
function pagesSince(w: World, scenario: Scenario, from: number): Map<string, string[]> {
  const login = scenario.owners[0]?.login ?? ''
  const byPath = new Map<string, [string, string]>()
  for (const pkg of packagesOf(scenario)) {
    const ref = refOf(scenario, login, pkg.name)
    byPath.set(new URL(packagePageUrl(w.gh.serverUrl, ref)).pathname, [pkg.name, 'page'])
    const v1 = new URL(versionsUrl(w.gh.serverUrl, ref, { page: 1 }))
    byPath.set(v1.pathname + v1.search, [pkg.name, 'v1'])
  }
  const pages = new Map<string, string[]>(packagesOf(scenario).map((pkg) => [pkg.name, []]))
  for (const request of w.gh.requests.slice(from).filter((r) => r.kind === 'page')) {
    const hit = byPath.get(request.path)
    if (hit) pages.get(hit[0])?.push(hit[1])
  }
  // The package page and the list are asked together when the package is known to move: order aside.
  for (const list of pages.values()) list.sort()
  return pages
}

function listingRequests(w: World, scenario: Scenario, from: number): number {
  const owner = scenario.owners[0]
  const listing = new URL(ownerListingUrl(w.gh.serverUrl, owner?.type === 'Organization' ? 'orgs' : 'users', owner?.login ?? '', 1))
  return w.gh.requests.slice(from).filter((r) => r.kind === 'page' && r.path.startsWith(listing.pathname)).length
}

/** Two runs a day apart; `between` changes the world after the first. */
async function twoDays(scenario: Scenario, between: () => void = () => undefined): Promise<{ w: World; second: Map<string, string[]>; day1: string; day2: string }> {
  const w = await world(scenario)
  const day1 = new Date(clock.ms).toISOString().slice(0, 10)
  await w.run()
  between()
  clock.ms += DAY
  const day2 = new Date(clock.ms).toISOString().slice(0, 10)
  const from = w.gh.requests.length
  const report = await w.run()
  expect(report.stale).toEqual([])
  expect(listingRequests(w, scenario, from)).toBe(1)
  return { w, second: pagesSince(w, scenario, from), day1, day2 }
}

const byKind = (pages: Map<string, string[]>): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const list of pages.values()) counts[list.join('+') || 'none'] = (counts[list.join('+') || 'none'] ?? 0) + 1
  return counts
}

describe('quiet packages cost one page (SPEC 13.1)', () => {
  it('without listing counts: a quiet package costs its package page; one in twenty also reads its versions list', async () => {
    const scenario = scenarioOf(20)
    const { w, second, day1, day2 } = await twoDays(scenario)
    expect(byKind(second)).toEqual({ page: 19, 'page+v1': 1 })
    for (const pkg of packagesOf(scenario)) {
      const snapshot = snapshotOf(w.store, scenario.owners[0]?.login ?? '', pkg.name)
      expect([snapshot.downloads, snapshot.date]).toEqual([pkg.total, day2])
      const readAgain = second.get(pkg.name)?.includes('v1')
      // Versions keep their numbers and date unless the rotation read them.
      expect(new Set(snapshot.versions.map((v) => v.date))).toEqual(new Set([readAgain ? day2 : day1]))
      expect(snapshot.versions.map((v) => v.downloads).sort()).toEqual(pkg.versions.map((v) => v.downloads).sort())
    }
  })

  it('a package that moved is read in full', async () => {
    const scenario = scenarioOf(20)
    const moved = packagesOf(scenario)[3] as ScenarioPackage
    const version = moved.versions[2]
    const { w, second, day2 } = await twoDays(scenario, () => {
      moved.total += 50
      if (version) version.downloads += 50
    })
    expect(second.get(moved.name)).toEqual(['page', 'v1'])
    const snapshot = snapshotOf(w.store, scenario.owners[0]?.login ?? '', moved.name)
    expect(snapshot.downloads).toBe(moved.total)
    expect(snapshot.versions.find((v) => v.id === version?.id)).toMatchObject({ downloads: version?.downloads, date: day2 })
  })

  it('at most one quiet package in twenty per run reads deeper: turns refused are kept for the next run', async () => {
    const scenario = scenarioOf(20)
    const w = await world(scenario)
    await w.run()
    // Every package on its turn: (quiet_count + slot) % 20 === 19.
    const raw = new DatabaseSync(w.dbPath)
    try {
      raw.exec('UPDATE packages SET quiet_count = (39 - pkg) % 20')
    } finally {
      raw.close()
    }
    const deeper: number[] = []
    for (let run = 2; run <= 4; run++) {
      clock.ms += DAY
      const from = w.gh.requests.length
      await w.run()
      deeper.push([...pagesSince(w, scenario, from).values()].filter((pages) => pages.includes('v1')).length)
    }
    expect(deeper).toEqual([1, 1, 1])
  })

  it('a quiet package read in full again on its rotation turn finds a deleted version', async () => {
    const scenario = scenarioOf(1)
    const pkg = packagesOf(scenario)[0] as ScenarioPackage
    const w = await world(scenario)
    await w.run()
    const gone = pkg.versions.shift()
    const login = scenario.owners[0]?.login ?? ''
    const versionReads: number[] = []
    // The only package has slot 1: its turn is its 19th quiet refresh ((18 + 1) % 20 === 19), run 20.
    for (let run = 2; run <= 21; run++) {
      clock.ms += DAY
      const from = w.gh.requests.length
      await w.run()
      if (pagesSince(w, scenario, from).get(pkg.name)?.includes('v1')) versionReads.push(run)
      const ids = snapshotOf(w.store, login, pkg.name).versions.map((v) => v.id)
      expect([run, ids.includes(gone?.id ?? -1)]).toEqual([run, run < 20])
    }
    expect(versionReads).toEqual([20])
  })
})

describe('quiet packages cost their share of the listing (SPEC 13.1)', () => {
  /** Windows of the chart moved on by `days` zero days, summed here from the scenario. */
  function shifted(pkg: ScenarioPackage, days: number): { day: number; week: number; month: number } {
    const counts = [...pkg.daily].sort((a, b) => (a.date < b.date ? -1 : 1)).map((d) => d.count)
    const bars = [...counts, ...Array<number>(days).fill(0)].slice(-30)
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
    return { day: bars[bars.length - 1] ?? -1, week: sum(bars.slice(-7)), month: sum(bars) }
  }

  it('an exact count equal to the stored total skips the package page; windows shift by the days since', async () => {
    const scenario = scenarioOf(20, 'title')
    const moved = packagesOf(scenario)[5] as ScenarioPackage
    const { w, second, day1, day2 } = await twoDays(scenario, () => {
      moved.total += 7
    })
    // 18 confirmed by the listing, 1 on its rotation turn, 1 moved.
    expect(byKind(second)).toEqual({ none: 18, 'page+v1': 2 })
    expect(second.get(moved.name)).toEqual(['page', 'v1'])
    const login = scenario.owners[0]?.login ?? ''
    for (const pkg of packagesOf(scenario)) {
      if (second.get(pkg.name)?.length !== 0) continue
      const snapshot = snapshotOf(w.store, login, pkg.name)
      const windows = shifted(pkg, 1)
      expect([snapshot.downloads, snapshot.downloadsDay, snapshot.downloadsWeek, snapshot.downloadsMonth, snapshot.date]).toEqual([
        pkg.total,
        windows.day,
        windows.week,
        windows.month,
        day2
      ])
      expect(new Set(snapshot.versions.map((v) => v.date))).toEqual(new Set([day1]))
      expect(snapshot.stale).toEqual({})
    }
    expect(snapshotOf(w.store, login, moved.name).downloads).toBe(moved.total)
  })

  it('an abbreviated count never skips the page; exact below 1,000 does; one that proves a move reads in full', async () => {
    const scenario = scenarioOf(3, 'abbreviated')
    const [small, big, jumps] = packagesOf(scenario) as [ScenarioPackage, ScenarioPackage, ScenarioPackage]
    small.total = 999
    big.total = 5000
    jumps.total = 5000
    for (const pkg of [small, big, jumps]) pkg.daily = pkg.daily.map((d) => ({ ...d, count: d.count % 3 }))
    const { w, second } = await twoDays(scenario, () => {
      jumps.total = 7000 // `7k`: 6,500..7,999, so the stored 5,000 moved
    })
    expect(Object.fromEntries(second)).toEqual({ [small.name]: [], [big.name]: ['page'], [jumps.name]: ['page', 'v1'] })
    expect(snapshotOf(w.store, scenario.owners[0]?.login ?? '', jumps.name).downloads).toBe(7000)
  })

  it('a full reading older than 7 days is not enough: the package page is read', async () => {
    const scenario = scenarioOf(3, 'title')
    const w = await world(scenario)
    await w.run()
    clock.ms += 8 * DAY
    const from = w.gh.requests.length
    await w.run()
    expect(byKind(pagesSince(w, scenario, from))).toEqual({ page: 3 })
  })
})
