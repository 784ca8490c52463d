/**
 * Quiet packages end to end (SPEC 13.1) through dist/index.js: runs on successive days (the action's
 * clock moved by a preload, test-support/shifted-clock.ts) over 20 packages of which 4 move each day.
 * The pages the fake GitHub logged and the index branch's package files are checked against the
 * scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { syntheticScenario } from '../../test-support/sample-scenario.js'
import type { ScenarioPackage } from '../../test-support/scenario.js'
import { createSandbox, readBranch, repoRoot, runAction, type Sandbox } from '../../test-support/e2e.js'
import { packagePageUrl, versionsUrl } from '../../src/github/urls.js'
import type { PackageRef } from '../../src/types.js'

type Json = Record<string, unknown>
const DAY = 86_400_000
const preload = pathToFileURL(path.join(repoRoot, 'test-support', 'shifted-clock.ts')).href

describe('quiet packages, end to end', () => {
  const scenario = syntheticScenario({ owners: 1, packagesPerOwner: 20, versionsPerPackage: 10, today: '2026-11-20' })
  const owner = scenario.owners[0]
  if (!owner) throw new Error('no owner')
  owner.type = 'User'
  scenario.listingCounts = 'title'
  const packages = owner.packages
  let gh: FakeGitHub
  let sandbox: Sandbox

  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario })
    sandbox = createSandbox()
  })

  afterAll(async () => {
    await gh.stop()
    sandbox.dispose()
  })

  const refOf = (pkg: ScenarioPackage): PackageRef => ({ ownerType: 'users', owner: owner.login, type: pkg.type, name: pkg.name, repo: pkg.repo })
  const fileOf = (files: Map<string, string>, pkg: ScenarioPackage): Json =>
    JSON.parse(files.get(`${owner.login}/${pkg.repo ?? pkg.name}/${pkg.name}.json`) ?? 'null') as Json

  /** Runs the action `days` days ahead; returns each package's page requests (`page`, `v1`) and the index files. */
  async function runOn(days: number): Promise<{ pages: Map<string, string[]>; files: Map<string, string> }> {
    const from = gh.requests.length
    const run = await runAction({
      gh,
      workspace: sandbox.newWorkspace(),
      inputs: { discover: 'none' },
      env: { NODE_OPTIONS: `--import ${preload}`, BACKAGE_TEST_CLOCK_SHIFT_MS: String(days * DAY) }
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const byPath = new Map<string, [string, string]>()
    for (const pkg of packages) {
      byPath.set(new URL(packagePageUrl(gh.serverUrl, refOf(pkg))).pathname, [pkg.name, 'page'])
      const v1 = new URL(versionsUrl(gh.serverUrl, refOf(pkg), { page: 1 }))
      byPath.set(v1.pathname + v1.search, [pkg.name, 'v1'])
    }
    const pages = new Map<string, string[]>(packages.map((pkg) => [pkg.name, []]))
    for (const request of gh.requests.slice(from).filter((r) => r.kind === 'page')) {
      const hit = byPath.get(request.path)
      if (hit) pages.get(hit[0])?.push(hit[1])
    }
    // The package page and the list are asked together when the package is known to move: order aside.
    for (const list of pages.values()) list.sort()
    return { pages, files: readBranch(sandbox.origin, 'index') }
  }

  const dayOf = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10)
  /** Moves packages 0..3 (20 %): 25 more downloads on their newest version. */
  function moveFour(): void {
    for (const pkg of packages.slice(0, 4)) {
      pkg.total += 25
      const newest = pkg.versions[pkg.versions.length - 1]
      if (newest) newest.downloads += 25
    }
  }
  /** Windows of the scenario's chart moved on by `days` days of 0, summed here. */
  function shifted(pkg: ScenarioPackage, days: number): number[] {
    const counts = [...pkg.daily].sort((a, b) => (a.date < b.date ? -1 : 1)).map((d) => d.count)
    const bars = [...counts, ...Array<number>(days).fill(0)].slice(-30)
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
    return [bars[bars.length - 1] ?? -1, sum(bars.slice(-7)), sum(bars)]
  }

  let firstFiles = new Map<string, string>()

  it('day 0: every package is read in full', async () => {
    const { pages, files } = await runOn(0)
    for (const pkg of packages) expect([pkg.name, pages.get(pkg.name)]).toEqual([pkg.name, ['page', 'v1']])
    firstFiles = files
  })

  it('day 1, exact listing counts: quiet packages cost no page; moved ones are read in full', async () => {
    moveFour()
    const { pages, files } = await runOn(1)
    const quiet = packages.slice(4)
    // One quiet package in twenty reads its page and list on its rotation turn; the rest cost nothing.
    expect(quiet.filter((pkg) => pages.get(pkg.name)?.length !== 0).map((pkg) => pages.get(pkg.name))).toEqual([['page', 'v1']])
    for (const pkg of packages.slice(0, 4)) {
      expect(pages.get(pkg.name)).toEqual(['page', 'v1'])
      const file = fileOf(files, pkg)
      expect([file.raw_downloads, file.date]).toEqual([pkg.total, dayOf(1)])
    }
    for (const pkg of quiet.filter((p) => pages.get(p.name)?.length === 0)) {
      const before = fileOf(firstFiles, pkg)
      const file = fileOf(files, pkg)
      expect([file.raw_downloads, file.raw_downloads_day, file.raw_downloads_week, file.raw_downloads_month, file.date]).toEqual([
        pkg.total,
        ...shifted(pkg, 1),
        dayOf(1)
      ])
      // The versions are untouched: same numbers, same dates.
      expect(file.version).toEqual(before.version)
      expect(file.stale).toBeUndefined()
    }
  })

  it('day 2, no listing counts: a quiet package costs exactly its package page', async () => {
    scenario.listingCounts = 'none'
    moveFour()
    const { pages, files } = await runOn(2)
    const quiet = packages.slice(4)
    const costs = quiet.map((pkg) => (pages.get(pkg.name) ?? []).join('+'))
    expect(costs.filter((cost) => cost === 'page').length).toBeGreaterThanOrEqual(quiet.length - 1)
    expect(costs.filter((cost) => cost !== 'page' && cost !== 'page+v1')).toEqual([])
    for (const pkg of packages.slice(0, 4)) expect(pages.get(pkg.name)).toEqual(['page', 'v1'])
    for (const pkg of packages) {
      const file = fileOf(files, pkg)
      // Every package page was read today: the chart as the fake shows it, the total as it is.
      const [day, week, month] = shifted(pkg, 0)
      expect([pkg.name, file.raw_downloads, file.raw_downloads_day, file.raw_downloads_week, file.raw_downloads_month, file.date]).toEqual([
        pkg.name,
        pkg.total,
        day,
        week,
        month,
        dayOf(2)
      ])
    }
  })
})
