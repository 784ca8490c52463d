/**
 * Pages per package on a quiet day (SPEC 13.1): 80 % of the packages did not move since yesterday,
 * each with at most 50 versions. The same day is read three ways side by side, each in its own store
 * after the same full first day: as v1 read it (every package page and versions list: the store's
 * quiet memory withheld), with 13.1 where listings show no counts, abbreviated ones (as github.com:
 * exact below 1,000) and exact ones. Rotation pages (quiet packages read deeper on their turn) are counted apart.
 * Real refresh stage, HTTP client (no pacing waits), parsers and store. Prints nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { FakeGitHub } from '../test-support/fake-github/server.js'
import { syntheticScenario } from '../test-support/sample-scenario.js'
import type { Scenario } from '../test-support/scenario.js'
import { HttpClient } from '../src/github/http.js'
import { fakeGitHubApi } from '../test-support/github-api.js'
import { createImageSizer } from '../src/github/registry.js'
import { Store } from '../src/store/store.js'
import { refreshStage, type RefreshStore } from '../src/pipeline/refresh.js'

export interface QuietBenchOptions {
  owners: number
  packagesPerOwner: number
  versionsPerPackage: number
}

/** Pages per package on the quiet day, by what they were for. */
export interface QuietDay {
  /** Everything but the rotation: listing, package pages, versions lists. */
  pagesPerPackage: number
  listingPerPackage: number
  /** Pages beyond a quiet package's usual cost, read on its rotation turn. */
  rotationPerPackage: number
}

export interface QuietBenchResult {
  packages: number
  v1: QuietDay
  noCounts: QuietDay
  /** Listings as github.com shows them: exact below 1,000 only. */
  abbreviated: QuietDay
  withCounts: QuietDay
}

const DAY = 86_400_000

export async function benchQuiet(options: QuietBenchOptions): Promise<QuietBenchResult> {
  const make = (): Scenario =>
    syntheticScenario({ owners: options.owners, packagesPerOwner: options.packagesPerOwner, versionsPerPackage: options.versionsPerPackage })
  const v1 = await quietDay({ ...make(), listingCounts: 'none' }, 'v1')
  const noCounts = await quietDay({ ...make(), listingCounts: 'none' }, 'none')
  const abbreviated = await quietDay({ ...make(), listingCounts: 'abbreviated' }, 'abbreviated')
  const withCounts = await quietDay({ ...make(), listingCounts: 'title' }, 'title')
  return { packages: options.owners * options.packagesPerOwner, v1, noCounts, abbreviated, withCounts }
}

async function quietDay(scenario: Scenario, variant: 'v1' | 'none' | 'abbreviated' | 'title'): Promise<QuietDay> {
  const gh = await FakeGitHub.start({ scenario })
  const dir = mkdtempSync(path.join(tmpdir(), 'backage-bench-quiet-'))
  const store = Store.open(path.join(dir, 'bench.db'))
  try {
    const start = Date.now()
    let offset = 0
    for (const owner of scenario.owners) store.upsertOwner({ login: owner.login, id: owner.id, type: owner.type }, new Date(start).toISOString())
    // v1 knew nothing of quiet packages: the same store with that memory withheld.
    const v1Store: RefreshStore = Object.create(store) as Store
    v1Store.listPackages = (owner?: string) => store.listPackages(owner).map(({ quiet: _quiet, ...rest }) => rest)
    const http = new HttpClient({ userAgent: 'backage-action-bench', concurrency: 4, pageJitterMs: 0 })
    const refresh = (): Promise<unknown> =>
      refreshStage(
        {
          http,
          sizer: createImageSizer(http, gh.registryUrl),
          api: fakeGitHubApi(gh).api,
          store: variant === 'v1' ? v1Store : store,
          serverUrl: gh.serverUrl,
          concurrency: 4,
          signal: new AbortController().signal,
          now: () => new Date(Date.now() + offset),
          optOut: [],
          log: { info: () => undefined, warning: () => undefined, debug: () => undefined }
        },
        scenario.owners.map((owner) => ({ login: owner.login, reason: 'queue' as const }))
      )
    await refresh()
    // The next day: one package in five moved (a few downloads on its newest version).
    const all = scenario.owners.flatMap((owner) => owner.packages.map((pkg) => ({ owner, pkg })))
    const moved = new Set<string>()
    const totals = new Map(all.map(({ owner, pkg }) => [`${owner.login}/${pkg.type}/${pkg.name}`, pkg.total]))
    all.forEach(({ owner, pkg }, i) => {
      if (i % 5 !== 0) return
      pkg.total += 3
      const newest = pkg.versions[pkg.versions.length - 1]
      if (newest) newest.downloads += 3
      moved.add(`${owner.login}/${pkg.type}/${pkg.name}`)
    })
    offset = DAY
    const from = gh.requests.length
    await refresh()
    let listing = 0
    let pages = 0
    let rotation = 0
    const perPackage = new Map<string, number>()
    for (const request of gh.requests.slice(from).filter((r) => r.kind === 'page')) {
      const key = packageKey(request.path)
      if (key === null) listing++
      else perPackage.set(key, (perPackage.get(key) ?? 0) + 1)
    }
    // A quiet package's usual cost: nothing when an exact listing count confirmed it, else its page.
    for (const [key, n] of perPackage) {
      const confirmable = variant === 'title' || (variant === 'abbreviated' && (totals.get(key) ?? Infinity) < 1000)
      const usual = confirmable ? 0 : 1
      if (variant !== 'v1' && !moved.has(key) && n > usual) {
        rotation += n - usual
        pages += usual
      } else pages += n
    }
    const count = all.length
    return { pagesPerPackage: (pages + listing) / count, listingPerPackage: listing / count, rotationPerPackage: rotation / count }
  } finally {
    store.close()
    await gh.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `owner/type/name` of a package page or versions list request; null for a listing page. */
function packageKey(requestPath: string): string | null {
  const pathname = requestPath.split('?')[0] ?? ''
  const m = /^\/(?:users|orgs)\/([^/]+)\/packages\/([^/]+)\/(?:package\/)?([^/]+)(?:\/versions)?$/.exec(pathname)
  return m ? `${m[1]}/${m[2]}/${decodeURIComponent(m[3] ?? '')}` : null
}
