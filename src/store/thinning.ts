/**
 * The database over years (SPEC 13.4): per-version history (`version_days`) older than 400 days is
 * thinned to one row per version per calendar month, the newest of that month; the package daily
 * series (`package_days`) and the latest numbers on `versions` are never touched.
 *
 * Run once per run before the snapshot is saved. Bounded in time: packages are visited in `pkg`
 * order in small batches, one transaction each, and a run that reaches its deadline leaves a cursor
 * in `meta` where the next run goes on (thinning is idempotent, so a batch visited twice is harmless).
 */
import { type Sql } from './sql.js'

/** Observations older than this many days are thinned. */
export const THIN_AFTER_DAYS = 400

const CURSOR_KEY = 'thin_cursor'
const PACKAGES_PER_BATCH = 500

export interface ThinResult {
  /** version_days rows deleted. */
  deleted: number
  /** True when every package was visited (the cursor went back to the start). */
  complete: boolean
}

/**
 * In a month older than the cutoff a row goes when a newer row of the same version, month and
 * before the cutoff exists. A month the cutoff cuts through keeps its newest old row and every
 * row after the cutoff. Days are day numbers (see days.ts); the month's end is computed by SQLite.
 */
const THIN_BATCH = `
  DELETE FROM version_days AS old
  WHERE old.pkg >= ? AND old.pkg < ? AND old.day < ?
    AND EXISTS (
      SELECT 1 FROM version_days AS newer
      WHERE newer.pkg = old.pkg AND newer.id = old.id AND newer.day > old.day
        AND newer.day < min(?, unixepoch(old.day * 86400, 'unixepoch', 'start of month', '+1 month') / 86400)
    )`

/**
 * Thins the history older than `THIN_AFTER_DAYS` before `today` (a day number), batch by batch
 * until every package was visited or `Date.now()` passes `deadlineMs`.
 */
export function thinVersionHistory(sql: Sql, today: number, deadlineMs: number): ThinResult {
  const cutoff = today - THIN_AFTER_DAYS
  const cursorRow = sql.stmt('SELECT value FROM meta WHERE key = ?').get(CURSOR_KEY)
  let from = Number(cursorRow?.value ?? 0) || 0
  const lastRow = sql.stmt('SELECT max(pkg) AS pkg FROM version_days').get()
  const last = Number(lastRow?.pkg ?? -1)
  let deleted = 0
  while (from <= last) {
    if (Date.now() > deadlineMs) {
      saveCursor(sql, from)
      return { deleted, complete: false }
    }
    const to = from + PACKAGES_PER_BATCH
    deleted += sql.transaction(() => Number(sql.stmt(THIN_BATCH).run(from, to, cutoff, cutoff).changes))
    from = to
  }
  saveCursor(sql, 0)
  return { deleted, complete: true }
}

function saveCursor(sql: Sql, pkg: number): void {
  sql.transaction(() => {
    sql
      .stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(CURSOR_KEY, String(pkg))
  })
}
