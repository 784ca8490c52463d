/**
 * Refreshing one owner (SPEC 4.3, 5.3, 12): find its type and id, read its whole listing, refresh its
 * packages and save each one as soon as it is read. What is stale is what the store's merge says
 * (`SavedRefresh.merged`), so the report counts exactly the packages that carry a `stale` marker.
 * Never throws: failures are recorded, stops are flagged for the stage's outcome.
 */
import type { PackageRef, PackageRefresh } from '../types.js'
import type { SavedRefresh } from '../store/package-refresh.js'
import type { RefreshDeps, RefreshOwnerRow, RefreshPackageRow, RefreshReport } from './refresh.js'
import { packageRef } from '../package-ref.js'
import { utcDay } from '../types.js'
import { isOptedOut, isOwnerOptedOut } from './owner-files.js'
import { backoffUntil, orderPackagesForCycle, type PlannedOwner } from './plan.js'
import type { Slots } from '../concurrency.js'
import { locateOwner, type LocatedOwner } from './locate-owner.js'
import { refreshPackage, type PackageRefreshContext } from './refresh-package.js'
import { PageStatusError, isStopError } from './page-fetch.js'
import { errorMessage } from '../log.js'
import { listingPlan, rotationTurn, type ListingCount, type RotationBudget } from '../domain/quiet.js'
import { listingConfirmation } from './quiet-read.js'

/** What the stage tried and understood, for `complete` (SPEC 2.2, 12). */
export interface StageProgress {
  listingsTried: number
  listingsUnderstood: number
  packagesTried: number
  /** Packages whose reading understood at least one number. */
  packagesUnderstood: number
  /** Work was left undone because the stage stopped (time budget, signal, API budget). */
  stopped: boolean
}

export interface StageContext {
  deps: RefreshDeps
  report: RefreshReport
  progress: StageProgress
  cycle: number
  stop: AbortController
  packageSlots: Slots
  ownerRows: Map<string, RefreshOwnerRow>
  /** Image references the registry had no size for in this run (not asked again). */
  unsizable: Set<string>
  /** The run's share of rotation reads of quiet packages (SPEC 13.1). */
  rotations: RotationBudget
}

export async function refreshOwner(stage: StageContext, planned: PlannedOwner): Promise<void> {
  const { deps, report, progress } = stage
  const login = planned.login
  if (isOwnerOptedOut(deps.optOut, login)) {
    deps.log.info(`${login}: opted out, not scraped`)
    return
  }
  let located: LocatedOwner | 'retired' | null = null
  try {
    const known = stage.ownerRows.get(login.toLowerCase())
    located = await locateOwner(stage, login, known)
    progress.listingsTried++
    // A 404 that retires the owner is an answer; a listing of which nothing was read is not.
    if (located === 'retired' || located.listing.complete || located.listing.entries.length > 0) progress.listingsUnderstood++
    if (located === 'retired') return
    await refreshOwnerPackages(stage, login, located)
  } catch (error) {
    if (isStop(stage, error)) {
      progress.stopped = true
      return
    }
    if (located === null) progress.listingsTried++ // the listing (or the owner's id) could not be read
    const at = deps.now()
    const failures = (stage.ownerRows.get(login.toLowerCase())?.failures ?? 0) + 1
    const message = errorMessage(error)
    deps.store.markOwnerFailed(login, at.toISOString(), backoffUntil(failures, at))
    report.failedOwners.push({ login, error: message })
    deps.log.warning(`${login}: refresh failed (${message}); retried after a backoff`)
  }
}

interface PackageTask {
  ref: PackageRef
  /** On the listing read just now (a package missing from a complete listing may be retired). */
  listed: boolean
  stored: RefreshPackageRow | null
  /** The download count the listing shows for it (SPEC 13.1), when one was read. */
  count?: ListingCount
  refreshedCycle: number | null
  lastRefresh: string | null
}

