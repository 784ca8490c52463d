/**
 * Writing one package refresh (SPEC 5.3, 5.6, 6.2, 12) into the database, in the caller's transaction.
 *
 * - What may be stored is decided by `storableRefresh` (no number that is not a safe integer), what is
 *   stale by `mergeReading` (src/domain): this module only reads the previous state and writes the
 *   result. A numbers row per UTC day on which a number was read (replaced by a later read the same
 *   day); the newest row's day is the package's published `date`.
 * - A package is matched case-insensitively within its owner and type (SPEC 12): a rename that changes
 *   only case updates the stored package, and ghost duplicates left by older versions are merged
 *   into it (their newer rows win) and deleted.
 * - A refresh whose package page could not be read at all (an HTTP error, a 404 the listing does not
 *   confirm) is a failure: its reading understood nothing, so every metric is stale; the queue
 *   bookkeeping does not move (the package stays due).
 */
import type { OwnerType, PackageRef, PackageRefresh, StaleMetric } from '../types.js'
import { packageRef } from '../package-ref.js'
import {
  DOWNLOAD_METRICS,
  NO_VALUES,
  mergeReading,
  readingOf,
  type MergedReading,
  type PackageState,
  type Reading,
  type StaleMark,
  type StaleMarks
} from '../domain/merge-reading.js'
import { isId, storableRefresh } from '../domain/storable-refresh.js'
import { dayNumber, dayString } from './days.js'
import { countOrNull, idOrSkip, int, textOrNull, type Sql } from './sql.js'
import { deleteUnseenSince, writeVersions } from './version-rows.js'
import { PACKAGE_ROW_TABLES } from './optout.js'
import { writeQuietState } from './quiet-state.js'

/** What saving a refresh decided: the merge (stale or not) and the values refused, for the log. */
export interface SavedRefresh {
  merged: MergedReading
  refused: string[]
}

/** A refresh that could not read the package page at all. */
export interface PackageFailure {
  ref: PackageRef
  ownerId: number
  day: string
  at: string
  problem: { page: string; marker: string }
}

/** The columns of a numbers row, in the order of `DOWNLOAD_METRICS`. */
const DAY_COLUMNS = { downloads: 'downloads', downloads_month: 'd_month', downloads_week: 'd_week', downloads_day: 'd_day' } as const

const STALE_METRICS: readonly StaleMetric[] = [...DOWNLOAD_METRICS, 'size']
const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/

export function ownerTypeToAccountType(ownerType: OwnerType): 'User' | 'Organization' {
  return ownerType === 'orgs' ? 'Organization' : 'User'
}

/** The stale marks as stored (JSON `{metric: {day, page, marker}}`); anything malformed is dropped. */
export function parseStaleMap(value: string | null): StaleMarks {
  if (value === null) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return {}
  }
  const marks: StaleMarks = {}
  if (typeof parsed !== 'object' || parsed === null) return marks
  for (const metric of STALE_METRICS) {
    const mark = (parsed as Record<string, unknown>)[metric]
    if (typeof mark !== 'object' || mark === null) continue
    const { day, page, marker } = mark as Record<string, unknown>
    if (day !== null && !(typeof day === 'string' && DAY_FORMAT.test(day))) continue
    const kept: StaleMark = { day }
    if (typeof page === 'string') kept.page = page
    if (typeof marker === 'string') kept.marker = marker
    marks[metric] = kept
  }
  return marks
}

function serializeStaleMap(stale: StaleMarks): string | null {
  return Object.keys(stale).length === 0 ? null : JSON.stringify(stale)
}

