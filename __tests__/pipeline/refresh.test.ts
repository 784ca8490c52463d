/**
 * The refresh stage against the fake GitHub on 127.0.0.1, with the real parsers, the real HTTP
 * client (no waiting: a no-op sleep) and the real store in a temporary file.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { sampleScenario, syntheticScenario } from '../../test-support/sample-scenario.js'
import type { ScenarioOwner, ScenarioPackage } from '../../test-support/scenario.js'
import { packagePageUrl, versionsUrl, ownerListingUrl } from '../../src/github/urls.js'
import type { Store } from '../../src/store/store.js'
import type { PackageRef, PackageRefresh } from '../../src/types.js'
import type { Http, ImageSizer } from '../../src/ports.js'
import type { OptOutRule } from '../../src/pipeline/owner-files.js'
import {
  RENAMED_LABEL,
  clock,
  disposeWorlds,
  expectedWindows,
  ownerOf,
  ownerWithVersions,
  packageOf,
  pageRequestsFor,
  recordingStore,
  refOf,
  rewritingHttp,
  snapshotOf,
  world,
  type World
} from './refresh-world.js'

afterEach(disposeWorlds)

describe('refreshStage', () => {
  it('stores exact totals, windows and versions for every package type', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const report = await w.run()

    expect(report.complete).toBe(true)
    expect(report.failedOwners).toEqual([])
    expect(report.stale).toEqual([])
    const publicPackages = scenario.owners.flatMap((o) => o.packages.filter((p) => !p.private).map((p) => ({ o, p })))
    expect(report.refreshed).toHaveLength(publicPackages.length)
    expect(new Set(publicPackages.map(({ p }) => p.type))).toEqual(new Set(['container', 'npm', 'maven', 'nuget', 'rubygems']))

    for (const { o, p } of publicPackages) {
      const snapshot = snapshotOf(w.store, o.login, p.name)
      const windows = expectedWindows(p)
      expect([p.name, snapshot.downloads, snapshot.downloadsMonth, snapshot.downloadsWeek, snapshot.downloadsDay]).toEqual([
        p.name,
        p.total,
        windows.month,
        windows.week,
        windows.day
      ])
      expect(snapshot.repo).toBe(p.repo ?? p.name)
      expect(snapshot.stale).toEqual({})
      const byId = new Map(p.versions.map((v) => [v.id, v]))
      // Every stored version is a real one with its exact downloads and tags.
      for (const v of snapshot.versions) {
        expect({ id: v.id, downloads: v.downloads, tags: [...v.tags].sort() }).toEqual({
          id: v.id,
          downloads: byId.get(v.id)?.downloads,
          tags: [...(byId.get(v.id)?.tags ?? [])].sort()
        })
      }
      if (p.versions.length <= 100) expect(snapshot.versions.map((v) => v.id).sort()).toEqual([...byId.keys()].sort())
    }

    // The 130-version container after one refresh: list page 1 (newest 50), the deep page 2
    // (51st..100th) and tagged page 1 (tagged versions older than the newest 50).
    const server = snapshotOf(w.store, 'acme-labs', 'server')
    const serverVersions = packageOf(scenario, 'acme-labs', 'server').versions
    const newestFirst = serverVersions.map((v) => v.id).sort((a, b) => b - a)
    const tagged = serverVersions.filter((v) => v.tags.length > 0).map((v) => v.id)
    expect(tagged.some((id) => !newestFirst.slice(0, 100).includes(id))).toBe(true)
    expect(new Set(server.versions.map((v) => v.id))).toEqual(new Set([...newestFirst.slice(0, 100), ...tagged]))

    // Sizes: the newest three images, amd64 as the headline size.
    const serverPkg = packageOf(scenario, 'acme-labs', 'server')
    const sized = server.versions.filter((v) => v.size >= 0).map((v) => v.id).sort((a, b) => b - a)
    expect(sized).toEqual(newestFirst.slice(0, 3))
    const newest = serverPkg.versions.find((v) => v.id === newestFirst[0])
    const amd64 = newest?.image?.platforms.find((pl) => pl.platform === 'linux/amd64')?.layers.reduce((a, b) => a + b, 0)
    expect(server.versions.find((v) => v.id === newestFirst[0])?.size).toBe(amd64)

    // Private packages are neither stored nor reported.
    expect(w.store.snapshots().some((s) => s.name === 'internal-db')).toBe(false)
    expect(report.owners.map((o) => o.login).sort()).toEqual(['acme-labs', 'backage-demo', 'octo-dev', 'pixel-forge'])
    const acme = report.owners.find((o) => o.login === 'acme-labs')
    const acmePublic = ownerOf(scenario, 'acme-labs').packages.filter((p) => !p.private)
    expect(acme).toEqual({ login: 'acme-labs', packages: acmePublic.length, downloads: acmePublic.reduce((a, p) => a + p.total, 0) })
  })

  it('reads at most 4 pages per package and rotates the deep versions page across refreshes', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario, { moving: true })
    const ref = refOf(scenario, 'acme-labs', 'server')
    const versionsPath = new URL(versionsUrl(w.gh.serverUrl, ref, { page: 1 })).pathname
    const deepPages: string[] = []
    for (let refresh = 0; refresh < 3; refresh++) {
      w.gh.requests.length = 0
      const report = await w.run(['acme-labs'])
      expect(report.complete).toBe(true)
      const requests = pageRequestsFor(w.gh, ref)
      expect(requests.length).toBeLessThanOrEqual(4)
      expect(requests).toContain(`${versionsPath}?page=1`)
      deepPages.push(...requests.filter((p) => /[?&]page=[2-9]/.test(p) && !p.includes('tagged')))
      for (const other of scenario.owners[1]?.packages.filter((p) => !p.private) ?? []) {
        expect(pageRequestsFor(w.gh, refOf(scenario, 'acme-labs', other.name)).length).toBeLessThanOrEqual(4)
      }
    }
    // 130 versions = 3 pages: the deep page goes 2, 3, then wraps to 2.
    expect(deepPages).toEqual([`${versionsPath}?page=2`, `${versionsPath}?page=3`, `${versionsPath}?page=2`])
    // After page 3 was read, every version is known.
    const all = packageOf(scenario, 'acme-labs', 'server').versions.map((v) => v.id)
    expect(new Set(snapshotOf(w.store, 'acme-labs', 'server').versions.map((v) => v.id))).toEqual(new Set(all))
  })

  it('reads a package of up to 100 versions whole, so a vanished version is dropped', async () => {
    const scenario = sampleScenario()
    scenario.owners.push(ownerWithVersions('ninety', 91_000_090, 90))
    const w = await world(scenario, { moving: true })
    const pkg = ownerOf(scenario, 'ninety').packages[0] as ScenarioPackage
    const ref = refOf(scenario, 'ninety', pkg.name)

    await w.run(['ninety'])
    const versionsPath = new URL(versionsUrl(w.gh.serverUrl, ref, { page: 1 })).pathname
    expect(pageRequestsFor(w.gh, ref).sort()).toEqual(
      [new URL(packagePageUrl(w.gh.serverUrl, ref)).pathname, `${versionsPath}?page=1`, `${versionsPath}?page=2`].sort()
    )
    expect(snapshotOf(w.store, 'ninety', pkg.name).versions).toHaveLength(90)

    const oldest = Math.min(...pkg.versions.map((v) => v.id))
    pkg.versions = pkg.versions.filter((v) => v.id !== oldest)
    await w.run(['ninety'])
    const ids = snapshotOf(w.store, 'ninety', pkg.name).versions.map((v) => v.id)
    expect(ids).toHaveLength(89)
    expect(ids).not.toContain(oldest)
  })

  it('keeps the previous numbers and reports page and marker when the layout changed', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    await w.run(['octo-dev'])
    const pkg = packageOf(scenario, 'octo-dev', 'octo-utils')
    const before = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect(before.downloads).toBe(pkg.total)

    const ref = refOf(scenario, 'octo-dev', 'octo-utils')
    const pageUrl = packagePageUrl(w.gh.serverUrl, ref)
    pkg.total += 1000
    w.gh.inject({ path: new URL(pageUrl).pathname, layoutChanged: true })
    clock.ms += 86_400_000 // the next day, so the kept number is visibly carried over
    const report = await w.run(['octo-dev'])

    expect(report.stale).toHaveLength(1)
    expect(report.stale[0]?.ref).toEqual(ref)
    expect(report.stale[0]?.page).toBe(pageUrl)
    expect(report.stale[0]?.marker).toMatch(/\S/)
    expect(report.refreshed).toHaveLength(1) // octo-app still refreshed
    expect(w.warnings.some((m) => m.includes(pageUrl) && m.includes(report.stale[0]?.marker ?? '?'))).toBe(true)

    const after = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect(after.downloads).toBe(before.downloads) // never zero, never the unread new total
    expect(after.downloadsMonth).toBe(before.downloadsMonth)
    expect(after.stale.downloads).toBe(before.date)
  })

  it('recovers from 429 and 500 answers', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const ref = refOf(scenario, 'pixel-forge', 'renderer')
    const pagePath = new URL(packagePageUrl(w.gh.serverUrl, ref)).pathname
    const versionsPath = new URL(versionsUrl(w.gh.serverUrl, ref, { page: 1 })).pathname
    w.gh.inject({ path: pagePath, status: 429, retryAfter: 1, times: 1 })
    w.gh.inject({ path: `${versionsPath}?page=1`, status: 500, times: 2 })
    w.gh.inject({ path: new URL(ownerListingUrl(w.gh.serverUrl, 'orgs', 'pixel-forge', 1)).pathname, status: 502, times: 1 })

    const report = await w.run(['pixel-forge'])
    expect(report.complete).toBe(true)
    expect(report.stale).toEqual([])
    expect(report.failedOwners).toEqual([])
    const statuses = w.gh.requests.filter((r) => r.path === pagePath).map((r) => r.status)
    expect(statuses).toEqual([429, 200])
    expect(w.gh.requests.filter((r) => r.path === `${versionsPath}?page=1`).map((r) => r.status)).toEqual([500, 500, 200])
    const pkg = packageOf(scenario, 'pixel-forge', 'renderer')
    const snapshot = snapshotOf(w.store, 'pixel-forge', 'renderer')
    expect(snapshot.downloads).toBe(pkg.total)
    expect(snapshot.versions).toHaveLength(pkg.versions.length)
  })

  it('retires a package only when a complete listing no longer shows it and its page is 404', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    await w.run(['acme-labs'])
    const widgets = refOf(scenario, 'acme-labs', 'widgets')
    packageOf(scenario, 'acme-labs', 'widgets').private = true // off the listing, page 404

    const report = await w.run(['acme-labs'])
    expect(report.retired.packages).toEqual([widgets])
    expect(w.store.listPackages('acme-labs').some((p) => p.ref.name === 'widgets')).toBe(false)
    expect(w.store.snapshots().some((s) => s.owner === 'acme-labs' && s.name === 'widgets')).toBe(false)
  })

  it('does not retire a package on a 404 while the listing is incomplete', async () => {
    // 35 packages: two listing pages; page 2 then goes missing, so the listing proves nothing.
    const scenario = syntheticScenario({ owners: 1, packagesPerOwner: 35, versionsPerPackage: 1, today: '2026-11-20' })
    const owner = scenario.owners[0] as ScenarioOwner
    const w = await world(scenario)
    const first = await w.run()
    expect(first.refreshed).toHaveLength(35)

    const victim = owner.packages[34] as ScenarioPackage // listed on page 2
    const ref = refOf(scenario, owner.login, victim.name)
    const listing2 = ownerListingUrl('', 'users', owner.login, 2)
    w.gh.inject({ path: listing2, status: 404 })
    w.gh.inject({ path: new URL(packagePageUrl(w.gh.serverUrl, ref)).pathname, status: 404 })
    w.gh.requests.length = 0

    const report = await w.run()
    expect(report.retired.packages).toEqual([])
    expect(report.stale).toEqual([{ ref, page: packagePageUrl(w.gh.serverUrl, ref), marker: 'HTTP 404' }])
    expect(w.store.listPackages(owner.login).some((p) => p.ref.name === victim.name)).toBe(true)
    // Tried once in the run, never again.
    const pagePath = new URL(packagePageUrl(w.gh.serverUrl, ref)).pathname
    expect(w.gh.requests.filter((r) => r.path === pagePath)).toHaveLength(1)
    expect(w.warnings.some((m) => m.includes('nothing is removed'))).toBe(true)
  })

  it('retires an owner only on proof, and backs off an owner that fails', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    w.store.upsertOwner({ login: 'vanished', id: 5, type: 'User' }, new Date(clock.ms).toISOString())
    w.gh.inject({ path: ownerListingUrl('', 'orgs', 'pixel-forge', 1), status: 500 })

    const report = await w.run(['vanished', 'pixel-forge', 'octo-dev'])
    expect(report.retired.owners).toEqual(['vanished'])
    expect(w.store.listOwners().some((o) => o.login === 'vanished')).toBe(false)
    expect(report.failedOwners.map((f) => f.login)).toEqual(['pixel-forge'])
    const failed = w.store.listOwners().find((o) => o.login === 'pixel-forge')
    expect(failed?.failures).toBe(1)
    expect(failed?.lastRefresh).toBeNull()
    const delay = Date.parse(failed?.nextAttempt ?? '') - clock.ms
    expect(delay).toBeGreaterThan(3_500_000)
    expect(delay).toBeLessThanOrEqual(3_600_000)
    expect(report.owners.map((o) => o.login)).toEqual(['octo-dev'])
    expect(report.complete).toBe(true)
  })

  it('finds the type of an owner it does not know through the API', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    w.store.upsertOwner({ login: 'fresh-org' }, new Date(clock.ms).toISOString())
    scenario.owners.push({ ...ownerWithVersions('fresh-org', 91_000_077, 3), type: 'Organization' })
    const report = await w.run(['fresh-org'])
    expect(report.owners).toEqual([expect.objectContaining({ login: 'fresh-org', packages: 1 })])
    expect(w.store.listOwners().find((o) => o.login === 'fresh-org')).toMatchObject({ id: 91_000_077, type: 'Organization' })
    expect(w.store.snapshots().find((s) => s.owner === 'fresh-org')?.ownerType).toBe('orgs')
  })

  it('never requests opted-out packages or owners', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const optOut: OptOutRule[] = [{ owner: 'ACME-LABS', repo: 'server' }, { owner: 'pixel-forge' }, { owner: 'octo-dev', repo: 'octo-utils', package: 'octo-utils' }]
    const report = await w.run(undefined, { optOut })
    const paths = w.gh.requests.map((r) => r.path)
    expect(paths.filter((p) => p.includes('/server'))).toEqual([])
    expect(paths.filter((p) => p.includes('pixel-forge'))).toEqual([])
    expect(paths.filter((p) => p.includes('octo-utils'))).toEqual([])
    expect(paths.some((p) => p.includes('/tools%2Fcli'))).toBe(true)
    const names = report.refreshed.map((r) => r.name)
    expect(names).not.toContain('server')
    expect(names).not.toContain('octo-utils')
    expect(names).toContain('octo-app')
  })

  it('stops taking work when the signal aborts, keeping what was saved', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    const stop = new AbortController()
    const saved: string[] = []
    // The real store, with a hook that pulls the plug after the first saved package.
    const store = Object.create(w.store) as Store
    store.savePackageRefresh = (refresh, cycle) => {
      const result = w.store.savePackageRefresh(refresh, cycle)
      saved.push(refresh.ref.name)
      stop.abort(new Error('time budget'))
      return result
    }
    const report = await w.run(['acme-labs', 'octo-dev'], { store, signal: stop.signal, concurrency: 1 })
    expect(report.complete).toBe(false)
    expect(report.stopReason).toBe('time budget')
    expect(saved).toHaveLength(1)
    expect(w.store.snapshots().map((s) => s.name)).toEqual(saved)
    expect(report.owners).toEqual([]) // the owner in progress stays due
    expect(w.store.listOwners().every((o) => o.lastRefresh === null)).toBe(true)
    expect(report.failedOwners).toEqual([])
  })

  it('stops gracefully when the API budget is exhausted', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario, { rateLimit: { rest: 40 } })
    for (const owner of scenario.owners) w.store.upsertOwner({ login: `${owner.login}-x` }, new Date(clock.ms).toISOString())
    // Unknown owners need the API; the budget (40 < the client's reserve) runs out.
    const report = await w.run(scenario.owners.map((o) => `${o.login}-x`), { concurrency: 1 })
    expect(report.complete).toBe(false)
    expect(report.failedOwners).toEqual([])
    expect(report.retired.owners.length).toBeLessThan(scenario.owners.length)
  })

  it('counts cycles: a cycle ends when every known package was refreshed in it', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    await w.run()
    expect(w.store.getMeta('cycle')).toBe('1')
    expect(new Set(w.store.listPackages().map((p) => p.refreshedCycle))).toEqual(new Set([1]))

    await w.run(['octo-dev']) // all were refreshed in cycle 1: cycle 2 begins
    expect(w.store.getMeta('cycle')).toBe('2')
    const cycles = (owner: string): number[] => [...new Set(w.store.listPackages(owner).map((p) => p.refreshedCycle))]
    expect(cycles('octo-dev')).toEqual([2])
    expect(cycles('acme-labs')).toEqual([1])

    await w.run(['octo-dev']) // acme-labs is still due in cycle 2
    expect(w.store.getMeta('cycle')).toBe('2')
    await w.run(['acme-labs', 'pixel-forge', 'backage-demo'])
    expect(w.store.getMeta('cycle')).toBe('2')
    await w.run(['octo-dev'])
    expect(w.store.getMeta('cycle')).toBe('3')
  })
})

describe('refreshStage with a stale owner type', () => {
  it('asks the API when the stored type no longer matches and reads the right listing', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    // Stored as a user, but pixel-forge is an organization: the user-form listing answers 404.
    w.store.upsertOwner({ login: 'pixel-forge', id: 91_000_004, type: 'User' }, new Date(clock.ms).toISOString())
    const report = await w.run(['pixel-forge'])
    expect(report.retired.owners).toEqual([])
    expect(report.failedOwners).toEqual([])
    expect(report.refreshed.map((r) => r.name).sort()).toEqual(
      ownerOf(scenario, 'pixel-forge').packages.map((p) => p.name).sort()
    )
    expect(report.refreshed.every((r) => r.ownerType === 'orgs')).toBe(true)
  })
})

describe('refreshStage fails closed on versions lists (SPEC 5.3)', () => {
  it('a versions page whose rows are not recognised is not a complete list: nothing is deleted', async () => {
    const scenario = sampleScenario()
    scenario.owners.push(ownerWithVersions('ninety', 91_000_090, 90))
    const w = await world(scenario, { moving: true })
    const pkg = ownerOf(scenario, 'ninety').packages[0] as ScenarioPackage
    const ref = refOf(scenario, 'ninety', pkg.name)
    await w.run(['ninety'])
    expect(snapshotOf(w.store, 'ninety', pkg.name).versions).toHaveLength(90)

    // GitHub renames the label the rows are found by: page 2 would read as empty.
    const page2 = versionsUrl(w.gh.serverUrl, ref, { page: 2 })
    const recorder = recordingStore(w.store)
    const http = rewritingHttp(w.deps.http, (url) => url === page2, RENAMED_LABEL)
    await w.run(['ninety'], { http, store: recorder.store })
    expect(recorder.saved).toHaveLength(1)
    expect(recorder.saved[0]?.versionsComplete).toBe(false)
    expect(recorder.saved[0]?.problems).toEqual([{ page: page2, marker: 'Version downloads' }])
    expect(w.warnings.some((m) => m.includes(page2))).toBe(true)
    expect(snapshotOf(w.store, 'ninety', pkg.name).versions).toHaveLength(90)
  })

  it('a page whose rows do not add up to its stated totals is not a complete list', async () => {
    const scenario = sampleScenario()
    scenario.owners.push(ownerWithVersions('forty', 91_000_040, 40))
    const w = await world(scenario, { moving: true })
    const pkg = ownerOf(scenario, 'forty').packages[0] as ScenarioPackage
    const ref = refOf(scenario, 'forty', pkg.name)
    await w.run(['forty'])
    expect(snapshotOf(w.store, 'forty', pkg.name).versions).toHaveLength(40)

    // One row loses its label (the other 39 are read): the page still states 40 versions.
    const page1 = versionsUrl(w.gh.serverUrl, ref, { page: 1 })
    const recorder = recordingStore(w.store)
    const lastLabel = /Version downloads(?![\s\S]*Version downloads)/ // the oldest row's, untagged
    const http = rewritingHttp(w.deps.http, (url) => url === page1, (html) => html.replace(lastLabel, 'Downloads'))
    await w.run(['forty'], { http, store: recorder.store })
    expect(recorder.saved[0]?.versions).toHaveLength(39)
    expect(recorder.saved[0]?.versionCount).toBe(40)
    expect(recorder.saved[0]?.versionsComplete).toBe(false)
    expect(recorder.saved[0]?.problems).toEqual([{ page: page1, marker: 'Version downloads' }])
    expect(snapshotOf(w.store, 'forty', pkg.name).versions).toHaveLength(40)

    // Read as stated: complete again, and a vanished version is dropped.
    pkg.versions = pkg.versions.slice(1)
    await w.run(['forty'])
    expect(snapshotOf(w.store, 'forty', pkg.name).versions).toHaveLength(39)
  })
})

describe('refreshStage with a package page whose chart is not understood (SPEC 6.2)', () => {
  it('updates the total, keeps the windows (stale) and reports the page and marker', async () => {
    const scenario = sampleScenario()
    const w = await world(scenario)
    await w.run(['octo-dev'])
    const pkg = packageOf(scenario, 'octo-dev', 'octo-utils')
    const before = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect(before.downloadsMonth).toBe(expectedWindows(pkg).month)

    const ref = refOf(scenario, 'octo-dev', 'octo-utils')
    const pageUrl = packagePageUrl(w.gh.serverUrl, ref)
    pkg.total += 1000
    pkg.daily = pkg.daily.map((d) => ({ ...d, count: d.count + 5 }))
    const http = rewritingHttp(
      w.deps.http,
      (url) => url === pageUrl,
      (html) => html.replace('aria-label="Downloads for the last 30 days"', 'aria-label="Activity"')
    )
    clock.ms += 86_400_000 // the next day, so the kept windows are visibly carried over
    const recorder = recordingStore(w.store)
    const report = await w.run(['octo-dev'], { http, store: recorder.store })

    const saved = recorder.saved.find((r) => r.ref.name === 'octo-utils')
    expect(saved?.downloads).toBe(pkg.total)
    expect(saved?.windows).toBeNull()
    expect(saved?.problems).toEqual([{ page: pageUrl, marker: 'Downloads for the last 30 days' }])
    // Stale (its windows are kept): counted in `stale`, not in `refreshed` (SPEC 2.2, 12).
    expect(report.refreshed.map((r) => r.name)).toEqual(['octo-app'])
    expect(report.stale).toEqual([{ ref, page: pageUrl, marker: 'Downloads for the last 30 days' }])
    expect(w.warnings.some((m) => m.includes(pageUrl) && m.includes('Downloads for the last 30 days'))).toBe(true)

    const after = snapshotOf(w.store, 'octo-dev', 'octo-utils')
    expect(after.downloads).toBe(pkg.total)
    expect([after.downloadsMonth, after.downloadsWeek, after.downloadsDay]).toEqual([
      before.downloadsMonth,
      before.downloadsWeek,
      before.downloadsDay
    ])
    expect(after.stale).toEqual({ downloads_month: before.date, downloads_week: before.date, downloads_day: before.date })
  })
})

describe('refreshStage passes over the versions of a package with more than 100 (SPEC 5.6)', () => {
  /** One owner with one 130-version container: 3 list pages, so a pass takes 2 refreshes (deep pages 2 and 3). */
  async function deepWorld(): Promise<{ w: World; pkg: ScenarioPackage; ref: PackageRef; saved: PackageRefresh[]; refresh(http?: Http): Promise<PackageRefresh> }> {
    const scenario = sampleScenario()
    scenario.owners.push(ownerWithVersions('deep', 91_000_130, 130))
    const w = await world(scenario, { moving: true })
    const pkg = ownerOf(scenario, 'deep').packages[0] as ScenarioPackage
    const recorder = recordingStore(w.store)
    const refresh = async (http?: Http): Promise<PackageRefresh> => {
      await w.run(['deep'], { store: recorder.store, ...(http ? { http } : {}) })
      const last = recorder.saved[recorder.saved.length - 1]
      if (!last) throw new Error('nothing saved')
      return last
    }
    return { w, pkg, ref: refOf(scenario, 'deep', pkg.name), saved: recorder.saved, refresh }
  }

  const ids = (pkg: ScenarioPackage): number[] => pkg.versions.map((v) => v.id).sort((a, b) => a - b)
  const storedIds = (w: World, pkg: ScenarioPackage): number[] =>
    snapshotOf(w.store, 'deep', pkg.name).versions.map((v) => v.id).sort((a, b) => a - b)
  const pass = (r: PackageRefresh): unknown => [r.versionsCursor, r.versionsPassStartedAt, r.versionsPassComplete, r.versionsComplete]

  it('starts a pass on deep page 2, carries it, and ends it on the last page', async () => {
    const { w, pkg, refresh } = await deepWorld()
    const first = await refresh()
    expect(pass(first)).toEqual([3, first.at, false, false])
    const second = await refresh()
    expect(pass(second)).toEqual([2, first.at, true, false])
    expect(storedIds(w, pkg)).toEqual(ids(pkg))
    const third = await refresh() // a new pass
    expect(pass(third)).toEqual([3, third.at, false, false])
  })

  it('a version removed from the list is gone after a full pass begun after its removal', async () => {
    const { w, pkg, refresh } = await deepWorld()
    await refresh()
    await refresh()
    expect(storedIds(w, pkg)).toEqual(ids(pkg))

    // Remove untagged versions from the newest page, the middle and the oldest page.
    const byAge = [...pkg.versions].sort((a, b) => b.id - a.id).filter((v) => v.tags.length === 0)
    const removed = [byAge[3], byAge[60], byAge[byAge.length - 1]].map((v) => v?.id as number)
    pkg.versions = pkg.versions.filter((v) => !removed.includes(v.id))

    const start = await refresh() // deep page 2: a new pass starts
    expect(pass(start)).toEqual([3, start.at, false, false])
    expect(start.versionCount).toBe(127)
    const end = await refresh() // deep page 3: the pass is complete
    expect(pass(end)).toEqual([2, start.at, true, false])
    expect(end.versions.map((v) => v.id).filter((id) => removed.includes(id))).toEqual([])
    const stored = storedIds(w, pkg)
    expect(stored).toEqual(ids(pkg))
    for (const id of removed) expect(stored).not.toContain(id)
  })

  it('a removal during a pass invalidates it (unread versions may have moved onto read pages)', async () => {
    const { w, pkg, refresh } = await deepWorld()
    await refresh()
    await refresh()
    expect(storedIds(w, pkg)).toEqual(ids(pkg)) // a full pass: every version known

    const start = await refresh()
    expect(start.versionsPassStartedAt).toBe(start.at)
    // Ten versions of page 2, already read in this pass, go: the newest ten of page 3 move onto
    // page 2 and are not on page 3 when it is read. Were the pass trusted, they would be deleted.
    const newestFirst = [...pkg.versions].sort((a, b) => b.id - a.id)
    const gone = newestFirst.slice(55, 65).map((v) => v.id)
    pkg.versions = pkg.versions.filter((v) => !gone.includes(v.id))
    const next = await refresh()
    expect(pass(next)).toEqual([2, null, false, false])
    expect(storedIds(w, pkg).filter((id) => !gone.includes(id))).toEqual(ids(pkg))

    // The next full pass drops the removed ones, and only them.
    await refresh()
    const end = await refresh()
    expect(end.versionsPassComplete).toBe(true)
    expect(storedIds(w, pkg)).toEqual(ids(pkg))
  })

  it('versions added during a pass shift the pages but cost no version', async () => {
    const { w, pkg, refresh } = await deepWorld()
    const known = ids(pkg)
    const start = await refresh()
    // 60 new versions: the list grows to 4 pages, every unread version moves 60 places down.
    const template = pkg.versions[0] as ScenarioPackage['versions'][number]
    const top = Math.max(...known)
    for (let i = 1; i <= 60; i++) pkg.versions.push({ ...template, id: top + i, name: `sha256:${String(top + i).padStart(64, '0')}`, tags: [] })
    const middle = await refresh()
    expect(pass(middle)).toEqual([4, start.at, false, false])
    const end = await refresh()
    expect(pass(end)).toEqual([2, start.at, true, false])
    const stored = storedIds(w, pkg)
    for (const id of known) expect(stored).toContain(id)
  })

  it('a versions page of the pass that is not understood invalidates the pass until the next one', async () => {
    const { w, pkg, ref, refresh } = await deepWorld()
    await refresh()
    await refresh()
    expect(storedIds(w, pkg)).toEqual(ids(pkg))
    await refresh()
    const page3 = versionsUrl(w.gh.serverUrl, ref, { page: 3 })
    const broken = await refresh(rewritingHttp(w.deps.http, (url) => url === page3, RENAMED_LABEL))
    expect(pass(broken)).toEqual([2, null, false, false])
    expect(broken.problems).toEqual([{ page: page3, marker: 'Version downloads' }])
    expect(storedIds(w, pkg)).toEqual(ids(pkg))

    // Neither may a broken tagged page (or page 1) leave a pass valid.
    const start = await refresh()
    expect(start.versionsPassStartedAt).toBe(start.at)
    const tagged = versionsUrl(w.gh.serverUrl, ref, { page: 1, tagged: true })
    const brokenTagged = await refresh(rewritingHttp(w.deps.http, (url) => url === tagged, RENAMED_LABEL))
    expect(pass(brokenTagged)).toEqual([2, null, false, false])
    const again = await refresh()
    expect(pass(again)).toEqual([3, again.at, false, false])
    const page1 = versionsUrl(w.gh.serverUrl, ref, { page: 1 })
    const brokenFirst = await refresh(rewritingHttp(w.deps.http, (url) => url === page1, RENAMED_LABEL))
    expect(brokenFirst.versionsPassStartedAt).toBeNull()
    expect(brokenFirst.versionsPassComplete).toBe(false)
    expect(storedIds(w, pkg)).toEqual(ids(pkg))
  })

  it('a package of up to 100 versions has no pass: it is read whole', async () => {
    const scenario = sampleScenario()
    scenario.owners.push(ownerWithVersions('ninety', 91_000_090, 90))
    const w = await world(scenario)
    const recorder = recordingStore(w.store)
    await w.run(['ninety'], { store: recorder.store })
    expect(pass(recorder.saved[0] as PackageRefresh)).toEqual([2, null, false, true])
  })
})

