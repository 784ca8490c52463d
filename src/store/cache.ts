/**
 * The Actions cache as a second, faster home of the database (SPEC 7). `SnapshotCache` is the narrow
 * interface the restore and save stages use; `createActionsCache` implements it over @actions/cache.
 * Outside Actions (no cache service in the environment) it does nothing and says so in a debug line.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as cache from '@actions/cache'
import type { Log } from '../log.js'

export interface SnapshotCache {
  /** Copies the cached database to `dbPath`; null when there is none. `savedAt` is an ISO time. */
  restore(dbPath: string): Promise<{ savedAt: string } | null>
  /** Caches the (consistent, closed) database file at `dbPath`. */
  save(dbPath: string): Promise<void>
}

export const CACHE_KEY_PREFIX = 'backage-db-'

export interface ActionsCacheOptions {
  runId: string
  log: Log
  /** Folder the cache entry is saved from and restored to: must be the same path in every run. */
  dir?: string
  now?: () => Date
}

const DB_FILE = 'backage.db'
const SAVED_AT_FILE = 'saved-at.txt'

export function createActionsCache(options: ActionsCacheOptions): SnapshotCache {
  const { log } = options
  const dir = options.dir ?? path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'backage-cache')
  const now = options.now ?? (() => new Date())
  const available = (): boolean => {
    if (cache.isFeatureAvailable()) return true
    log.debug('Actions cache service not available (no ACTIONS_CACHE_URL/ACTIONS_RESULTS_URL): database cache skipped')
    return false
  }

  return {
    async restore(dbPath) {
      if (!available()) return null
      rmSync(dir, { recursive: true, force: true })
      const key = await cache.restoreCache([dir], `${CACHE_KEY_PREFIX}${options.runId}`, [CACHE_KEY_PREFIX])
      const file = path.join(dir, DB_FILE)
      const stamp = path.join(dir, SAVED_AT_FILE)
      if (key === undefined || !existsSync(file) || !existsSync(stamp)) {
        log.debug('no database in the Actions cache')
        return null
      }
      copyFileSync(file, dbPath)
      return { savedAt: readFileSync(stamp, 'utf8').trim() }
    },

    async save(dbPath) {
      if (!available()) return
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
      const savedAt = now()
      copyFileSync(dbPath, path.join(dir, DB_FILE))
      writeFileSync(path.join(dir, SAVED_AT_FILE), `${savedAt.toISOString()}\n`)
      // Cache entries are immutable: one key per save, the newest found by the prefix.
      await cache.saveCache([dir], `${CACHE_KEY_PREFIX}${options.runId}-${savedAt.getTime()}`)
    }
  }
}
