/**
 * The refresh stage against strangers' data (SPEC 5.3, 12), through the fake GitHub: stale decided
 * once (the report counts exactly the packages that carry a marker), unsafe numbers never stored,
 * names through the one door, case-only renames without ghosts, and a `complete` that tells the truth.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { DatabaseSync } from 'node:sqlite'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { ownerListingUrl, packagePageUrl } from '../../src/github/urls.js'
import type { RefreshReport } from '../../src/pipeline/refresh.js'
import type { PackageSnapshot } from '../../src/types.js'
import { clock, disposeWorlds, ownerOf, packageOf, refOf, rewritingHttp, snapshotOf, world, type World } from './refresh-world.js'

afterEach(disposeWorlds)

const UNSAFE = 2 ** 53 + 2
const DAY = 86_400_000

/** SPEC 12: a package is counted as stale if and only if its published object carries `stale`. */
function expectStaleIffMarked(w: World, report: RefreshReport): void {
  const touched = new Set([...report.refreshed, ...report.stale.map((s) => s.ref)].map((r) => `${r.owner}/${r.type}/${r.name}`))
  const key = (s: PackageSnapshot): string => `${s.owner}/${s.type}/${s.name}`
  const marked = w.store.snapshots().filter((s) => touched.has(key(s)) && Object.keys(s.stale).length > 0).map(key)
  expect(report.stale.map((s) => `${s.ref.owner}/${s.ref.type}/${s.ref.name}`).sort()).toEqual(marked.sort())
  expect(report.refreshed.map((r) => `${r.owner}/${r.type}/${r.name}`).filter((k) => marked.includes(k))).toEqual([])
}

describe('refreshStage: stale is decided once', () => {
  it('a package whose page fails is stale with a marker: null when never read, the day kept once known', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const ref = refOf(scenario, 'octo-dev', 'octo-utils')
    const pagePath = new URL(packagePageUrl(w.gh.serverUrl, ref)).pathname
    w.gh.inject({ path: pagePath, status: 500 })

    const first = await w.run(['octo-dev'])
    expect(first.stale).toEqual([{ ref, page: packagePageUrl(w.gh.serverUrl, ref), marker: 'HTTP 500' }])
    expect(first.refreshed.map((r) => r.name)).toEqual(['octo-app'])
    const never = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect([never.downloads, never.downloadsMonth]).toEqual([-1, -1])
    expect(never.stale).toEqual({ downloads: null, downloads_month: null, downloads_week: null, downloads_day: null })
    expectStaleIffMarked(w, first)
    // Its queue state did not move: it is still due.
    expect(w.store.listPackages('octo-dev').find((p) => p.ref.name === 'octo-utils')?.lastRefresh).toBeNull()

    w.gh.clearFaults()
    const second = await w.run(['octo-dev'])
    expect(second.stale).toEqual([])
    const read = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect(read.downloads).toBe(packageOf(scenario, 'octo-dev', 'octo-utils').total)
    expect(read.stale).toEqual({})

    clock.ms += DAY
    w.gh.inject({ path: pagePath, status: 500 })
    const third = await w.run(['octo-dev'])
    expect(third.stale.map((s) => s.ref.name)).toEqual(['octo-utils'])
    const kept = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect(kept.downloads).toBe(read.downloads)
    expect(kept.stale).toEqual({ downloads: read.date, downloads_month: read.date, downloads_week: read.date, downloads_day: read.date })
    expectStaleIffMarked(w, third)
  })

  it('a total that is not a safe integer is never stored: the known one stays, stale, and later runs read the database', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    await w.run(['octo-dev'])
    const before = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    const pkg = packageOf(scenario, 'octo-dev', 'octo-utils')
    const newest = [...pkg.versions].sort((a, b) => b.id - a.id)[0]
    if (!newest) throw new Error('no versions')
    const newestBefore = before.versions.find((v) => v.id === newest.id)?.downloads
    pkg.total = UNSAFE // the page states 9,007,199,254,740,994 downloads
    newest.downloads = UNSAFE

    clock.ms += DAY
    const report = await w.run(['octo-dev'])
    expect(report.stale.map((s) => s.ref.name)).toEqual(['octo-utils'])
    const after = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect(after.downloads).toBe(before.downloads)
    expect(after.stale.downloads).toBe(before.date)
    expect(after.versions.find((v) => v.id === newest.id)?.downloads).toBe(newestBefore)
    expectStaleIffMarked(w, report)

    // The next run starts from this database without trouble.
    pkg.total = before.downloads + 5
    newest.downloads = 3
    const next = await w.run(['octo-dev'])
    expect(next.stale).toEqual([])
    expect(snapshotOf(w.store, 'octo-dev', 'octo-utils')).toMatchObject({ downloads: before.downloads + 5, stale: {} })
  })
})

