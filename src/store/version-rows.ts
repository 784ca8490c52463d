/**
 * Writing the versions one refresh observed (SPEC 5.6, 6.2), in the caller's transaction.
 *
 * - Names, tags and numbers upserted; sizes set when given and never cleared; tags move (a tag on a
 *   refreshed version leaves every other version of the package); with a complete list, known
 *   versions absent from it are deleted with their history.
 * - Each observed version records when it was seen (`versions.seen_at`); a refresh that ends a
 *   complete pass over the versions pages deletes the versions not seen since the pass began.
 * - A version's latest numbers live on its `versions` row; its history (`version_days`) gains a row
 *   only when the numbers changed since the last stored row, so it stays small. `versions.last_seen`
 *   is the day the numbers were last read, which is the version's published date.
 *
 * The observations were checked by `storableRefresh` (every number a safe integer); stored numbers
 * that are not (a legacy row) are read as unknown and replaced.
 */
import type { VersionObservation } from '../types.js'
import { countOrNull, idOrSkip, storedJson, textOrNull, type Sql } from './sql.js'

interface StoredNumbers {
  downloads: number | null
  month: number | null
  week: number | null
  day: number | null
}

export function writeVersions(
  sql: Sql,
  pkg: number,
  today: number,
  seenAt: number,
  observations: readonly VersionObservation[],
  complete: boolean,
  onBad: (problem: string) => void
): void {
  const existing = new Map<number, { tags: string[]; numbers: StoredNumbers }>()
  for (const row of sql.stmt('SELECT id, tags, downloads, d_month, d_week, d_day FROM versions WHERE pkg = ?').all(pkg)) {
    const id = idOrSkip(row, 'id', onBad)
    if (id === null) continue
    existing.set(id, {
      tags: parseTags(textOrNull(row, 'tags')),
      numbers: {
        downloads: countOrNull(row, 'downloads', onBad),
        month: countOrNull(row, 'd_month', onBad),
        week: countOrNull(row, 'd_week', onBad),
        day: countOrNull(row, 'd_day', onBad)
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

/**
 * A complete pass over the versions pages ended (SPEC 5.6): the versions not observed since the pass
 * began are gone, with their history.
 */
export function deleteUnseenSince(sql: Sql, pkg: number, passStart: number): void {
  sql
    .stmt(
      `DELETE FROM version_days WHERE pkg = ? AND id IN (SELECT id FROM versions WHERE pkg = ? AND seen_at < ?)`
    )
    .run(pkg, pkg, passStart)
  sql.stmt('DELETE FROM versions WHERE pkg = ? AND seen_at < ?').run(pkg, passStart)
}

function sameNumbers(a: StoredNumbers, b: StoredNumbers): boolean {
  return a.downloads === b.downloads && a.month === b.month && a.week === b.week && a.day === b.day
}

/** Tags as stored (a JSON array, NULL when none); anything else reads as no tags. */
export function parseTags(value: string | null): string[] {
  const parsed = storedJson(value)
  return Array.isArray(parsed) ? parsed.filter((tag): tag is string => typeof tag === 'string') : []
}

function serializeTags(tags: readonly string[]): string | null {
  return tags.length === 0 ? null : JSON.stringify(tags)
}
