/**
 * The refresh stage's test world (not a test file itself): the fake GitHub on 127.0.0.1, the real
 * parsers, the real HTTP client (no waiting: a no-op sleep) and the real store in a temporary file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { syntheticScenario } from '../../test-support/sample-scenario.js'
import type { Scenario, ScenarioOwner, ScenarioPackage } from '../../test-support/scenario.js'
import { HttpClient } from '../../src/github/http.js'
import { fakeGitHubApi } from '../../test-support/github-api.js'
import { createImageSizer } from '../../src/github/registry.js'
import { packagePageUrl, versionsUrl } from '../../src/github/urls.js'
import { Store } from '../../src/store/store.js'
import type { PackageRef, PackageRefresh, PackageSnapshot } from '../../src/types.js'
import type { Http } from '../../src/ports.js'
import { refreshStage, type RefreshDeps, type RefreshReport } from '../../src/pipeline/refresh.js'
import type { PlannedOwner } from '../../src/pipeline/plan.js'

export interface World {
  gh: FakeGitHub
  store: Store
  /** The store's file, for tests that write rows as an older version would have. */
  dbPath: string
  deps: RefreshDeps
  warnings: string[]
  run(owners?: string[], overrides?: Partial<RefreshDeps>): Promise<RefreshReport>
}

const cleanups: (() => Promise<void> | void)[] = []
/** Stops the servers and removes the files of the worlds made since the last call (an `afterEach`). */
export async function disposeWorlds(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
}

/** The tests' clock: each `now()` a second later; tests move it on by hand. */
export const clock = { ms: Date.parse('2026-11-20T10:00:00Z') }

/**
 * `moving`: every package gains one download before each run, so none is ever quiet (SPEC 13.1) and
 * each run reads the versions lists as SPEC 5.6 describes.
 */
export async function world(scenario: Scenario, options: { rateLimit?: { rest?: number }; moving?: boolean } = {}): Promise<World> {
  const gh = await FakeGitHub.start({ scenario, ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) })
  const dir = mkdtempSync(path.join(tmpdir(), 'refresh-test-'))
  const dbPath = path.join(dir, 'db.sqlite')
  const store = Store.open(dbPath)
  cleanups.push(
    () => gh.stop(),
    () => {
      store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  )
  const http = new HttpClient({
    userAgent: 'backage-action-test',
    concurrency: 4,
    baseDelayMs: 1,
    pageJitterMs: 0,
    sleep: async () => undefined
  })
  const warnings: string[] = []
  const deps: RefreshDeps = {
    http,
    sizer: createImageSizer(http, gh.registryUrl),
    api: fakeGitHubApi(gh).api,
    store,
    serverUrl: gh.serverUrl,
    concurrency: 4,
    signal: new AbortController().signal,
    // Each call a second later, so refresh times order as they happened.
    now: () => new Date((clock.ms += 1000)),
    optOut: [],
    log: { info: () => undefined, debug: () => undefined, warning: (message) => warnings.push(message) }
  }
  for (const owner of scenario.owners) {
    store.upsertOwner({ login: owner.login, id: owner.id, type: owner.type }, new Date(clock.ms).toISOString())
  }
  const run = (owners?: string[], overrides: Partial<RefreshDeps> = {}): Promise<RefreshReport> => {
    const logins = owners ?? scenario.owners.filter((o) => o.packages.length > 0).map((o) => o.login)
    if (options.moving) for (const owner of scenario.owners) for (const pkg of owner.packages) pkg.total += 1
    const planned: PlannedOwner[] = logins.map((login) => ({ login, reason: 'queue' }))
    return refreshStage({ ...deps, ...overrides }, planned)
  }
  return { gh, store, dbPath, deps, warnings, run }
}

export function ownerOf(scenario: Scenario, login: string): ScenarioOwner {
  const owner = scenario.owners.find((o) => o.login === login)
  if (!owner) throw new Error(`no owner ${login}`)
  return owner
}

export function packageOf(scenario: Scenario, login: string, name: string): ScenarioPackage {
  const pkg = ownerOf(scenario, login).packages.find((p) => p.name === name)
  if (!pkg) throw new Error(`no package ${login}/${name}`)
  return pkg
}

export function refOf(scenario: Scenario, login: string, name: string): PackageRef {
  const owner = ownerOf(scenario, login)
  const pkg = packageOf(scenario, login, name)
  return { ownerType: owner.type === 'Organization' ? 'orgs' : 'users', owner: login, type: pkg.type, name, repo: pkg.repo }
}

export function snapshotOf(store: Store, owner: string, name: string): PackageSnapshot {
  const found = store.snapshots().find((s) => s.owner === owner && s.name === name)
  if (!found) throw new Error(`no snapshot for ${owner}/${name}`)
  return found
}

/** Chart sums computed here from the scenario, independently of the code under test. */
export function expectedWindows(pkg: ScenarioPackage): { day: number; week: number; month: number } {
  const counts = [...pkg.daily].sort((a, b) => (a.date < b.date ? -1 : 1)).map((d) => d.count)
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
  return { day: counts[counts.length - 1] ?? -1, week: sum(counts.slice(-7)), month: sum(counts) }
}

/** Page requests (listing excluded) made for one package, as the fake GitHub logged them. */
export function pageRequestsFor(gh: FakeGitHub, ref: PackageRef): string[] {
  const pkgPath = new URL(packagePageUrl(gh.serverUrl, ref)).pathname
  const versionsPath = new URL(versionsUrl(gh.serverUrl, ref, { page: 1 })).pathname
  return gh.requests
    .filter((r) => r.kind === 'page')
    .map((r) => r.path)
    .filter((p) => p === pkgPath || p.startsWith(`${versionsPath}?`))
}

/** A scenario owner holding one container with `versions` versions (from the synthetic world). */
export function ownerWithVersions(login: string, id: number, versions: number): ScenarioOwner {
  const synthetic = syntheticScenario({ owners: 1, packagesPerOwner: 1, versionsPerPackage: versions, today: '2026-11-20' })
  const owner = synthetic.owners[0] as ScenarioOwner
  return { ...owner, login, id, type: 'User' }
}

/** An HTTP client whose page bodies pass through `rewrite` when `matches(url)` (a changed layout). */
export function rewritingHttp(http: Http, matches: (url: string) => boolean, rewrite: (html: string) => string): Http {
  return {
    async request(req) {
      const response = await http.request(req)
      if (!matches(req.url) || response.status !== 200) return response
      const html = rewrite(response.text())
      return { ...response, body: new TextEncoder().encode(html), text: () => html }
    }
  }
}

/** The real store, with every PackageRefresh handed to it recorded. */
export function recordingStore(store: Store): { store: Store; saved: PackageRefresh[] } {
  const saved: PackageRefresh[] = []
  const wrapper = Object.create(store) as Store
  wrapper.savePackageRefresh = (refresh, cycle) => {
    saved.push(refresh)
    return store.savePackageRefresh(refresh, cycle)
  }
  return { store: wrapper, saved }
}

export const RENAMED_LABEL = (html: string): string => html.replace(/Version downloads/g, 'Downloads of this version')

