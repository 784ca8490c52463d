/**
 * The database side of the static API (SPEC 10): GitHub's daily chart bars per package and day (so
 * history.json grows past the page's 30 days) and the changes log behind changes.json. Writes join
 * the caller's transaction and are recorded during refresh, so they survive in the snapshot; reads
 * serve the renderer one owner at a time, so an index of any size never holds every series at once.
 */
import type { ChangeRecord, PackageHistory, PackageRef, PackageRefresh, PackageType } from '../types.js'
import { dayNumber } from './days.js'
import { int, intOrNull, text, textOrNull, type Sql } from './sql.js'

/** changes.json covers the runs of the last 7 days (SPEC 10.2). */
export const CHANGES_WINDOW_SECONDS = 7 * 86_400

/** The most days one series publishes (SPEC 10.1). */
export const HISTORY_DAYS = 365

/** Key of a package among one owner's histories. A type never holds a NUL, so the key is unambiguous. */
export function historyKey(type: PackageType, name: string): string {
  return `${type}\u0000${name}`
}

/**
 * Everything a package file shows, as one comparable string (null: no such package): the newest
 * numbers and their day, stale markers, repository, retirement and every version's numbers and day.
 * Compared before and after a refresh to tell an `update` from a reading that changed nothing.
 */
export function packageFingerprint(sql: Sql, ref: PackageRef): string | null {
  const row = sql
    .stmt(
      `SELECT p.repo, p.retired, p.stale, d.day, d.downloads, d.d_month, d.d_week, d.d_day,
              (SELECT group_concat(v.id || ':' || v.downloads || ':' || coalesce(v.tags, '') || ':' ||
                                   coalesce(v.size, -1) || ':' || v.last_seen || ':' || v.name, ',')
               FROM versions v WHERE v.pkg = p.pkg) AS versions
       FROM packages p
       LEFT JOIN package_days d ON d.pkg = p.pkg AND d.day = (SELECT max(day) FROM package_days WHERE pkg = p.pkg)
       WHERE p.owner = ? AND p.type = ? AND lower(p.name) = lower(?) ORDER BY p.name = ? DESC LIMIT 1`
    )
    .get(ref.owner, ref.type, ref.name, ref.name)
  return row === undefined ? null : JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))
}

/**
 * After `writePackageRefresh`: stores the chart's bars (a later reading of a day replaces an earlier
 * one, as GitHub's newest bar is still counting) and logs an `update` when the package file changed.
 */
export function writeChartAndChange(sql: Sql, refresh: PackageRefresh, before: string | null): void {
  const { ref } = refresh
  // Matched as the refresh matched it (a rename that changes only case is the same package, SPEC 12).
  const row = sql
    .stmt('SELECT pkg FROM packages WHERE owner = ? AND type = ? AND lower(name) = lower(?) ORDER BY name = ? DESC LIMIT 1')
    .get(ref.owner, ref.type, ref.name, ref.name)
  if (row === undefined) return // nothing was stored for it: nothing to add
  const pkg = int(row, 'pkg')
  const bars = (refresh.chart ?? []).map((bar): [number, number] => {
    // SPEC 12: the database refuses unsafe values at write time.
    if (!Number.isSafeInteger(bar.count) || bar.count < 0) throw new Error(`chart bar of ${bar.date} is not a count: ${bar.count}`)
    return [dayNumber(bar.date), bar.count]
  })
  if (bars.length > 0) {
    // Most bars were stored by the previous reading with the same count: one range read, and only
    // the new or changed ones written (usually GitHub's newest day or two).
    const stored = new Map<number, number>()
    const from = Math.min(...bars.map(([day]) => day))
    for (const bar of sql.stmt('SELECT day, count FROM package_chart WHERE pkg = ? AND day >= ?').iterate(pkg, from)) {
      stored.set(int(bar, 'day'), int(bar, 'count'))
    }
    const upsert = sql.stmt(
      'INSERT INTO package_chart (pkg, day, count) VALUES (?, ?, ?) ON CONFLICT (pkg, day) DO UPDATE SET count = excluded.count'
    )
    for (const [day, count] of bars) if (stored.get(day) !== count) upsert.run(pkg, day, count)
  }
  // Days a listing's confirmation derived (SPEC 13.1) count 0 until a chart covers them: never over a bar.
  const derive = sql.stmt('INSERT OR IGNORE INTO package_chart (pkg, day, count) VALUES (?, ?, 0)')
  for (const bar of refresh.derived ?? []) derive.run(pkg, dayNumber(bar.date))
  if (packageFingerprint(sql, ref) !== before) {
    recordChange(sql, 'update', pkg, Math.floor(Date.parse(refresh.at) / 1000))
  }
}

