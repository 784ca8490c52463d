/**
 * The database (SPEC 4.3, 7): one SQLite file through Node's built-in `node:sqlite`. Owners and their
 * discovery edges, packages with their refresh queue state, versions, and the daily history of
 * numbers. Opened in WAL mode while the run works; `checkpoint()` folds the WAL back before the file
 * is snapshotted. Every write method is one transaction; `batch()` groups many into one.
 */
import { DatabaseSync } from 'node:sqlite'
import type { ChangeRecord, PackageHistory, PackageRef, PackageRefresh, PackageSnapshot, PackageType } from '../types.js'
import { migrate } from './schema.js'
import { Sql, int, intOrNull, text, textOrNull } from './sql.js'
import { writePackageRefresh } from './package-refresh.js'
import { readCounts, readSnapshots } from './read-model.js'
import { deleteOptedOut, type OptOutRule } from './optout.js'
import { packageFingerprint, readChanges, readHistories, recordRetirement, writeChartAndChange } from './api-history.js'

export type { OptOutRule } from './optout.js'

export interface StoredOwner {
  login: string
  id: number | null
  type: 'User' | 'Organization' | null
  firstSeen: string
  lastRefresh: string | null
  failures: number
  nextAttempt: string | null
  edges: string[]
}

export interface StoredPackage {
  ref: PackageRef
  ownerId: number
  firstSeen: string
  lastRefresh: string | null
  refreshedCycle: number
  versionsCursor: number
  /**
   * When the current pass over the deep versions pages began (ISO time), as the last refresh stored
   * it (`PackageRefresh.versionsPassStartedAt`); null when no pass is in progress or never recorded.
   */
  versionsPassStartedAt: string | null
  versionCount: number | null
  /** Versions whose image size is known (never fetched again, SPEC 5.4). */
  sizedVersionIds: Set<number>
  knownVersionIds: Set<number>
}

/** Edge sources that come from the run's configuration rather than from discovery. */
const MANUAL_EDGE_SOURCES = ['self', 'input', 'file']

export class Store {
  private readonly sql: Sql

  private constructor(private readonly db: DatabaseSync) {
    this.sql = new Sql(db)
  }

