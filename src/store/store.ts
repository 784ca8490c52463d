/**
 * The database (SPEC 4.3, 7): one SQLite file through Node's built-in `node:sqlite`. Owners and their
 * discovery edges, packages with their refresh queue state, versions, and the daily history of
 * numbers. Opened in WAL mode while the run works; `checkpoint()` folds the WAL back before the file
 * is snapshotted. Every write method is one transaction; `batch()` groups many into one.
 */
import { DatabaseSync } from 'node:sqlite'
import type { ChangeRecord, Day, PackageHistory, PackageRef, PackageRefresh, PackageSnapshot } from '../types.js'
import { isLogin } from '../package-ref.js'
import { isId } from '../domain/storable-refresh.js'
import { migrate } from './schema.js'
import { Sql, intOrNull, text, textOrNull } from './sql.js'
import {
  writePackageFailure,
  writePackageRefresh,
  type PackageFailure,
  type SavedRefresh
} from './package-refresh.js'
import { readCounts, readSnapshots } from './read-model.js'
import { LIVE_PACKAGE, readOwners, readPackages, type StoredOwner, type StoredPackage } from './queue-model.js'
import { deleteOptedOut, type OptOutRule } from './optout.js'
import { packageFingerprint, readChanges, readHistories, recordRetirement, writeChartAndChange } from './api-history.js'
import { startCapture, writeDelta, type DeltaCounts } from './delta-capture.js'
import { applyDelta, type AppliedDelta } from './delta-apply.js'
import { thinVersionHistory, type ThinResult } from './thinning.js'
import { dayNumber } from './days.js'

export type { OptOutRule } from './optout.js'
export type { StoredOwner, StoredPackage } from './queue-model.js'
export type { PackageFailure, SavedRefresh } from './package-refresh.js'

export interface StoreOptions {
  /** Hears of stored values that cannot be read safely (legacy rows): they are read as unknown or skipped. */
  warn?: (message: string) => void
}

/** Edge sources that come from the run's configuration rather than from discovery. */
const MANUAL_EDGE_SOURCES = ['self', 'input', 'file']

export class Store {
  private readonly sql: Sql

  private readonly warn: (message: string) => void

  private constructor(
    private readonly db: DatabaseSync,
    options: StoreOptions
  ) {
    this.sql = new Sql(db)
    this.warn = options.warn ?? (() => undefined)
  }

  /** Opens (creating or migrating) the database file at `path`. */
  static open(path: string, options: StoreOptions = {}): Store {
    const db = new DatabaseSync(path)
    try {
      db.exec('PRAGMA journal_mode = WAL')
      db.exec('PRAGMA synchronous = NORMAL')
      // A run rewrites the rows of every refreshed package: a 64 MB page cache keeps that in memory.
      db.exec('PRAGMA cache_size = -65536')
      db.exec('PRAGMA foreign_keys = OFF')
      migrate(db)
    } catch (error) {
      db.close()
      throw error
    }
    return new Store(db, options)
  }

