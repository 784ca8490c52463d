/**
 * The refresh stage (SPEC 3, 4.3, 5.3, 5.6): for each planned owner, read the whole listing, then
 * refresh its packages and save each one as soon as it is read, so a run stopped at any point keeps
 * what it did. Owners and packages run in parallel within `concurrency`; one failing owner or
 * package is recorded and skipped, never fatal.
 */
import type { Http, ImageSizer, OwnerInfo } from '../ports.js'
import type { OwnerType, PackageRef, PackageRefresh } from '../types.js'
import { isOptedOut, isOwnerOptedOut, type OptOutRule } from './owner-files.js'
import { backoffUntil, currentCycle, orderPackagesForCycle, type PlannedOwner } from './plan.js'
import { Slots } from '../concurrency.js'
import { readListing, type ListingRead } from './read-listing.js'
import { isStopError, refreshPackage, type PackageRefreshContext } from './refresh-package.js'
import { PageStatusError } from './page-fetch.js'
import { errorMessage } from '../log.js'

/** The owner row fields the stage reads (structurally the store's `StoredOwner`). */
export interface RefreshOwnerRow {
  login: string
  id: number | null
  type: 'User' | 'Organization' | null
  failures: number
}

/** The package row fields the stage reads (structurally the store's `StoredPackage`). */
export interface RefreshPackageRow {
  ref: PackageRef
  lastRefresh: string | null
  refreshedCycle: number | null
  versionsCursor: number
  sizedVersionIds: ReadonlySet<number>
  /** Optional so that a store without them still fits (see `PackageMemory`). */
  versionsPassStartedAt?: string | null
  versionCount?: number | null
  knownVersionIds?: ReadonlySet<number>
}

/** The store operations the stage needs (the real `Store` satisfies it). */
export interface RefreshStore {
  listOwners(): RefreshOwnerRow[]
  listPackages(owner?: string): RefreshPackageRow[]
  markOwnerRefreshed(login: string, at: string): void
  markOwnerFailed(login: string, at: string, nextAttempt: string): void
  retireOwner(login: string): void
  /** Records the id and type the API told (GitHub's spelling of the login wins). */
  upsertOwner(owner: { login: string; id: number; type: 'User' | 'Organization' }, at: string): void
  savePackageRefresh(refresh: PackageRefresh, cycle: number): void
  retirePackage(ref: PackageRef): void
  getMeta(key: string): string | null | undefined
  setMeta(key: string, value: string): void
  /**
   * The lowest `refreshedCycle` of the live packages (null: none). Optional: without it the stage
   * derives it from `listPackages()`, which also loads every version id.
   */
  minRefreshedCycle?(): number | null
}

export interface RefreshDeps {
  http: Http
  sizer: ImageSizer
  api: { getOwner(login: string): Promise<OwnerInfo | null> }
  store: RefreshStore
  serverUrl: string
  concurrency: number
  /** Aborts on the time budget or a signal: stop taking work, keep what is saved. */
  signal: AbortSignal
  now: () => Date
  optOut: OptOutRule[]
  log: { info(message: string): void; warning(message: string): void; debug(message: string): void }
}

export interface StalePackage {
  ref: PackageRef
  page: string
  marker: string
}

export interface RefreshReport {
  owners: { login: string; packages: number; downloads: number }[]
  /** Packages whose total was read (a package whose chart alone was not understood is also in `stale`). */
  refreshed: PackageRef[]
  /** Packages with numbers kept at their last good values, with the page and marker that failed. */
  stale: StalePackage[]
  failedOwners: { login: string; error: string }[]
  retired: { owners: string[]; packages: PackageRef[] }
  /** False when the run stopped early (time budget, signal, exhausted API budget). */
  complete: boolean
}

/** The meta key holding the current cycle number (SPEC 4.3). */
export const CYCLE_META_KEY = 'cycle'

export async function refreshStage(deps: RefreshDeps, owners: PlannedOwner[]): Promise<RefreshReport> {
  const report: RefreshReport = {
    owners: [],
    refreshed: [],
    stale: [],
    failedOwners: [],
    retired: { owners: [], packages: [] },
    complete: true
  }
  // Our own stop switch: follows the caller's signal, and also trips on an exhausted API budget.
  const stop = new AbortController()
  const onAbort = (): void => stop.abort(deps.signal.reason)
  if (deps.signal.aborted) onAbort()
  else deps.signal.addEventListener('abort', onAbort, { once: true })

  const cycle = startCycle(deps.store)
  const stage: StageContext = {
    deps,
    report,
    cycle,
    stop,
    packageSlots: new Slots(Math.max(1, deps.concurrency)),
    ownerRows: new Map(deps.store.listOwners().map((row) => [row.login.toLowerCase(), row])),
    unsizable: new Set()
  }

  const queue = dedupe(owners)
  const workers = Array.from({ length: Math.min(Math.max(1, deps.concurrency), queue.length) }, async () => {
    for (let owner = queue.shift(); owner && !stop.signal.aborted; owner = queue.shift()) {
      await refreshOwner(stage, owner)
    }
  })
  try {
    await Promise.all(workers)
  } finally {
    deps.signal.removeEventListener('abort', onAbort)
  }
  if (stop.signal.aborted || queue.length > 0) report.complete = false
  return report
}