async function refreshOwnerPackages(stage: StageContext, login: string, owner: LocatedOwner): Promise<void> {
  const { deps, report, progress } = stage
  const { tasks, listingComplete } = packageTasks(deps, login, owner.listing)
  if (!listingComplete && owner.listing.problem) {
    deps.log.warning(
      `${login}: listing not fully understood (${owner.listing.problem.page}: ${owner.listing.problem.marker}); nothing is removed on its evidence`
    )
  }
  for (const url of owner.listing.legacy) deps.log.info(`${login}: legacy package entry skipped (counted, not read): ${url}`)
  const ownerResult = { login, packages: 0, downloads: 0 }
  let unfinished = 0
  const context: PackageRefreshContext = {
    http: deps.http,
    sizer: deps.sizer,
    serverUrl: deps.serverUrl,
    signal: stage.stop.signal,
    now: deps.now,
    log: deps.log,
    unsizable: stage.unsizable,
    rotations: stage.rotations
  }

  await Promise.all(
    orderPackagesForCycle(tasks, stage.cycle).map((task) =>
      stage.packageSlots.run(async () => {
        if (stage.stop.signal.aborted) {
          unfinished++
          return
        }
        // Counted once the page was asked, whether it then failed or not (for `complete`).
        progress.packagesTried++
        try {
          // The listing's count may confirm the stored total, or prove it moved (SPEC 13.1).
          const quiet = task.stored?.quiet ?? null
          const listed = listingPlan(task.count, quiet, deps.now())
          // A confirmed package on its rotation turn, granted by the run's share, is read in full instead.
          const turn = listed.kind === 'confirm' && quiet !== null && rotationTurn(quiet)
          const granted = listed.kind === 'confirm' && stage.rotations.take(turn)
          if (listed.kind === 'confirm' && task.stored && quiet && !granted) {
            const memory = { ...task.stored, quiet }
            const refresh = listingConfirmation(task.ref, owner.ownerId, memory, listed.windows, listed.derived, deps.now(), !turn)
            recordRefresh(stage, refresh, deps.store.savePackageRefresh(refresh, stage.cycle), ownerResult)
            return
          }
          const moved = listed.kind === 'read' && listed.moved
          const outcome = await refreshPackage(context, task.ref, owner.ownerId, task.stored, { moved, rotationGranted: granted })
          if (outcome.kind === 'missing') {
            if (listingComplete && !task.listed) retire(stage, task.ref)
            else recordFailure(stage, task.ref, owner.ownerId, { page: outcome.page, marker: 'HTTP 404' }, 'answers 404 but the listing does not confirm it is gone')
            return
          }
          const saved = deps.store.savePackageRefresh(outcome.refresh, stage.cycle)
          recordRefresh(stage, outcome.refresh, saved, ownerResult)
        } catch (error) {
          if (isStop(stage, error)) {
            progress.packagesTried-- // not tried to the end: the stop decides the outcome
            unfinished++
            return
          }
          // One package failing (HTTP error after retries, unexpected error) is recorded, never fatal.
          const page = error instanceof PageStatusError ? error.url : ''
          const marker = error instanceof PageStatusError ? `HTTP ${error.status}` : errorMessage(error)
          recordFailure(stage, task.ref, owner.ownerId, { page, marker }, 'not refreshed')
        }
      })
    )
  )

  if (unfinished > 0) {
    progress.stopped = true
    return // stopped inside this owner: it stays due, its saved packages stay saved
  }
  deps.store.markOwnerRefreshed(login, deps.now().toISOString())
  report.owners.push(ownerResult)
  deps.log.info(`${login}: ${ownerResult.packages} of ${tasks.length} packages refreshed`)
}

/** Counts a saved refresh by what the merge decided: stale if and only if it carries a marker. */
function recordRefresh(stage: StageContext, refresh: PackageRefresh, saved: SavedRefresh, ownerResult: { packages: number; downloads: number }): void {
  const { deps, report, progress } = stage
  const label = packageLabel(refresh.ref)
  for (const problem of refresh.problems) deps.log.warning(`${label}: page not understood: ${problem.page} (marker "${problem.marker}")`)
  for (const refused of saved.refused) deps.log.warning(`${label}: not stored: ${refused}`)
  const { merged } = saved
  if (merged.understood.length > 0) progress.packagesUnderstood++
  if (merged.understood.includes('downloads') && merged.values.downloads !== null) ownerResult.downloads += merged.values.downloads
  if (merged.isStale) {
    const why = refresh.problems[0] ?? firstMarked(saved)
    report.stale.push({ ref: refresh.ref, page: why.page, marker: why.marker })
    return
  }
  report.refreshed.push(refresh.ref)
  ownerResult.packages++
}

