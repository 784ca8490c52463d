/**
 * Writing one package refresh (SPEC 5.3, 5.6, 6.2) into the database, in the caller's transaction.
 *
 * - Package numbers: one row per UTC day on which at least one of them was read, replaced by a later
 *   refresh the same day; the newest row's day is the package's published `date`. A number that was
 *   not understood (null) keeps the last known value, and the package's stale map records the day of
 *   the kept value; a later successful read of that metric clears its marker. A refresh that read
 *   none of the numbers adds no row (only the markers and the queue bookkeeping change).
 * - Versions: names, tags and numbers upserted; sizes set when given and never cleared; tags move
 *   (a tag on a refreshed version leaves every other version of the package); with a complete list,
 *   known versions absent from it are deleted with their history. Each observed version records when
 *   it was seen (`versions.seen_at`); a refresh that ends a complete pass over the versions pages
 *   (`versionsPassComplete`) deletes the versions not seen since the pass began, with their history.
 * - A version's latest numbers live on its `versions` row; its history (`version_days`) gains a row
 *   only when the numbers changed since the last stored row (old versions gain no downloads on most
 *   days), so it stays small. `versions.last_seen` is the day the numbers were last read, which is
 *   the version's published date.
 */
import type { DownloadWindows, OwnerType, PackageRefresh, StaleMetric, VersionObservation } from '../types.js'
import { dayNumber, dayString } from './days.js'
import { int, intOrNull, textOrNull, type Sql } from './sql.js'

/** A stale marker as stored: the day of the kept number and why the fresh one is missing. */
export interface StoredStaleMarker {
  day: string
  page?: string
  marker?: string
}

export type StoredStaleMap = Partial<Record<StaleMetric, StoredStaleMarker>>

/** The four download metrics of a package-day row, in the order of `DAY_COLUMNS`. */
const DOWNLOAD_METRICS = ['downloads', 'downloads_month', 'downloads_week', 'downloads_day'] as const
type DownloadMetric = (typeof DOWNLOAD_METRICS)[number]
const DAY_COLUMNS: Record<DownloadMetric, string> = {
  downloads: 'downloads',
  downloads_month: 'd_month',
  downloads_week: 'd_week',
  downloads_day: 'd_day'
}

export function ownerTypeToAccountType(ownerType: OwnerType): 'User' | 'Organization' {
  return ownerType === 'orgs' ? 'Organization' : 'User'
}

export function parseStaleMap(value: string | null): StoredStaleMap {
  if (value === null) return {}
  const parsed: unknown = JSON.parse(value)
  return typeof parsed === 'object' && parsed !== null ? (parsed as StoredStaleMap) : {}
}

function serializeStaleMap(stale: StoredStaleMap): string | null {
  return Object.keys(stale).length === 0 ? null : JSON.stringify(stale)
}