interface StageContext {
  deps: RefreshDeps
  report: RefreshReport
  cycle: number
  stop: AbortController
  packageSlots: Slots
  ownerRows: Map<string, RefreshOwnerRow>
  /** Image references the registry had no size for in this run (not asked again). */
  unsizable: Set<string>
}

/** Reads the stored cycle, starting the next one when every known package was refreshed in it. */
function startCycle(store: RefreshStore): number {
  const storedText = store.getMeta(CYCLE_META_KEY)
  const stored = storedText ? Number(storedText) : null
  const lowest = store.minRefreshedCycle
    ? store.minRefreshedCycle()
    : store.listPackages().reduce<number | null>((min, pkg) => Math.min(min ?? Infinity, pkg.refreshedCycle ?? 0), null)
  const cycle = currentCycle(
    stored !== null && Number.isInteger(stored) && stored > 0 ? stored : null,
    lowest === null ? [] : [lowest]
  )
  if (String(cycle) !== storedText) store.setMeta(CYCLE_META_KEY, String(cycle))
  return cycle
}

/** Everything about one owner; never throws (failures are recorded, stops are flagged). */
async function refreshOwner(stage: StageContext, planned: PlannedOwner): Promise<void> {
  const { deps, report } = stage
  const login = planned.login
  if (isOwnerOptedOut(deps.optOut, login)) {
    deps.log.info(`${login}: opted out, not scraped`)
    return
  }
  try {
    const known = stage.ownerRows.get(login.toLowerCase())
    const located = await locateOwner(stage, login, known)
    if (located === 'retired') return
    await refreshOwnerPackages(stage, login, located)
  } catch (error) {
    if (isStop(stage, error)) return
    const at = deps.now()
    const failures = (stage.ownerRows.get(login.toLowerCase())?.failures ?? 0) + 1
    const message = errorMessage(error)
    deps.store.markOwnerFailed(login, at.toISOString(), backoffUntil(failures, at))
    report.failedOwners.push({ login, error: message })
    deps.log.warning(`${login}: refresh failed (${message}); retried after a backoff`)
  }
}

interface LocatedOwner {
  ownerType: OwnerType
  ownerId: number
  listing: Extract<ListingRead, { kind: 'read' }>
}

/**
 * Finds the owner's type and id and reads its listing. An owner is retired only on proof: its
 * listing answers 404 and the API does not know the login.
 */
async function locateOwner(
  stage: StageContext,
  login: string,
  known: RefreshOwnerRow | undefined
): Promise<LocatedOwner | 'retired'> {
  const { deps } = stage
  let info: OwnerInfo | null | undefined
  let type = known?.type ?? null
  let id = known?.id ?? null
  if (type === null || id === null) {
    info = await deps.api.getOwner(login)
    if (info) {
      ;({ type, id } = info)
      deps.store.upsertOwner(info, deps.now().toISOString())
    }
  }
  const ownerType: OwnerType = type === 'Organization' ? 'orgs' : 'users'
  let listing = await readListing(deps.http, deps.serverUrl, ownerType, login, stage.stop.signal)
  if (listing.kind === 'missing') {
    if (info === undefined) info = await deps.api.getOwner(login)
    if (info === null) {
      deps.store.retireOwner(login)
      stage.report.retired.owners.push(login)
      deps.log.info(`${login}: no longer exists (listing 404, unknown to the API): retired`)
      return 'retired'
    }
    const actualType: OwnerType = info.type === 'Organization' ? 'orgs' : 'users'
    deps.store.upsertOwner(info, deps.now().toISOString())
    if (actualType !== ownerType) listing = await readListing(deps.http, deps.serverUrl, actualType, login, stage.stop.signal)
    if (listing.kind === 'missing') throw new Error(`package listing answers 404 although the account exists`)
    return { ownerType: actualType, ownerId: info.id, listing }
  }
  if (id === null) throw new Error('owner id unknown (the API did not answer for it)')
  return { ownerType, ownerId: id, listing }
}

interface PackageTask {
  ref: PackageRef
  /** On the listing read just now (a package missing from a complete listing may be retired). */
  listed: boolean
  stored: RefreshPackageRow | null
  refreshedCycle: number | null
  lastRefresh: string | null
}