  /** Opens (creating or migrating) the database file at `path`. */
  static open(path: string): Store {
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
    return new Store(db)
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
    const edges = new Map<string, string[]>()
    for (const row of this.sql.stmt('SELECT login, source FROM owner_edges ORDER BY login, source').all()) {
      const key = text(row, 'login').toLowerCase()
      const list = edges.get(key) ?? []
      list.push(text(row, 'source'))
      edges.set(key, list)
    }
    return this.sql
      .stmt('SELECT * FROM owners WHERE retired = 0 ORDER BY login')
      .all()
      .map((row) => {
        const login = text(row, 'login')
        const type = textOrNull(row, 'type')
        return {
          login,
          id: intOrNull(row, 'id'),
          type: type === 'User' || type === 'Organization' ? type : null,
          firstSeen: text(row, 'first_seen'),
          lastRefresh: textOrNull(row, 'last_refresh'),
          failures: int(row, 'failures'),
          nextAttempt: textOrNull(row, 'next_attempt'),
          edges: edges.get(login.toLowerCase()) ?? []
        }
      })
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

  private static readonly LIVE_PACKAGE = `p.retired = 0 AND NOT EXISTS (SELECT 1 FROM owners o WHERE o.login = p.owner AND o.retired = 1)`

  /** Owner and last refresh of every live package: what planning needs, without the version ids. */
  packageRefreshTimes(): { ref: { owner: string }; lastRefresh: string | null }[] {
    return this.sql
      .stmt(`SELECT p.owner, p.last_refresh FROM packages p WHERE ${Store.LIVE_PACKAGE}`)
      .all()
      .map((row) => ({ ref: { owner: text(row, 'owner') }, lastRefresh: textOrNull(row, 'last_refresh') }))
  }

  /** The lowest cycle any live package was refreshed in (null: no packages), for SPEC 4.3 cycles. */
  minRefreshedCycle(): number | null {
    const row = this.sql.stmt(`SELECT min(p.refreshed_cycle) AS lowest FROM packages p WHERE ${Store.LIVE_PACKAGE}`).get()
    return row ? intOrNull(row, 'lowest') : null
  }

  /** Packages not retired (of owners not retired), with the ids of their known and sized versions. */
  listPackages(owner?: string): StoredPackage[] {
    const live = Store.LIVE_PACKAGE
    const ownerFilter = owner === undefined ? '' : 'AND p.owner = ?'
    const args = owner === undefined ? [] : [owner]
    const versions = new Map<number, { known: Set<number>; sized: Set<number> }>()
    const versionRows = this.sql
      .stmt(
        `SELECT v.pkg, v.id, v.size IS NOT NULL AS sized FROM versions v JOIN packages p ON p.pkg = v.pkg
         WHERE ${live} ${ownerFilter}`
      )
      .iterate(...args)
    for (const row of versionRows) {
      const pkg = int(row, 'pkg')
      let sets = versions.get(pkg)
      if (sets === undefined) {
        sets = { known: new Set(), sized: new Set() }
        versions.set(pkg, sets)
      }
      const id = int(row, 'id')
      sets.known.add(id)
      if (int(row, 'sized') === 1) sets.sized.add(id)
    }
    return this.sql
      .stmt(`SELECT p.* FROM packages p WHERE ${live} ${ownerFilter} ORDER BY p.owner, p.type, p.name`)
      .all(...args)
      .map((row) => {
        const sets = versions.get(int(row, 'pkg'))
        return {
          ref: {
            ownerType: text(row, 'owner_type') === 'orgs' ? 'orgs' : 'users',
            owner: text(row, 'owner'),
            type: text(row, 'type') as PackageType,
            name: text(row, 'name'),
            repo: textOrNull(row, 'repo')
          },
          ownerId: int(row, 'owner_id'),
          firstSeen: text(row, 'first_seen'),
          lastRefresh: textOrNull(row, 'last_refresh'),
          refreshedCycle: int(row, 'refreshed_cycle'),
          versionsCursor: int(row, 'versions_cursor'),
          versionsPassStartedAt: textOrNull(row, 'versions_pass_started_at'),
          versionCount: intOrNull(row, 'version_count'),
          sizedVersionIds: sets?.sized ?? new Set<number>(),
          knownVersionIds: sets?.known ?? new Set<number>()
        }
      })
  }

  /** Stores everything one refresh learned (see package-refresh.ts), in one transaction. */
  savePackageRefresh(refresh: PackageRefresh, cycle: number): void {
    this.sql.transaction(() => {
      const before = packageFingerprint(this.sql, refresh.ref) // SPEC 10: chart bars and the changes log
      writePackageRefresh(this.sql, refresh, cycle)
      writeChartAndChange(this.sql, refresh, before)
    })
  }

  /** The package is gone (private, deleted or renamed): kept but no longer listed nor published. */
  retirePackage(ref: PackageRef): void {
    this.sql.transaction(() => {
      recordRetirement(this.sql, ref) // SPEC 10.2: changes.json tells consumers it is gone
      this.sql.stmt('UPDATE packages SET retired = 1 WHERE owner = ? AND type = ? AND name = ?').run(ref.owner, ref.type, ref.name)
    })
  }

  removeOptedOut(rules: OptOutRule[]): number {
    return this.sql.transaction(() => deleteOptedOut(this.sql, rules))
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
    return readSnapshots(this.sql)
  }

  counts(): { owners: number; repos: number; packages: number } {
    return readCounts(this.sql)
  }

  /** SPEC 10: one owner's daily series, keyed by `historyKey(type, name)`; the changes log since `since` (epoch seconds). */
  histories = (owner: string): Map<string, PackageHistory> => readHistories(this.sql, owner)
  changes = (since: number): ChangeRecord[] => readChanges(this.sql, since)

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