export function writePackageRefresh(sql: Sql, input: PackageRefresh, cycle: number, onBad: (problem: string) => void): SavedRefresh {
  const { refresh, refused } = storableRefresh(input)
  const { ref } = refresh
  // Checked before anything is written, so a malformed value is never stored.
  checkIdentity(ref, refresh.ownerId)
  if (!Number.isSafeInteger(cycle) || cycle < 0) throw new Error(`cycle ${cycle} is not a safe integer`)
  if (!Number.isSafeInteger(refresh.versionsCursor) || refresh.versionsCursor < 0) {
    throw new Error(`versionsCursor ${refresh.versionsCursor} is not a safe integer`)
  }
  const today = dayNumber(refresh.day)
  const seenAt = epochSeconds(refresh.at, 'at')
  const passStart =
    refresh.versionsPassStartedAt === null ? null : epochSeconds(refresh.versionsPassStartedAt, 'versionsPassStartedAt')

  ensureOwner(sql, ref, refresh.ownerId, refresh.at)
  const { pkg, state } = ensurePackage(sql, ref, refresh.ownerId, refresh.at, refresh.day, onBad)
  const merged = mergeReading(state, readingOf(refresh))
  writeNumbers(sql, pkg, merged)

  sql
    .stmt(
      `UPDATE packages SET owner = ?, name = ?, owner_type = ?, repo = ?, owner_id = ?, last_seen = ?, last_refresh = ?,
         refreshed_cycle = ?, versions_cursor = ?, versions_pass_started_at = ?, version_count = coalesce(?, version_count),
         last_published = coalesce(?, last_published), stale = ?, retired = 0
       WHERE pkg = ?`
    )
    .run(
      ref.owner,
      ref.name,
      ref.ownerType,
      ref.repo,
      refresh.ownerId,
      refresh.day,
      refresh.at,
      cycle,
      refresh.versionsCursor,
      refresh.versionsPassStartedAt,
      refresh.versionCount,
      refresh.lastPublished,
      serializeStaleMap(merged.stale),
      pkg
    )

  writeQuietState(sql, pkg, refresh, merged)
  writeVersions(sql, pkg, today, seenAt, refresh.versions, refresh.versionsComplete, onBad)
  // The versions observed in this refresh are never before the cutoff, whatever the pass start says.
  if (refresh.versionsPassComplete && passStart !== null) deleteUnseenSince(sql, pkg, Math.min(passStart, seenAt))
  return { merged, refused: [...refused, ...merged.refused] }
}

/** Records a refresh that read nothing: every metric stale, the rest of the package as it was. */
export function writePackageFailure(sql: Sql, failure: PackageFailure, onBad: (problem: string) => void): SavedRefresh {
  checkIdentity(failure.ref, failure.ownerId)
  dayNumber(failure.day)
  epochSeconds(failure.at, 'at')
  ensureOwner(sql, failure.ref, failure.ownerId, failure.at)
  const { pkg, state } = ensurePackage(sql, failure.ref, failure.ownerId, failure.at, failure.day, onBad)
  const reading: Reading = { day: failure.day, values: NO_VALUES, problem: failure.problem }
  const merged = mergeReading(state, reading)
  writeNumbers(sql, pkg, merged)
  // Listed (or live) and marked: published, so that being counted stale means carrying `stale`.
  sql.stmt('UPDATE packages SET stale = ?, retired = 0 WHERE pkg = ?').run(serializeStaleMap(merged.stale), pkg)
  return { merged, refused: [] }
}

/** Only a valid reference (SPEC 6.4, 12) and a real owner id are ever stored. */
function checkIdentity(ref: PackageRef, ownerId: number): void {
  const checked = packageRef(ref)
  if (!checked.ok) throw new Error(`package not stored: ${checked.reason}`)
  if (!isId(ownerId)) throw new Error(`package not stored: owner id ${ownerId} is not a safe integer > 0`)
}

/**
 * The owner row exists for every package (the planner and opt-out work per owner). A package is never
 * stored under the id of another owner (SPEC 12): an id that disagrees with the owner's is refused.
 */