export function writePackageRefresh(sql: Sql, refresh: PackageRefresh, cycle: number): void {
  const { ref } = refresh
  const today = dayNumber(refresh.day)
  // Checked before anything is written, so a malformed time is never stored.
  const seenAt = epochSeconds(refresh.at, 'at')
  const passStart =
    refresh.versionsPassStartedAt === null ? null : epochSeconds(refresh.versionsPassStartedAt, 'versionsPassStartedAt')

  // The owner row exists for every package (the planner and opt-out work per owner).
  sql
    .stmt(
      `INSERT INTO owners (login, id, type, first_seen) VALUES (?, ?, ?, ?)
       ON CONFLICT (login) DO UPDATE SET id = coalesce(owners.id, excluded.id), type = coalesce(owners.type, excluded.type)
       WHERE owners.id IS NULL OR owners.type IS NULL`
    )
    .run(ref.owner, refresh.ownerId, ownerTypeToAccountType(ref.ownerType), refresh.at)

  const { pkg, stale } = ensurePackage(sql, refresh)

  // ---- package numbers of the day ----
  const previous = sql
    .stmt('SELECT day, downloads, d_month, d_week, d_day FROM package_days WHERE pkg = ? ORDER BY day DESC LIMIT 1')
    .get(pkg)
  const previousDay = previous ? int(previous, 'day') : null
  const fresh = freshMetrics(refresh.downloads, refresh.windows)
  const problem = refresh.problems[0]
  const values: Record<DownloadMetric, number | null> = {
    downloads: null,
    downloads_month: null,
    downloads_week: null,
    downloads_day: null
  }
  for (const metric of DOWNLOAD_METRICS) {
    const value = fresh[metric]
    if (value !== null) {
      values[metric] = value
      delete stale[metric]
      continue
    }
    const kept = previous ? intOrNull(previous, DAY_COLUMNS[metric]) : null
    if (previousDay === null || kept === null) continue // nothing known to keep: stays unknown
    values[metric] = kept
    // An earlier marker already names the day of the original number (the previous row may hold a
    // copy of it). A number read earlier the same day is still marked: this read failed (SPEC 5.3).
    stale[metric] ??= {
      day: dayString(previousDay),
      ...(problem ? { page: problem.page, marker: problem.marker } : {})
    }
  }
  // A day row is the day the numbers were read (the published `date`, SPEC 6.2): a refresh that read
  // none of them adds no row, so the package keeps the date of its last read. A package never read
  // still gets its (unknown) row, which is what publishes it.
  if (DOWNLOAD_METRICS.some((metric) => fresh[metric] !== null) || previousDay === null) {
    sql
      .stmt(
        `INSERT INTO package_days (pkg, day, downloads, d_month, d_week, d_day) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (pkg, day) DO UPDATE SET downloads = excluded.downloads, d_month = excluded.d_month,
           d_week = excluded.d_week, d_day = excluded.d_day`
      )
      .run(pkg, today, values.downloads, values.downloads_month, values.downloads_week, values.downloads_day)
  }

  sql
    .stmt(
      `UPDATE packages SET owner_type = ?, repo = ?, owner_id = ?, last_seen = ?, last_refresh = ?,
         refreshed_cycle = ?, versions_cursor = ?, versions_pass_started_at = ?, version_count = coalesce(?, version_count),
         last_published = coalesce(?, last_published), stale = ?, retired = 0
       WHERE pkg = ?`
    )
    .run(
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
      serializeStaleMap(stale),
      pkg
    )

  writeVersions(sql, pkg, today, seenAt, refresh.versions, refresh.versionsComplete)
  // The versions observed in this refresh are never before the cutoff, whatever the pass start says.
  if (refresh.versionsPassComplete && passStart !== null) deleteUnseenSince(sql, pkg, Math.min(passStart, seenAt))
}

/** Whole seconds since the epoch of an ISO time (floored, so a time is never later than itself). */
function epochSeconds(iso: string, field: string): number {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) throw new Error(`${field}: not an ISO time: ${JSON.stringify(iso)}`)
  return Math.floor(ms / 1000)
}

/**
 * A complete pass over the versions pages ended (SPEC 5.6): the versions not observed since the pass
 * began are gone, with their history.
 */
function deleteUnseenSince(sql: Sql, pkg: number, passStart: number): void {
  sql
    .stmt(
      `DELETE FROM version_days WHERE pkg = ? AND id IN (SELECT id FROM versions WHERE pkg = ? AND seen_at < ?)`
    )
    .run(pkg, pkg, passStart)
  sql.stmt('DELETE FROM versions WHERE pkg = ? AND seen_at < ?').run(pkg, passStart)
}

