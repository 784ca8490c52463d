/**
 * The last stage (SPEC 7): the database goes out as a snapshot release (zstd asset, notes with the
 * counts and the asset's checksum, `make_latest: false`), then snapshot releases beyond the newest
 * `keepReleases` are deleted with their tags, and the Actions cache gets the same database.
 * A failed upload deletes the half-made release, so the previous snapshots stay the newest.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { errorMessage, type Log } from '../log.js'
import type { Release, ReleasesApi } from '../ports.js'
import type { Store } from '../store/store.js'
import type { SnapshotCache } from '../store/cache.js'
import { SNAPSHOT_ASSET_NAME, SNAPSHOT_CONTENT_TYPE, checksumLine, compressDatabase } from '../store/snapshot.js'
import { snapshotTagFor } from '../store/snapshot-tags.js'
import { snapshotReleases } from './restore.js'

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
    const release = await releases.createRelease({
      tag,
      name: `Database snapshot ${now.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
      body: releaseNotes(deps.summary, snapshot)
    })
    try {
      await releases.uploadAsset(release, SNAPSHOT_ASSET_NAME, snapshot.data, SNAPSHOT_CONTENT_TYPE)
    } catch (error) {
      await releases.deleteRelease(release).catch((cleanup: unknown) => {
        log.warning(`could not delete the half-made release ${tag}: ${errorMessage(cleanup)}`)
      })
      throw error
    }
    log.info(`database snapshot published as ${tag} (${snapshot.data.byteLength} bytes, sha256 ${snapshot.sha256})`)

    await pruneSnapshots(releases, [...existing, release], release, Math.max(1, deps.keepReleases), log)

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

/** Deletes snapshot releases beyond the newest `keep` (never `current`, never other releases). */
async function pruneSnapshots(
  releases: ReleasesApi,
  all: readonly Release[],
  current: Release,
  keep: number,
  log: Log
): Promise<void> {
  const older = snapshotReleases(all).filter((release) => release.id !== current.id)
  for (const release of older.slice(keep - 1)) {
    try {
      await releases.deleteRelease(release)
      log.info(`deleted old snapshot release ${release.tag_name}`)
    } catch (error) {
      // Pruning is housekeeping: the next run tries again.
      log.warning(`could not delete old snapshot release ${release.tag_name}: ${errorMessage(error)}`)
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
