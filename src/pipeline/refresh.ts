/**
 * The refresh stage (SPEC 3, 4.3, 5.3, 5.6, 12): for each planned owner, read the whole listing, then
 * refresh its packages and save each one as soon as it is read, so a run stopped at any point keeps
 * what it did (refresh-owner.ts). Owners and packages run in parallel within `concurrency`; one
 * failing owner or package is recorded and skipped, never fatal. The report's `complete` is decided
 * here, once, when the last task has finished.
 */
import type { Http, ImageSizer, OwnerInfo } from '../ports.js'
import type { PackageRef, PackageRefresh } from '../types.js'
import type { PackageFailure, SavedRefresh } from '../store/package-refresh.js'
import type { OptOutRule } from './owner-files.js'
import { currentCycle, type PlannedOwner } from './plan.js'
import { Slots } from '../concurrency.js'
import { refreshOwner, type StageContext, type StageProgress } from './refresh-owner.js'
import { errorMessage } from '../log.js'
import type { PackageMemory } from './refresh-package.js'
import { RotationBudget } from '../domain/quiet.js'

/** The owner row fields the stage reads (structurally the store's `StoredOwner`). */
export interface RefreshOwnerRow {
  login: string
  id: number | null
  type: 'User' | 'Organization' | null
  failures: number
}

/** The package row fields the stage reads (structurally the store's `StoredPackage`). */
export interface RefreshPackageRow extends PackageMemory {
  ref: PackageRef
  lastRefresh: string | null
  refreshedCycle: number | null
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
  /** Saves a refresh and returns the merge that decided what is stale (src/domain/merge-reading.ts). */
  savePackageRefresh(refresh: PackageRefresh, cycle: number): SavedRefresh
  /** Records a package page that could not be read: its numbers stay, marked stale. */
  savePackageFailure(failure: PackageFailure): SavedRefresh
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
  /** Owners refreshed: their packages refreshed and not stale, and the downloads read. */
  owners: { login: string; packages: number; downloads: number }[]
  /** Packages refreshed whose merge left no stale marker (the `packages` output, SPEC 2.2). */
  refreshed: PackageRef[]
  /**
   * Packages whose merge left a stale marker (the `stale` output): exactly those whose published
   * object carries `stale` (SPEC 12), with the page and marker that failed.
   */
  stale: StalePackage[]
  failedOwners: { login: string; error: string }[]
  retired: { owners: string[]; packages: PackageRef[] }
  /**
   * False when the stage stopped early (time budget, signal, exhausted API budget) or tried pages and
   * understood none (SPEC 2.2).
   */
  complete: boolean
  /** Why it is not complete; null when it is. */
  stopReason: string | null
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
    complete: true,
    stopReason: null
  }
  // Our own stop switch: follows the caller's signal, and also trips on an exhausted API budget.
  const stop = new AbortController()
  const onAbort = (): void => stop.abort(deps.signal.reason)
  if (deps.signal.aborted) onAbort()
  else deps.signal.addEventListener('abort', onAbort, { once: true })

  const cycle = startCycle(deps.store)
  const progress: StageProgress = { listingsTried: 0, listingsUnderstood: 0, packagesTried: 0, packagesUnderstood: 0, stopped: false }
  const stage: StageContext = {
    deps,
    report,
    progress,
    cycle,
    stop,
    packageSlots: new Slots(Math.max(1, deps.concurrency)),
    ownerRows: new Map(deps.store.listOwners().map((row) => [row.login.toLowerCase(), row])),
    unsizable: new Set(),
    rotations: new RotationBudget()
  }

  const queue = dedupe(owners)
  const workers = Array.from({ length: Math.min(Math.max(1, deps.concurrency), queue.length) }, async () => {
    // Checked before taking an owner: one taken and dropped on a stop would look like work done.
    while (!stop.signal.aborted) {
      const owner = queue.shift()
      if (owner === undefined) return
      await refreshOwner(stage, owner)
    }
  })
  try {
    await Promise.all(workers)
  } finally {
    deps.signal.removeEventListener('abort', onAbort)
  }
  if (queue.length > 0) progress.stopped = true
  Object.assign(report, outcome(progress, stop.signal))
  return report
}

/** Reads the stored cycle, starting the next one when every known package was refreshed in it. */
function startCycle(store: RefreshStore): number {
  const storedText = store.getMeta(CYCLE_META_KEY)
  const stored = storedText ? Number(storedText) : null
  const lowest = store.minRefreshedCycle
    ? store.minRefreshedCycle()
    : store.listPackages().reduce<number | null>((min, pkg) => Math.min(min ?? Infinity, pkg.refreshedCycle ?? 0), null)
  const cycle = currentCycle(
    stored !== null && Number.isSafeInteger(stored) && stored > 0 ? stored : null,
    lowest === null ? [] : [lowest]
  )
  if (String(cycle) !== storedText) store.setMeta(CYCLE_META_KEY, String(cycle))
  return cycle
}

/**
 * Whether the stage did its whole job (SPEC 2.2, 12): not when it stopped early, nor when it tried
 * pages and understood none. Judged on package pages when any were tried (they hold the numbers), else
 * on listings; a signal that arrives after the last task finished changes nothing.
 */
function outcome(progress: StageProgress, stop: AbortSignal): Pick<RefreshReport, 'complete' | 'stopReason'> {
  if (progress.stopped) return { complete: false, stopReason: errorMessage(stop.reason ?? 'stopped') }
  if (progress.packagesTried > 0 && progress.packagesUnderstood === 0) {
    return { complete: false, stopReason: `none of the ${progress.packagesTried} package pages tried was understood` }
  }
  if (progress.packagesTried === 0 && progress.listingsTried > 0 && progress.listingsUnderstood === 0) {
    return { complete: false, stopReason: `none of the ${progress.listingsTried} owner listings tried was understood` }
  }
  return { complete: true, stopReason: null }
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