/** Logs that package `pkg` leaves the index (retired or opted out), at the current time. Call before deleting its row. */
export function recordDeletion(sql: Sql, pkg: number): void {
  recordChange(sql, 'delete', pkg, Math.floor(Date.now() / 1000))
}

/** Logs that the live package `ref` is retired (private, deleted or renamed on GitHub). */
export function recordRetirement(sql: Sql, ref: PackageRef): void {
  const row = sql.stmt('SELECT pkg FROM packages WHERE owner = ? AND type = ? AND name = ? AND retired = 0').get(ref.owner, ref.type, ref.name)
  if (row !== undefined) recordDeletion(sql, int(row, 'pkg'))
}

/** Deletes a package's chart bars (opt-out removes its whole history). */
export function deleteChart(sql: Sql, pkg: number): void {
  sql.stmt('DELETE FROM package_chart WHERE pkg = ?').run(pkg)
}

function recordChange(sql: Sql, action: ChangeRecord['action'], pkg: number, time: number): void {
  sql
    .stmt(
      `INSERT INTO changes (owner, type, name, repo, action, time)
       SELECT owner, type, name, repo, ?, ? FROM packages WHERE pkg = ?
       ON CONFLICT (owner, type, name) DO UPDATE SET repo = excluded.repo, action = excluded.action, time = excluded.time`
    )
    .run(action, time, pkg)
  // The log keeps only what changes.json can show.
  sql.stmt('DELETE FROM changes WHERE time < ?').run(time - CHANGES_WINDOW_SECONDS)
}

/** The changes at or after `since` (epoch seconds). */
export function readChanges(sql: Sql, since: number): ChangeRecord[] {
  return sql
    .stmt('SELECT owner, type, name, repo, action, time FROM changes WHERE time >= ? ORDER BY owner, type, name')
    .all(since)
    .map((row) => ({
      action: text(row, 'action') === 'delete' ? 'delete' : 'update',
      owner: text(row, 'owner'),
      repo: textOrNull(row, 'repo'),
      name: text(row, 'name'),
      type: text(row, 'type') as PackageType,
      time: int(row, 'time')
    }))
}

/**
 * The stored series of every package of `owner`, keyed by `historyKey`: for each package, the totals
 * of the 365 days ending on its newest known day (its own data, never the run day, so a package that
 * did not change keeps identical files), its newest total before them, and the chart bars of those
 * days and of the 365 ending on its newest bar (the `last_year` window).
 */
export function readHistories(sql: Sql, owner: string): Map<string, PackageHistory> {
  const rows = sql
    .stmt(
      `WITH ends AS (
         SELECT pkg, type, name, b, max(b, coalesce((SELECT max(day) FROM package_days d WHERE d.pkg = x.pkg), -1)) AS e
         FROM (SELECT p.pkg, p.type, p.name, coalesce((SELECT max(day) FROM package_chart c WHERE c.pkg = p.pkg), -1) AS b
               FROM packages p WHERE p.owner = ?) x
       )
       SELECT e.type, e.name, 0 AS kind, c.day, c.count AS n
         FROM ends e JOIN package_chart c ON c.pkg = e.pkg AND c.day > e.b - ${HISTORY_DAYS}
       UNION ALL
       SELECT e.type, e.name, 1, d.day, d.downloads
         FROM ends e JOIN package_days d ON d.pkg = e.pkg AND d.day > e.e - ${HISTORY_DAYS} AND d.downloads IS NOT NULL
       UNION ALL
       SELECT e.type, e.name, 2, 0,
              (SELECT d.downloads FROM package_days d
               WHERE d.pkg = e.pkg AND d.day <= e.e - ${HISTORY_DAYS} AND d.downloads IS NOT NULL ORDER BY d.day DESC LIMIT 1)
         FROM ends e
       ORDER BY 1, 2, 3, 4`
    )
    .all(owner)
  const histories = new Map<string, { bars: [number, number][]; totals: [number, number][]; priorTotal: number | null }>()
  for (const row of rows) {
    const key = historyKey(text(row, 'type') as PackageType, text(row, 'name'))
    let history = histories.get(key)
    if (history === undefined) {
      history = { bars: [], totals: [], priorTotal: null }
      histories.set(key, history)
    }
    const kind = int(row, 'kind')
    const n = intOrNull(row, 'n')
    if (kind === 2) history.priorTotal = n
    else if (n !== null) (kind === 0 ? history.bars : history.totals).push([int(row, 'day'), n])
  }
  return histories
}