function ensureOwner(sql: Sql, ref: PackageRef, ownerId: number, at: string): void {
  const known = sql.stmt('SELECT id FROM owners WHERE login = ?').get(ref.owner)
  const knownId = known && known.id !== null ? idOrSkip(known, 'id', () => undefined) : null
  if (knownId !== null && knownId !== ownerId) {
    throw new Error(`package not stored: owner ${ref.owner} has id ${knownId}, not ${ownerId}`)
  }
  sql
    .stmt(
      `INSERT INTO owners (login, id, type, first_seen) VALUES (?, ?, ?, ?)
       ON CONFLICT (login) DO UPDATE SET id = coalesce(owners.id, excluded.id), type = coalesce(owners.type, excluded.type)
       WHERE owners.id IS NULL OR owners.type IS NULL`
    )
    .run(ref.owner, ownerId, ownerTypeToAccountType(ref.ownerType), at)
}

function writeNumbers(sql: Sql, pkg: number, merged: MergedReading): void {
  if (merged.rowDay === null) return
  const { values } = merged
  sql
    .stmt(
      `INSERT INTO package_days (pkg, day, downloads, d_month, d_week, d_day) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (pkg, day) DO UPDATE SET downloads = excluded.downloads, d_month = excluded.d_month,
         d_week = excluded.d_week, d_day = excluded.d_day`
    )
    .run(pkg, dayNumber(merged.rowDay), values.downloads, values.downloads_month, values.downloads_week, values.downloads_day)
}

/** Whole seconds since the epoch of an ISO time (floored, so a time is never later than itself). */
function epochSeconds(iso: string, field: string): number {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) throw new Error(`${field}: not an ISO time: ${JSON.stringify(iso)}`)
  return Math.floor(ms / 1000)
}

/**
 * The package's row id and state, matched case-insensitively within owner and type; inserted when
 * new. Ghost duplicates (same name but for case) are merged into the oldest row, newer rows winning.
 */
function ensurePackage(
  sql: Sql,
  ref: PackageRef,
  ownerId: number,
  at: string,
  day: string,
  onBad: (problem: string) => void
): { pkg: number; state: PackageState | null } {
  const rows = sql
    .stmt('SELECT pkg, stale FROM packages WHERE owner = ? AND type = ? AND lower(name) = lower(?) ORDER BY pkg')
    .all(ref.owner, ref.type, ref.name)
  const first = rows[0]
  if (first === undefined) {
    const inserted = sql
      .stmt(
        `INSERT INTO packages (owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(ref.owner, ref.ownerType, ref.type, ref.name, ref.repo, ownerId, at, day)
    return { pkg: Number(inserted.lastInsertRowid), state: null }
  }
  const pkg = int(first, 'pkg')
  let staleText = textOrNull(first, 'stale')
  for (const ghost of rows.slice(1)) {
    const ghostPkg = int(ghost, 'pkg')
    // UPDATE OR REPLACE: where both hold a row (same day, same version), the newer package's wins.
    for (const table of PACKAGE_ROW_TABLES) sql.stmt(`UPDATE OR REPLACE ${table} SET pkg = ? WHERE pkg = ?`).run(pkg, ghostPkg)
    sql.stmt('DELETE FROM packages WHERE pkg = ?').run(ghostPkg)
    staleText = textOrNull(ghost, 'stale')
  }
  if (rows.length > 1) sql.stmt('UPDATE packages SET stale = ? WHERE pkg = ?').run(staleText, pkg)
  return { pkg, state: readState(sql, pkg, parseStaleMap(staleText), onBad) }
}

/** The newest numbers row and the stale marks; a stored value that is not a count reads as unknown. */
function readState(sql: Sql, pkg: number, stale: StaleMarks, onBad: (problem: string) => void): PackageState {
  const row = sql
    .stmt('SELECT day, downloads, d_month, d_week, d_day FROM package_days WHERE pkg = ? ORDER BY day DESC LIMIT 1')
    .get(pkg)
  const day = row ? idOrSkip(row, 'day', onBad) : null
  if (!row || day === null) return { date: null, values: { ...NO_VALUES }, stale }
  const values = { ...NO_VALUES }
  for (const metric of DOWNLOAD_METRICS) values[metric] = countOrNull(row, DAY_COLUMNS[metric], onBad)
  return { date: dayString(day), values, stale }
}
