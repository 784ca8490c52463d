/**
 * Publishing the snapshot (SPEC 7), after the refresh and before the index is pushed (SPEC 3): the
 * database goes out as a release (zstd asset, notes with the counts and the asset's checksum,
 * `make_latest: false`), created as a draft and published once its asset is uploaded, so no watcher
 * sees half a snapshot; a failed upload deletes the draft and the previous snapshots stay the newest.
 * Then housekeeping, which never spends the API reserve (at the reserve it is deferred to a later
 * run): drafts left by killed runs (created before this run started) are deleted, and snapshot
 * releases beyond the newest `keepReleases` (by `created_at`) are deleted with their tags, never
 * the one this run restored from.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { errorMessage, type Log } from '../log.js'
import type { Release, ReleasesApi } from '../ports.js'
import type { Store } from '../store/store.js'
import type { SnapshotCache } from '../store/cache.js'
import { BudgetExhausted } from '../github/http.js'
import { SNAPSHOT_ASSET_NAME, SNAPSHOT_CONTENT_TYPE, checksumLine, compressDatabase } from '../store/snapshot.js'
import { snapshotTagFor } from '../store/snapshot-tags.js'
import { classifyReleases, createdAt } from './snapshot-releases.js'

export interface SaveSummary {
  owners: number
  repos: number
  packages: number
  /** Packages refreshed in this run. */
  refreshed: number
  /** Packages kept at their last good numbers in this run. */
  stale: number
  /** False when the run stopped early. */
  complete: boolean
}

export interface SaveDeps {
  store: Store
  releases: ReleasesApi
  /** Snapshot releases to keep, the new one included (at least 1). */
  keepReleases: number
  now: Date
  summary: SaveSummary
  /** Tag of the snapshot this run restored from: never pruned by this run. */
  restoredFrom?: string
  /**
   * When this run started (default `now`): a snapshot draft created before it was left by a run that
   * was killed, one created since may be an overlapping run's upload in progress and is left alone.
   */
  runStartedAt?: Date
  cache?: SnapshotCache
  log: Log
}

export interface SaveResult {
  tag: string
  release: Release
}

export async function saveStage(deps: SaveDeps): Promise<SaveResult> {
  const { releases, log, now } = deps
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'backage-save-'))
  try {
    const cacheCopy = path.join(workDir, 'backage.db')
    const snapshot = await compressDatabase(deps.store, deps.cache ? { copyTo: cacheCopy } : {})
    const existing = await releases.listReleases()
    const tag = snapshotTagFor(
      now,
      existing.map((release) => release.tag_name)
    )
    const draft = await releases.createRelease({
      tag,
      name: `Database snapshot ${now.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
      body: releaseNotes(deps.summary, snapshot),
      draft: true
    })
    let release: Release
    try {
      await releases.uploadAsset(draft, SNAPSHOT_ASSET_NAME, snapshot.data, SNAPSHOT_CONTENT_TYPE)
      release = await releases.publishRelease(draft)
    } catch (error) {
      await releases.deleteRelease(draft).catch((cleanup: unknown) => {
        log.warning(`could not delete the half-made draft release ${tag} (the next run deletes it): ${errorMessage(cleanup)}`)
      })
      throw error
    }
    log.info(`database snapshot published as ${tag} (${snapshot.data.byteLength} bytes, sha256 ${snapshot.sha256})`)

    await housekeeping(deps, existing, release)

    if (deps.cache) {
      await deps.cache.save(cacheCopy).catch((error: unknown) => {
        log.warning(`saving the database to the Actions cache failed: ${errorMessage(error)}`)
      })
    }
    return { tag, release }
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}

export function releaseNotes(summary: SaveSummary, snapshot: { sha256: string; rawBytes: number; data: Uint8Array }): string {
  return [
    'Database snapshot of backage-action: the history behind the index branch, restored by the next run.',
    '',
    `- owners: ${summary.owners}`,
    `- repos: ${summary.repos}`,
    `- packages: ${summary.packages}`,
    `- refreshed this run: ${summary.refreshed} (${summary.stale} stale)`,
    `- run complete: ${summary.complete ? 'yes' : 'no (stopped early; the next run resumes)'}`,
    `- database: ${snapshot.rawBytes} bytes, ${SNAPSHOT_ASSET_NAME}: ${snapshot.data.byteLength} bytes (zstd)`,
    '',
    checksumLine(snapshot.sha256),
    ''
  ].join('\n')
}

/**
 * Deletes leftover drafts, then snapshot releases beyond the newest `keepReleases`, without the
 * API reserve: when the budget reaches it, the rest waits for a later run (a run restoring and
 * saving must never be starved by cleaning up).
 */
async function housekeeping(deps: SaveDeps, existing: readonly Release[], current: Release): Promise<void> {
  const { releases, log } = deps
  const { snapshots, drafts } = classifyReleases([...existing.filter((release) => release.id !== current.id), current])
  const startedAt = (deps.runStartedAt ?? deps.now).getTime()
  const leftovers = drafts.filter((draft) => draft.id !== current.id && createdAt(draft) < startedAt)
  const kept = new Set(snapshots.slice(0, Math.max(1, deps.keepReleases)).map((release) => release.id))
  // Oldest first, so a deferred prune leaves the newer ones.
  const old = snapshots
    .filter((release) => !kept.has(release.id) && release.id !== current.id && release.tag_name !== deps.restoredFrom)
    .reverse()
  const doomed = [
    ...leftovers.map((release) => ({ release, what: 'draft release left by an interrupted run' })),
    ...old.map((release) => ({ release, what: 'old snapshot release' }))
  ]
  for (const [index, { release, what }] of doomed.entries()) {
    try {
      await releases.deleteRelease(release, { useReserve: false })
      log.info(`deleted ${what} ${release.tag_name}`)
    } catch (error) {
      if (error instanceof BudgetExhausted) {
        log.notice(`API budget down to its reserve: deleting ${doomed.length - index} old or draft snapshot releases is left to a later run`)
        return
      }
      // Housekeeping: the next run tries again.
      log.warning(`could not delete ${what} ${release.tag_name}: ${errorMessage(error)}`)
    }
  }
}

/**
 * With `release: false` the Actions cache is the only place the database survives between runs:
 * a consistent copy (`VACUUM INTO`) goes there, so history, cursors and the queue are kept.
 */
export async function saveToCache(store: Store, cache: SnapshotCache, log: Log): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'backage-cache-save-'))
  try {
    const copy = path.join(workDir, 'backage.db')
    store.checkpoint()
    store.vacuumInto(copy)
    await cache.save(copy)
    log.info('database saved to the Actions cache (no snapshot release: release is false)')
  } catch (error) {
    log.warning(`saving the database to the Actions cache failed: ${errorMessage(error)}`)
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}