describe('refreshStage sizes images without getting stuck (SPEC 5.4)', () => {
  it('moves on from versions the registry cannot size, at most 3 lookups per refresh', async () => {
    const scenario = sampleScenario()
    scenario.owners.push(ownerWithVersions('sized', 91_000_020, 20))
    const w = await world(scenario, { moving: true })
    const pkg = ownerOf(scenario, 'sized').packages[0] as ScenarioPackage
    const newestFirst = [...pkg.versions].sort((a, b) => b.id - a.id)
    // The registry has no manifest for the three newest versions.
    const missing = new Set(newestFirst.slice(0, 3).map((v) => v.name))
    const asked: string[][] = []
    const sizer: ImageSizer = {
      sizeOf: async (owner, name, reference, signal) => {
        asked[asked.length - 1]?.push(reference)
        return missing.has(reference) ? null : w.deps.sizer.sizeOf(owner, name, reference, signal)
      }
    }
    const sizedIds = (): number[] => snapshotOf(w.store, 'sized', pkg.name).versions.filter((v) => v.size >= 0).map((v) => v.id)
    for (let run = 0; run < 12; run++) {
      asked.push([])
      clock.ms += 3_600_000 // one run an hour
      await w.run(['sized'], { sizer })
      expect(asked[run]?.length).toBeLessThanOrEqual(3)
    }
    expect(asked[0]).toEqual([...missing])
    // Every version the registry can size was sized; the others are asked at most once per run.
    expect(sizedIds().sort()).toEqual(newestFirst.slice(3).map((v) => v.id).sort())
  })

  it('does not ask again in the same run for a version the registry had no size for', async () => {
    const scenario = sampleScenario()
    scenario.owners.push(ownerWithVersions('sized', 91_000_020, 20))
    const w = await world(scenario)
    const pkg = ownerOf(scenario, 'sized').packages[0] as ScenarioPackage
    const owner = ownerOf(scenario, 'sized')
    const asked: string[] = []
    const sizer: ImageSizer = { sizeOf: async (_o, _n, reference) => (asked.push(reference), null) }
    const ctx = { http: w.deps.http, sizer, serverUrl: w.gh.serverUrl, signal: new AbortController().signal, now: w.deps.now, log: w.deps.log, unsizable: new Set<string>() }
    const ref = refOf(scenario, 'sized', pkg.name)
    const { refreshPackage } = await import('../../src/pipeline/refresh-package.js')
    await refreshPackage(ctx, ref, owner.id, null)
    await refreshPackage(ctx, ref, owner.id, null)
    const newestFirst = [...pkg.versions].sort((a, b) => b.id - a.id).map((v) => v.name)
    expect(asked).toEqual(newestFirst.slice(0, 6))
  })
})