/** The package's row id and stale markers, inserting the package when it is new. */
function ensurePackage(sql: Sql, refresh: PackageRefresh): { pkg: number; stale: StoredStaleMap } {
  const { ref } = refresh
  const found = sql
    .stmt('SELECT pkg, stale FROM packages WHERE owner = ? AND type = ? AND name = ?')
    .get(ref.owner, ref.type, ref.name)
  if (found) return { pkg: int(found, 'pkg'), stale: parseStaleMap(textOrNull(found, 'stale')) }
  const inserted = sql
    .stmt(
      `INSERT INTO packages (owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    )
    .run(ref.owner, ref.ownerType, ref.type, ref.name, ref.repo, refresh.ownerId, refresh.at, refresh.day)
  return { pkg: Number(inserted.lastInsertRowid), stale: {} }
}

/** The metrics this refresh understood; -1 or null = not understood. */
function freshMetrics(downloads: number | null, windows: DownloadWindows | null): Record<DownloadMetric, number | null> {
  const known = (value: number | null | undefined): number | null =>
    value === null || value === undefined || value < 0 ? null : value
  return {
    downloads: known(downloads),
    downloads_month: known(windows?.month),
    downloads_week: known(windows?.week),
    downloads_day: known(windows?.day)
  }
}

interface StoredNumbers {
  downloads: number
  month: number | null
  week: number | null
  day: number | null
}

function writeVersions(
  sql: Sql,
  pkg: number,
  today: number,
  seenAt: number,
  observations: readonly VersionObservation[],
  complete: boolean
): void {
  const existing = new Map<number, { tags: string[]; numbers: StoredNumbers }>()
  for (const row of sql.stmt('SELECT id, tags, downloads, d_month, d_week, d_day FROM versions WHERE pkg = ?').all(pkg)) {
    existing.set(int(row, 'id'), {
      tags: parseTags(textOrNull(row, 'tags')),
      numbers: {
        downloads: int(row, 'downloads'),
        month: intOrNull(row, 'd_month'),
        week: intOrNull(row, 'd_week'),
        day: intOrNull(row, 'd_day')
      }
    })
  }
  const refreshedIds = new Set(observations.map((version) => version.id))

  // Tags move: a tag now on a refreshed version leaves every other version of the package.
  const movedTags = new Set(observations.flatMap((version) => version.tags))
  if (movedTags.size > 0) {
    for (const [id, { tags }] of existing) {
      if (refreshedIds.has(id) || !tags.some((tag) => movedTags.has(tag))) continue
      const kept = tags.filter((tag) => !movedTags.has(tag))
      sql.stmt('UPDATE versions SET tags = ? WHERE pkg = ? AND id = ?').run(serializeTags(kept), pkg, id)
    }
  }

  const known = (value: number | undefined): number | null => (value === undefined || value < 0 ? null : value)
  for (const version of observations) {
    const previous = existing.get(version.id)?.numbers
    // Windows come from version pages, which are rarely read: without new ones the last ones stay.
    const numbers: StoredNumbers = {
      downloads: version.downloads,
      month: version.windows ? known(version.windows.month) : (previous?.month ?? null),
      week: version.windows ? known(version.windows.week) : (previous?.week ?? null),
      day: version.windows ? known(version.windows.day) : (previous?.day ?? null)
    }
    sql
      .stmt(
        `INSERT INTO versions (pkg, id, name, tags, size, sizes, last_seen, seen_at, downloads, d_month, d_week, d_day)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pkg, id) DO UPDATE SET name = excluded.name, tags = excluded.tags,
           size = coalesce(excluded.size, versions.size), sizes = coalesce(excluded.sizes, versions.sizes),
           last_seen = excluded.last_seen, seen_at = excluded.seen_at, downloads = excluded.downloads, d_month = excluded.d_month,
           d_week = excluded.d_week, d_day = excluded.d_day`
      )
      .run(
        pkg,
        version.id,
        version.name,
        serializeTags(version.tags),
        version.size ? version.size.size : null,
        version.size ? JSON.stringify(version.size.platforms) : null,
        today,
        seenAt,
        numbers.downloads,
        numbers.month,
        numbers.week,
        numbers.day
      )
    // History only on change. A same-day re-read replaces that day's row (the upsert) when it exists.
    if (previous === undefined || !sameNumbers(previous, numbers)) {
      sql
        .stmt(
          `INSERT INTO version_days (pkg, id, day, downloads, d_month, d_week, d_day) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (pkg, id, day) DO UPDATE SET downloads = excluded.downloads, d_month = excluded.d_month,
             d_week = excluded.d_week, d_day = excluded.d_day`
        )
        .run(pkg, version.id, today, numbers.downloads, numbers.month, numbers.week, numbers.day)
    }
  }

  if (complete) {
    for (const id of existing.keys()) {
      if (refreshedIds.has(id)) continue
      sql.stmt('DELETE FROM versions WHERE pkg = ? AND id = ?').run(pkg, id)
      sql.stmt('DELETE FROM version_days WHERE pkg = ? AND id = ?').run(pkg, id)
    }
  }
}

function sameNumbers(a: StoredNumbers, b: StoredNumbers): boolean {
  return a.downloads === b.downloads && a.month === b.month && a.week === b.week && a.day === b.day
}

export function parseTags(value: string | null): string[] {
  if (value === null) return []
  const parsed: unknown = JSON.parse(value)
  return Array.isArray(parsed) ? parsed.filter((tag): tag is string => typeof tag === 'string') : []
}

function serializeTags(tags: readonly string[]): string | null {
  return tags.length === 0 ? null : JSON.stringify(tags)
}