async function refreshOwnerPackages(stage: StageContext, login: string, owner: LocatedOwner): Promise<void> {
  const { deps, report } = stage
  const { listing } = owner
  if (!listing.complete && listing.problem) {
    deps.log.warning(
      `${login}: listing not fully understood (${listing.problem.page}: ${listing.problem.marker}); nothing is removed on its evidence`
    )
  }
  for (const url of listing.legacy) deps.log.info(`${login}: legacy package entry skipped (counted, not read): ${url}`)

  const tasks = packageTasks(deps, login, listing)
  const ownerResult = { login, packages: 0, downloads: 0 }
  let unfinished = 0
  const context: PackageRefreshContext = {
    http: deps.http,
    sizer: deps.sizer,
    serverUrl: deps.serverUrl,
    signal: stage.stop.signal,
    now: deps.now,
    log: deps.log,
    unsizable: stage.unsizable
  }

  await Promise.all(
    orderPackagesForCycle(tasks, stage.cycle).map((task) =>
      stage.packageSlots.run(async () => {
        if (stage.stop.signal.aborted) {
          unfinished++
          return
        }
        try {
          const outcome = await refreshPackage(context, task.ref, owner.ownerId, task.stored)
          if (outcome.kind === 'missing') {
            handleMissing(stage, task, listing.complete, outcome.page)
            return
          }
          const refresh = outcome.refresh
          deps.store.savePackageRefresh(refresh, stage.cycle)
          for (const problem of refresh.problems) {
            deps.log.warning(`${packageLabel(task.ref)}: page not understood: ${problem.page} (marker "${problem.marker}")`)
          }
          // Stale: the total, or only the windows (a chart not understood under a good total).
          if (refresh.downloads === null || refresh.windows === null) {
            const problem = refresh.problems[0] ?? { page: '', marker: 'unknown' }
            report.stale.push({ ref: task.ref, page: problem.page, marker: problem.marker })
          }
          if (refresh.downloads !== null) {
            report.refreshed.push(task.ref)
            ownerResult.packages++
            ownerResult.downloads += refresh.downloads
          }
        } catch (error) {
          if (isStop(stage, error)) {
            unfinished++
            return
          }
          // One package failing (HTTP error after retries, unexpected error) is recorded, never fatal.
          const page = error instanceof PageStatusError ? error.url : ''
          const marker = error instanceof PageStatusError ? `HTTP ${error.status}` : String(error)
          report.stale.push({ ref: task.ref, page, marker })
          deps.log.warning(`${packageLabel(task.ref)}: not refreshed (${marker}${page ? ` for ${page}` : ''}); last numbers kept`)
        }
      })
    )
  )

  if (unfinished > 0) return // stopped inside this owner: it stays due, its saved packages stay saved
  deps.store.markOwnerRefreshed(login, deps.now().toISOString())
  report.owners.push(ownerResult)
  deps.log.info(`${login}: ${ownerResult.packages} of ${tasks.length} packages refreshed`)
}

/** The listing's packages plus the stored ones it no longer shows (their page decides), opt-outs left out. */
function packageTasks(deps: RefreshDeps, login: string, listing: LocatedOwner['listing']): PackageTask[] {
  const stored = new Map(deps.store.listPackages(login).map((row) => [refKey(row.ref), row]))
  const tasks = new Map<string, PackageTask>()
  for (const entry of listing.entries) {
    const row = stored.get(refKey(entry)) ?? null
    tasks.set(refKey(entry), {
      ref: { ownerType: entry.ownerType, owner: entry.owner, type: entry.type, name: entry.name, repo: entry.repo },
      listed: true,
      stored: row,
      refreshedCycle: row?.refreshedCycle ?? null,
      lastRefresh: row?.lastRefresh ?? null
    })
  }
  for (const [key, row] of stored) {
    if (tasks.has(key)) continue
    tasks.set(key, { ref: row.ref, listed: false, stored: row, refreshedCycle: row.refreshedCycle, lastRefresh: row.lastRefresh })
  }
  return [...tasks.values()].filter((task) => {
    const out = isOptedOut(deps.optOut, task.ref)
    if (out) deps.log.debug(`${packageLabel(task.ref)}: opted out, not scraped`)
    return !out
  })
}

/** A 404 package page retires the package only when a complete listing confirms it is gone (SPEC 5.3). */
function handleMissing(stage: StageContext, task: PackageTask, listingComplete: boolean, page: string): void {
  const { deps, report } = stage
  if (listingComplete && !task.listed) {
    deps.store.retirePackage(task.ref)
    report.retired.packages.push(task.ref)
    deps.log.info(`${packageLabel(task.ref)}: gone (404, not on the owner's listing): retired`)
    return
  }
  report.stale.push({ ref: task.ref, page, marker: 'HTTP 404' })
  deps.log.warning(`${packageLabel(task.ref)}: ${page} answers 404 but the listing does not confirm it is gone; kept as is`)
}

function isStop(stage: StageContext, error: unknown): boolean {
  if (stage.stop.signal.aborted) return true
  if (isStopError(error)) {
    // An exhausted budget stops everyone, not just this task.
    stage.stop.abort(error)
    return true
  }
  return false
}

function dedupe(owners: PlannedOwner[]): PlannedOwner[] {
  const seen = new Set<string>()
  return owners.filter((owner) => {
    const key = owner.login.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function refKey(ref: Pick<PackageRef, 'type' | 'name'>): string {
  return `${ref.type}/${ref.name.toLowerCase()}`
}

/** A package as the log and reports name it: `owner/repo-folder/type/name`. */
export function packageLabel(ref: PackageRef): string {
  return `${ref.owner}/${ref.repo ?? ref.name}/${ref.type}/${ref.name}`
}
