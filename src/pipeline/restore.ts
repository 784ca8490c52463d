/**
 * Stage 1 (SPEC 7): start from the newest good snapshot. The Actions cache when it holds a database
 * not older than the newest snapshot release, else the newest snapshot release whose asset passes its
 * checksum and `PRAGMA integrity_check` (a bad one is skipped with a warning in favour of the one
 * before), else an empty database (first run). Snapshot releases are found by listing releases,
 * never through `/releases/latest`, which belongs to the repository's own releases.
 *
 * A release that cannot be downloaded (network, API) fails the stage: starting empty then would
 * publish an empty index and prune the good snapshots.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import * as path from 'node:path'
import { errorMessage, type Log } from '../log.js'
import type { Release, ReleasesApi } from '../ports.js'
import type { SnapshotCache } from '../store/cache.js'
import {
  CorruptSnapshot,
  SNAPSHOT_ASSET_NAME,
  installDatabaseFile,
  parseChecksumLine,
  restoreDatabase
} from '../store/snapshot.js'
import { compareSnapshotTagsNewestFirst, isSnapshotTag, parseSnapshotTag } from '../store/snapshot-tags.js'

export interface RestoreDeps {
  releases: ReleasesApi
  dbPath: string
  cache?: SnapshotCache
  log: Log
}

export interface RestoreResult {
  source: 'cache' | 'release' | 'empty'
  /** The tag restored from, when the source is a release. */
  release?: string
  /** Snapshot releases passed over, newest first, with the reason. */
  skipped: { tag: string; reason: string }[]
}

/** Snapshot releases, newest first. */
export function snapshotReleases(releases: readonly Release[]): Release[] {
  return releases
    .filter((release) => isSnapshotTag(release.tag_name))
    .sort((a, b) => compareSnapshotTagsNewestFirst(a.tag_name, b.tag_name))
}

export async function restoreStage(deps: RestoreDeps): Promise<RestoreResult> {
  const { log, dbPath } = deps
  const snapshots = snapshotReleases(await deps.releases.listReleases())
  const skipped: RestoreResult['skipped'] = []

  const newest = snapshots[0]
  if (deps.cache && (await restoreFromCache(deps.cache, dbPath, newest, log))) {
    return { source: 'cache', skipped }
  }

  for (const release of snapshots) {
    const tag = release.tag_name
    const skip = (reason: string): void => {
      skipped.push({ tag, reason })
      log.warning(`snapshot ${tag} skipped: ${reason}; trying the previous one`)
    }
    const checksum = parseChecksumLine(release.body)
    if (checksum === null) {
      skip('its release notes carry no "sha256: <hex>" line')
      continue
    }
    const asset = release.assets.find((candidate) => candidate.name === SNAPSHOT_ASSET_NAME)
    if (asset === undefined) {
      skip(`it has no ${SNAPSHOT_ASSET_NAME} asset`)
      continue
    }
    const data = await deps.releases.downloadAsset(asset)
    try {
      await restoreDatabase(data, checksum, dbPath)
    } catch (error) {
      if (!(error instanceof CorruptSnapshot)) throw error
      skip(error.message)
      continue
    }
    log.info(`database restored from release ${tag} (${data.byteLength} bytes compressed)`)
    return { source: 'release', release: tag, skipped }
  }

  if (snapshots.length > 0) log.warning('no usable snapshot release: starting with an empty database')
  else log.info('no snapshot release yet: first run, starting with an empty database')
  // A leftover file (an earlier local run) must not pass for restored history.
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(file, { force: true })
  return { source: 'empty', skipped }
}

/** Installs the cached database when it is sound and not older than the newest snapshot release. */
async function restoreFromCache(
  cache: SnapshotCache,
  dbPath: string,
  newest: Release | undefined,
  log: Log
): Promise<boolean> {
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
    const newestTime = newest ? releaseTime(newest) : null
    const savedAt = Date.parse(restored.savedAt)
    if (newestTime !== null && !(savedAt >= newestTime)) {
      log.info(`cached database (${restored.savedAt}) is older than snapshot ${newest?.tag_name}: using the release`)
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

/** The snapshot's time: from its tag, else when the release was created. */
function releaseTime(release: Release): number | null {
  const parsed = parseSnapshotTag(release.tag_name)
  if (parsed) return parsed.time.getTime()
  const created = Date.parse(release.created_at)
  return Number.isFinite(created) ? created : null
}

