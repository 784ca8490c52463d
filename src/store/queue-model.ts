/**
 * The read model of the refresh queue (SPEC 4.3): owners with their edges and failures, packages with
 * their queue state and the ids of their known and sized versions. A stored integer that is not safe
 * (a legacy row) never stops the run: queue state starts over, a row without a readable identity is
 * skipped, and `onBad` hears of each.
 */
import type { PackageRef, PackageType } from '../types.js'
import { idOrSkip, int, text, textOrNull, type Sql } from './sql.js'
import { NEWEST_TOTAL, quietMemoryOf, type StoredQuiet } from './quiet-state.js'

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
  /** The newest total, full reading and quiet refreshes (SPEC 13.1). */
  quiet: StoredQuiet
}

/** Packages that are live: not retired, of an owner not retired. */
export const LIVE_PACKAGE = `p.retired = 0 AND NOT EXISTS (SELECT 1 FROM owners o WHERE o.login = p.owner AND o.retired = 1)`

/** Owners not retired, each with its edges. */
export function readOwners(sql: Sql, onBad: (problem: string) => void): StoredOwner[] {
  const edges = new Map<string, string[]>()
  for (const row of sql.stmt('SELECT login, source FROM owner_edges ORDER BY login, source').all()) {
    const key = text(row, 'login').toLowerCase()
    const list = edges.get(key) ?? []
    list.push(text(row, 'source'))
    edges.set(key, list)
  }
  return sql
    .stmt('SELECT * FROM owners WHERE retired = 0 ORDER BY login')
    .all()
    .map((row) => {
      const login = text(row, 'login')
      const type = textOrNull(row, 'type')
      // An unreadable id is asked of the API again; unreadable failures start over.
      const id = row.id === null ? null : idOrSkip(row, 'id', onBad)
      return {
        login,
        id,
        type: type === 'User' || type === 'Organization' ? type : null,
        firstSeen: text(row, 'first_seen'),
        lastRefresh: textOrNull(row, 'last_refresh'),
        failures: idOrSkip(row, 'failures', onBad) ?? 0,
        nextAttempt: textOrNull(row, 'next_attempt'),
        edges: edges.get(login.toLowerCase()) ?? []
      }
    })
}

/** Packages not retired (of owners not retired), with the ids of their known and sized versions. */
export function readPackages(sql: Sql, onBad: (problem: string) => void, owner?: string): StoredPackage[] {
  const live = LIVE_PACKAGE
  const ownerFilter = owner === undefined ? '' : 'AND p.owner = ?'
  const args = owner === undefined ? [] : [owner]
  const versions = new Map<number, { known: Set<number>; sized: Set<number> }>()
  const versionRows = sql
    .stmt(
      `SELECT v.pkg, v.id, v.size IS NOT NULL AS sized FROM versions v JOIN packages p ON p.pkg = v.pkg
       WHERE ${live} ${ownerFilter}`
    )
    .iterate(...args)
  for (const row of versionRows) {
    const pkg = int(row, 'pkg')
    const id = idOrSkip(row, 'id', onBad)
    if (id === null) continue
    let sets = versions.get(pkg)
    if (sets === undefined) {
      sets = { known: new Set(), sized: new Set() }
      versions.set(pkg, sets)
    }
    sets.known.add(id)
    if (int(row, 'sized') === 1) sets.sized.add(id)
  }
  return sql
    .stmt(`SELECT p.*, ${NEWEST_TOTAL} FROM packages p WHERE ${live} ${ownerFilter} ORDER BY p.owner, p.type, p.name`)
    .all(...args)
    .flatMap((row): StoredPackage[] => {
      const sets = versions.get(int(row, 'pkg'))
      const ownerId = idOrSkip(row, 'owner_id', onBad)
      if (ownerId === null) return [] // refreshed as new when its listing shows it: the save rewrites the id
      // Queue state is this action's own: an unreadable value starts over.
      const safe = (column: string): number | null => (row[column] === null ? null : idOrSkip(row, column, onBad))
      return [{
        ref: {
          ownerType: text(row, 'owner_type') === 'orgs' ? 'orgs' : 'users',
          owner: text(row, 'owner'),
          type: text(row, 'type') as PackageType,
          name: text(row, 'name'),
          repo: textOrNull(row, 'repo')
        },
        ownerId,
        firstSeen: text(row, 'first_seen'),
        lastRefresh: textOrNull(row, 'last_refresh'),
        refreshedCycle: safe('refreshed_cycle') ?? 0,
        versionsCursor: safe('versions_cursor') ?? 0,
        versionsPassStartedAt: textOrNull(row, 'versions_pass_started_at'),
        versionCount: safe('version_count'),
        sizedVersionIds: sets?.sized ?? new Set<number>(),
        knownVersionIds: sets?.known ?? new Set<number>(),
        quiet: quietMemoryOf(row, onBad)
      }]
    })
}