  /**
   * Runs a read or write that may meet unreadable stored values, reporting them in one warning with a
   * few examples (a bad legacy file could hold many).
   */
  private tolerant<T>(what: string, work: (onBad: (problem: string) => void) => T): T {
    const problems: string[] = []
    try {
      return work((problem) => problems.push(problem))
    } finally {
      if (problems.length > 0) {
        const examples = problems.slice(0, 3).join('; ') + (problems.length > 3 ? '; …' : '')
        this.warn(`${what}: ${problems.length} stored value(s) are not safe integers, read as unknown or skipped (${examples})`)
      }
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close()
  }

  /** Runs many writes in one transaction (each write method joins it). */
  batch<T>(work: () => T): T {
    return this.sql.transaction(work)
  }

  // ---- owners ----

  /**
   * Inserts the owner (first seen `at`) or fills in its id and type. An id means GitHub confirmed the
   * owner exists: that also takes GitHub's spelling of the login and brings a retired owner back.
   */
  upsertOwner(owner: { login: string; id?: number | null; type?: 'User' | 'Organization' | null }, at: string): void {
    // Refused at write time (SPEC 12): only a valid login and a real id are ever stored.
    if (!isLogin(owner.login)) throw new Error(`owner not stored: ${JSON.stringify(owner.login)} is not a valid login`)
    if (owner.id != null && !isId(owner.id)) throw new Error(`owner ${owner.login} not stored: id ${owner.id} is not a safe integer > 0`)
    this.sql.transaction(() => {
      this.sql
        .stmt(
          `INSERT INTO owners (login, id, type, first_seen) VALUES (?, ?, ?, ?)
           ON CONFLICT (login) DO UPDATE SET
             id = coalesce(excluded.id, owners.id),
             type = coalesce(excluded.type, owners.type),
             login = CASE WHEN excluded.id IS NULL THEN owners.login ELSE excluded.login END,
             retired = CASE WHEN excluded.id IS NULL THEN owners.retired ELSE 0 END`
        )
        .run(owner.login, owner.id ?? null, owner.type ?? null, at)
    })
  }

  addEdges(login: string, sources: Iterable<string>): void {
    this.sql.transaction(() => {
      const insert = this.sql.stmt('INSERT OR IGNORE INTO owner_edges (login, source) VALUES (?, ?)')
      for (const source of sources) insert.run(login, source)
    })
  }

  /** Replaces the discovery edges of `login` (stars, forks, ...) with this run's; manual ones stay. */
  replaceDiscoveryEdges(login: string, sources: Iterable<string>): void {
    this.sql.transaction(() => {
      const placeholders = MANUAL_EDGE_SOURCES.map(() => '?').join(', ')
      this.sql
        .stmt(`DELETE FROM owner_edges WHERE login = ? AND source NOT IN (${placeholders})`)
        .run(login, ...MANUAL_EDGE_SOURCES)
      this.addEdges(login, sources)
    })
  }

  /** Owners not retired, each with its edges. */
  listOwners(): StoredOwner[] {
    return this.tolerant('owners', (onBad) => readOwners(this.sql, onBad))
  }

  markOwnerRefreshed(login: string, at: string): void {
    this.sql.transaction(() => {
      this.sql
        .stmt('UPDATE owners SET last_refresh = ?, failures = 0, next_attempt = NULL WHERE login = ?')
        .run(at, login)
    })
  }

  markOwnerFailed(login: string, _at: string, nextAttempt: string): void {
    this.sql.transaction(() => {
      this.sql.stmt('UPDATE owners SET failures = failures + 1, next_attempt = ? WHERE login = ?').run(nextAttempt, login)
    })
  }

  /** The owner no longer exists: kept (so it is not rediscovered blindly) but neither listed nor published. */
  retireOwner(login: string): void {
    this.sql.transaction(() => {
      this.sql.stmt('UPDATE owners SET retired = 1 WHERE login = ?').run(login)
    })
  }

  // ---- packages ----

  /** Owner and last refresh of every live package: what planning needs, without the version ids. */
  packageRefreshTimes(): { ref: { owner: string }; lastRefresh: string | null }[] {
    return this.sql
      .stmt(`SELECT p.owner, p.last_refresh FROM packages p WHERE ${LIVE_PACKAGE}`)
      .all()
      .map((row) => ({ ref: { owner: text(row, 'owner') }, lastRefresh: textOrNull(row, 'last_refresh') }))
  }

  /** The lowest cycle any live package was refreshed in (null: no packages), for SPEC 4.3 cycles. */
  minRefreshedCycle(): number | null {
    // Cycles are written by this action and checked (package-refresh.ts): a legacy bad one restarts from 0.
    const row = this.sql
      .stmt(
        `SELECT min(p.refreshed_cycle) AS lowest FROM packages p WHERE ${LIVE_PACKAGE}
           AND p.refreshed_cycle BETWEEN 0 AND ${Number.MAX_SAFE_INTEGER}`
      )
      .get()
    return row ? intOrNull(row, 'lowest') : null
  }

  /** Packages not retired (of owners not retired), with the ids of their known and sized versions. */
  listPackages(owner?: string): StoredPackage[] {
    return this.tolerant('packages', (onBad) => readPackages(this.sql, onBad, owner))
  }

  /**
   * Stores everything one refresh learned (see package-refresh.ts), in one transaction, and returns
   * the merge that decided what is stale. Throws, writing nothing, on an invalid name or owner id.
   */
  savePackageRefresh(refresh: PackageRefresh, cycle: number): SavedRefresh {
    return this.tolerant('saving a refresh', (onBad) =>
      this.sql.transaction(() => {
        const before = packageFingerprint(this.sql, refresh.ref) // SPEC 10: chart bars and the changes log
        const saved = writePackageRefresh(this.sql, refresh, cycle, onBad)
        writeChartAndChange(this.sql, refresh, before)
        return saved
      })
    )
  }

  /** Records a refresh that could not read the package page: its numbers stay, marked stale. */
  savePackageFailure(failure: PackageFailure): SavedRefresh {
    return this.tolerant('saving a failed refresh', (onBad) => this.sql.transaction(() => writePackageFailure(this.sql, failure, onBad)))
  }

  /** The package is gone (private, deleted or renamed): kept but no longer listed nor published. */
  retirePackage(ref: PackageRef): void {
    this.sql.transaction(() => {
      recordRetirement(this.sql, ref) // SPEC 10.2: changes.json tells consumers it is gone
      this.sql
        .stmt('UPDATE packages SET retired = 1 WHERE owner = ? AND type = ? AND lower(name) = lower(?)')
        .run(ref.owner, ref.type, ref.name)
    })
  }

  removeOptedOut(rules: OptOutRule[]): number {
    return this.sql.transaction(() => deleteOptedOut(this.sql, rules))
  }

  /** Thins per-version history older than 400 days (SPEC 13.4), until done or `deadlineMs`. */
  thinHistory(today: Day, deadlineMs: number): ThinResult {
    return thinVersionHistory(this.sql, dayNumber(today), deadlineMs)
  }

  // ---- meta (cycle number and other run state) ----

  getMeta(key: string): string | null {
    const row = this.sql.stmt('SELECT value FROM meta WHERE key = ?').get(key)
    return row ? text(row, 'value') : null
  }

  setMeta(key: string, value: string): void {
    this.sql.transaction(() => {
      this.sql
        .stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(key, value)
    })
  }

  // ---- read model ----

  snapshots(): PackageSnapshot[] {
    return this.tolerant('reading the index', (onBad) => readSnapshots(this.sql, onBad))
  }

  counts(): { owners: number; repos: number; packages: number } {
    return readCounts(this.sql)
  }

  /** SPEC 10: one owner's daily series, keyed by `historyKey(type, name)`; the changes log since `since` (epoch seconds). */
  histories = (owner: string): Map<string, PackageHistory> => readHistories(this.sql, owner)
  changes = (since: number): ChangeRecord[] => readChanges(this.sql, since)

  // ---- shard deltas (SPEC 13.2) ----

  /** From now on, notes every row this connection changes, for `writeDelta` (a shard run). */
  captureChanges(): void {
    startCapture(this.sql)
  }

  /** Writes the rows changed since `captureChanges`, deletions included, to a new file. */
  writeDelta(path: string, info: Record<string, string>): DeltaCounts {
    return writeDelta(this.sql, path, info)
  }

  /** Applies a shard's delta file (idempotent; a later reading in the store is kept). */
  applyDelta(path: string): AppliedDelta {
    return applyDelta(this.sql, path)
  }

  // ---- file ----

  /** Folds the WAL into the main file (before copying or snapshotting it). */
  checkpoint(): void {
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  }

  /** Writes a compact, consistent copy of the database to `path` (which must not exist). */
  vacuumInto(path: string): void {
    this.db.prepare('VACUUM INTO ?').run(path)
  }
}
