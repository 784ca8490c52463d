/**
 * Stage 1 (SPEC 7): start from the newest good snapshot, or fail closed. The Actions cache when it
 * holds a database not older than the newest snapshot release, else the newest snapshot release (by
 * `created_at`) whose asset passes its checksum, bounded decompression and `PRAGMA integrity_check`;
 * a damaged one is skipped with a warning in favour of the one before. Only when no snapshot release
 * exists at all does the run start empty.
 *
 * Starting empty while history exists would publish a smaller index and let this run's snapshots
 * prune the good ones, so every other dead end throws `RestoreFailed` before anything is scraped,
 * pushed or deleted: the release list cannot be read, every snapshot is damaged, or the newest
 * restorable-looking one cannot be downloaded or was written by a newer action (falling back to an
 * older snapshot then would drop the newer one's history for good).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import * as path from 'node:path'
import { errorMessage, type Log } from '../log.js'
import type { Release, ReleasesApi } from '../ports.js'
import type { SnapshotCache } from '../store/cache.js'
import { CorruptSnapshot, SNAPSHOT_ASSET_NAME, installDatabaseFile, parseChecksumLine, restoreDatabase } from '../store/snapshot.js'
import { classifyReleases, createdAt } from './snapshot-releases.js'

export interface RestoreDeps {
  releases: ReleasesApi
  dbPath: string
  cache?: SnapshotCache
  log: Log
}

export interface RestoreResult {
  source: 'cache' | 'release' | 'empty'
  /** The tag restored from, when the source is a release (pruning never deletes it). */
  release?: string
  /** Snapshot releases passed over, newest first, with the reason. */
  skipped: { tag: string; reason: string }[]
}

/** No history could be restored although it exists: the run must stop before it scrapes. */
export class RestoreFailed extends Error {
  constructor(detail: string) {
    super(`restoring the database failed, so the run stops before scraping; nothing was pushed or deleted.\n${detail}`)
    this.name = 'RestoreFailed'
  }
}

export async function restoreStage(deps: RestoreDeps): Promise<RestoreResult> {
  const { log, dbPath } = deps
  let listed: Release[]
  try {
    listed = await deps.releases.listReleases()
  } catch (error) {
    throw new RestoreFailed(
      `The release list could not be read (${errorMessage(error)}): without it the newest snapshot is unknown. ` +
        'Check that the token may read releases (contents: read), then rerun.'
    )
  }
  const { snapshots, ignored } = classifyReleases(listed)
  if (ignored.length > 0) {
    // One notice, not one per release: a repository may hold hundreds of `snapshot-1.x` releases.
    const named = ignored.slice(0, 10).map(({ tag, reason }) => `${tag} (${reason})`)
    const more = ignored.length > 10 ? ` and ${ignored.length - 10} more` : ''
    log.notice(`releases that are not database snapshots, ignored: ${named.join(', ')}${more}`)
  }
  const skipped: RestoreResult['skipped'] = []

  if (deps.cache && (await restoreFromCache(deps.cache, dbPath, snapshots[0], log))) {
    return { source: 'cache', skipped }
  }

  for (const release of snapshots) {
    const tag = release.tag_name
    const checksum = parseChecksumLine(release.body)
    const asset = release.assets.find((candidate) => candidate.name === SNAPSHOT_ASSET_NAME)
    if (checksum === null || asset === undefined) {
      skipped.push({ tag, reason: 'its release notes carry no "sha256: <hex>" line' })
      log.warning(`snapshot ${tag} skipped: its release notes carry no "sha256: <hex>" line; trying the previous one`)
      continue
    }
    let data: Uint8Array
    try {
      data = await deps.releases.downloadAsset(asset)
    } catch (error) {
      skipped.push({ tag, reason: `downloading ${SNAPSHOT_ASSET_NAME} failed: ${errorMessage(error)}` })
      throw new RestoreFailed(
        `${failureList(skipped)}\nOlder snapshots were not tried: restoring one would drop the history of ${tag}. ` +
          `Rerun when GitHub answers; if the asset of ${tag} is gone for good, delete release ${tag} and its tag.`
      )
    }
    try {
      await restoreDatabase(data, checksum, dbPath)
    } catch (error) {
      if (!(error instanceof CorruptSnapshot)) throw error
      skipped.push({ tag, reason: error.message })
      if (error.check === 'schema') {
        throw new RestoreFailed(
          `${failureList(skipped)}\nOlder snapshots were not tried: restoring one would drop the history of ${tag}. ` +
            'Use the version of the action that wrote it, or a newer one.'
        )
      }
      log.warning(`snapshot ${tag} skipped: ${error.message}; trying the previous one`)
      continue
    }
    log.info(`database restored from release ${tag} (${data.byteLength} bytes compressed)`)
    return { source: 'release', release: tag, skipped }
  }

  if (snapshots.length > 0) {
    throw new RestoreFailed(
      `No snapshot release could be restored:\n${failureList(skipped)}\n` +
        'If they are damaged for good, delete these releases and their tags (the run then starts empty, ' +
        'losing the history), or upload a good backage.db.zst with its "sha256: <hex>" line to one of them.'
    )
  }
  log.info('no snapshot release yet: first run, starting with an empty database')
  // A leftover file (an earlier local run) must not pass for restored history.
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(file, { force: true })
  return { source: 'empty', skipped }
}

function failureList(skipped: RestoreResult['skipped']): string {
  return skipped.map(({ tag, reason }) => `- release ${tag}: ${reason}`).join('\n')
}

/** Installs the cached database when it is sound and not older than the newest snapshot release. */
async function restoreFromCache(cache: SnapshotCache, dbPath: string, newest: Release | undefined, log: Log): Promise<boolean> {
  const dir = mkdtempSync(path.join(path.dirname(dbPath), '.backage-cache-'))
  try {
    const candidate = path.join(dir, 'backage.db')
    let restored: { savedAt: string } | null
    try {
      restored = await cache.restore(candidate)
    } catch (error) {
      log.warning(`reading the Actions cache failed, using the releases: ${errorMessage(error)}`)
      return false
    }
    if (restored === null || !existsSync(candidate)) return false
    const savedAt = Date.parse(restored.savedAt)
    if (newest !== undefined && !(savedAt >= createdAt(newest))) {
      log.info(`cached database (${restored.savedAt}) is older than snapshot ${newest.tag_name} (${newest.created_at}): using the release`)
      return false
    }
    try {
      installDatabaseFile(candidate, dbPath)
    } catch (error) {
      if (!(error instanceof CorruptSnapshot)) throw error
      log.warning(`cached database skipped: ${error.message}`)
      return false
    }
    log.info(`database restored from the Actions cache (saved ${restored.savedAt})`)
    return true
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