describe('refreshStage: names (SPEC 12)', () => {
  it('a rename that changes only case updates the stored package and leaves no ghost', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    await w.run(['octo-dev'])
    packageOf(scenario, 'octo-dev', 'octo-utils').name = 'Octo-Utils'
    clock.ms += DAY
    const report = await w.run(['octo-dev'])
    expect(report.refreshed.map((r) => r.name).sort()).toEqual(['Octo-Utils', 'octo-app'])
    expect(w.store.listPackages('octo-dev').map((p) => p.ref.name).sort()).toEqual(['Octo-Utils', 'octo-app'])
    const names = w.store.snapshots().filter((s) => s.owner === 'octo-dev').map((s) => s.name)
    expect(names.sort()).toEqual(['Octo-Utils', 'octo-app'])
  })

  it('never stores entries of other owners, nor names that fail the one door, under the listing owner', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const owner = ownerOf(scenario, 'octo-dev')
    const listing = ownerListingUrl(w.gh.serverUrl, 'users', 'octo-dev', 1)
    const foreign = `<li><a href="/orgs/acme-labs/packages/npm/package/widgets">widgets</a></li>
      <li><a href="/users/octo-dev/packages/npm/package/%2E%2E%2Fescape">escape</a></li>`
    const count = `${owner.packages.length} packages`
    const http = rewritingHttp(
      w.deps.http,
      (url) => url === listing,
      (html) => html.replace('<ul>', `<ul>${foreign}`).replace(count, `${owner.packages.length + 2} packages`)
    )
    const report = await w.run(['octo-dev'], { http })
    const names = w.store.listPackages().map((p) => `${p.ref.owner}/${p.ref.name}`)
    expect(names.sort()).toEqual(['octo-dev/octo-app', 'octo-dev/octo-utils'])
    expect(w.store.snapshots().every((s) => s.ownerId === owner.id)).toBe(true)
    expect(report.refreshed.map((r) => r.name).sort()).toEqual(['octo-app', 'octo-utils'])
    expect(w.gh.requests.some((r) => r.path.includes('escape'))).toBe(false)
  })
})

describe('refreshStage: stored names from older versions', () => {
  it('never fetches a stored package whose name fails the one door; the others are refreshed', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const db = new DatabaseSync(w.dbPath)
    try {
      db.exec(`INSERT INTO packages (owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
               VALUES ('octo-dev', 'users', 'npm', '../escape', NULL, ${ownerOf(scenario, 'octo-dev').id}, '2026-01-01T00:00:00Z', '2026-01-01')`)
    } finally {
      db.close()
    }
    const report = await w.run(['octo-dev'])
    expect(report.refreshed.map((r) => r.name).sort()).toEqual(['octo-app', 'octo-utils'])
    expect(report.complete).toBe(true)
    expect(w.gh.requests.some((r) => r.path.includes('escape'))).toBe(false)
    expect(w.warnings.some((m) => m.includes('"../escape" skipped'))).toBe(true)
  })
})

describe('refreshStage: complete tells the truth (SPEC 2.2, 12)', () => {
  it('is false when every package page was tried and none understood', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    w.gh.inject({ path: /\/package\//, layoutChanged: true })
    const report = await w.run()
    expect(report.refreshed).toEqual([])
    expect(report.stale.length).toBeGreaterThan(5)
    expect(report.complete).toBe(false)
    expect(report.stopReason).toMatch(/none of the \d+ package pages tried was understood/)
    expectStaleIffMarked(w, report)
  })

  it('is false when every owner listing failed', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    w.gh.inject({ path: /[?&]tab=packages|\/packages\?/, status: 500 })
    const report = await w.run(['octo-dev', 'acme-labs'])
    expect(report.failedOwners.map((f) => f.login).sort()).toEqual(['acme-labs', 'octo-dev'])
    expect(report.complete).toBe(false)
    expect(report.stopReason).toMatch(/none of the 2 owner listings/)
  })

  it('is true when some pages failed and others were understood', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    w.gh.inject({ path: new URL(packagePageUrl(w.gh.serverUrl, refOf(scenario, 'octo-dev', 'octo-utils'))).pathname, layoutChanged: true })
    const report = await w.run(['octo-dev'])
    expect(report.stale.map((s) => s.ref.name)).toEqual(['octo-utils'])
    expect(report).toMatchObject({ complete: true, stopReason: null })
  })

  it('is false, with the reason, when stopped before the work was done', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const stop = new AbortController()
    stop.abort(new Error('time budget of 1 min (max-duration) reached'))
    const report = await w.run(['octo-dev'], { signal: stop.signal })
    expect(report).toMatchObject({ complete: false, stopReason: 'time budget of 1 min (max-duration) reached' })
  })

  it('a stop that comes after the last task finished changes nothing', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const stop = new AbortController()
    const report = await w.run(['octo-dev'], { signal: stop.signal })
    stop.abort(new Error('received SIGTERM'))
    expect(report).toMatchObject({ complete: true, stopReason: null })
  })
})