/** The page and marker of the first stale metric (a marker kept from an earlier refresh). */
function firstMarked(saved: SavedRefresh): { page: string; marker: string } {
  const mark = Object.values(saved.merged.stale)[0]
  return { page: mark?.page ?? '', marker: mark?.marker ?? 'kept from an earlier refresh' }
}

/** A package page that could not be read: its numbers stay, every one marked stale (SPEC 5.3). */
function recordFailure(
  stage: StageContext,
  ref: PackageRef,
  ownerId: number,
  problem: { page: string; marker: string },
  what: string
): void {
  const { deps, report } = stage
  const label = packageLabel(ref)
  deps.log.warning(`${label}: ${what} (${problem.marker}${problem.page ? ` for ${problem.page}` : ''}); last numbers kept`)
  const at = deps.now()
  try {
    const saved = deps.store.savePackageFailure({ ref, ownerId, day: utcDay(at), at: at.toISOString(), problem })
    if (saved.merged.isStale) report.stale.push({ ref, ...problem })
  } catch (error) {
    deps.log.warning(`${label}: its stale marker could not be stored: ${errorMessage(error)}`)
  }
}

/** A 404 package page that a complete listing no longer shows: gone (SPEC 5.3). */
function retire(stage: StageContext, ref: PackageRef): void {
  stage.progress.packagesUnderstood++ // a 404 confirmed by the listing is an answer
  stage.deps.store.retirePackage(ref)
  stage.report.retired.packages.push(ref)
  stage.deps.log.info(`${packageLabel(ref)}: gone (404, not on the owner's listing): retired`)
}

/**
 * The listing's packages plus the stored ones it no longer shows (their page decides), opt-outs left
 * out. Listing entries pass the one door for names (`packageRef`) and must name the owner being
 * listed (SPEC 12): anything else is dropped, and the listing then proves nothing about what is gone.
 */
function packageTasks(
  deps: RefreshDeps,
  login: string,
  listing: LocatedOwner['listing']
): { tasks: PackageTask[]; listingComplete: boolean } {
  const stored = new Map(deps.store.listPackages(login).map((row) => [refKey(row.ref), row]))
  const tasks = new Map<string, PackageTask>()
  let dropped = 0
  for (const entry of listing.entries) {
    const checked = packageRef(entry)
    const reason = !checked.ok
      ? checked.reason
      : checked.ref.owner.toLowerCase() !== login.toLowerCase()
        ? `it belongs to ${checked.ref.owner}`
        : null
    if (!checked.ok || reason !== null) {
      dropped++
      deps.log.warning(`${login}: listing entry ${JSON.stringify(`${entry.type}/${entry.name}`)} skipped: ${reason}`)
      continue
    }
    // A rename that changes only case keeps the stored package (its key is case-insensitive).
    const row = stored.get(refKey(checked.ref)) ?? null
    tasks.set(refKey(checked.ref), {
      ref: checked.ref,
      listed: true,
      stored: row,
      ...(entry.downloads ? { count: entry.downloads } : {}),
      refreshedCycle: row?.refreshedCycle ?? null,
      lastRefresh: row?.lastRefresh ?? null
    })
  }
  for (const [key, row] of stored) {
    if (tasks.has(key)) continue
    // Stored by an older version that did not check names: never fetched (it could not be saved).
    const checked = packageRef(row.ref)
    if (!checked.ok) {
      deps.log.warning(`${login}: stored package ${JSON.stringify(row.ref.name)} skipped: ${checked.reason}`)
      continue
    }
    tasks.set(key, { ref: row.ref, listed: false, stored: row, refreshedCycle: row.refreshedCycle, lastRefresh: row.lastRefresh })
  }
  const kept = [...tasks.values()].filter((task) => {
    const out = isOptedOut(deps.optOut, task.ref)
    if (out) deps.log.debug(`${packageLabel(task.ref)}: opted out, not scraped`)
    return !out
  })
  return { tasks: kept, listingComplete: listing.complete && dropped === 0 }
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

/** Packages are one package within owner and type whatever the case of their names (SPEC 12). */
function refKey(ref: Pick<PackageRef, 'type' | 'name'>): string {
  return `${ref.type}/${ref.name.toLowerCase()}`
}

/** A package as the log and reports name it: `owner/repo-folder/type/name`. */
export function packageLabel(ref: PackageRef): string {
  return `${ref.owner}/${ref.repo ?? ref.name}/${ref.type}/${ref.name}`
}
