/**
 * The read model for rendering: every published package (not retired, owner not retired, at least
 * one observation) with its latest numbers and all its known versions. Two set-based queries joined
 * in memory, so 100,000 packages cost two table scans rather than one query each. A version's
 * latest numbers are kept on its row, so its history is not read here.
 *
 * A stored number that is not a safe integer (a legacy row) never stops the run (SPEC 12): a count
 * reads as unknown (−1), marked stale with `null` (no good number known); a row whose identity
 * (package id, owner id, day, version id) is unreadable is skipped. `onBad` hears of each.
 */
import type { OwnerType, PackageSnapshot, PackageType, StaleMetric, VersionSnapshot } from '../types.js'
import { dayString } from './days.js'
import { DOWNLOAD_METRICS, type DownloadMetric } from '../domain/merge-reading.js'
import { parseStaleMap } from './package-refresh.js'
import { parseTags } from './version-rows.js'
import { countOrNull, idOrSkip, int, text, textOrNull, type Row, type Sql } from './sql.js'

const DAY_COLUMNS: Record<DownloadMetric, string> = {
  downloads: 'downloads',
  downloads_month: 'd_month',
  downloads_week: 'd_week',
  downloads_day: 'd_day'
}

/** Packages that are published: live, of a live owner, with at least one observation. */
const PUBLISHED = `p.retired = 0
  AND NOT EXISTS (SELECT 1 FROM owners o WHERE o.login = p.owner AND o.retired = 1)
  AND EXISTS (SELECT 1 FROM package_days d WHERE d.pkg = p.pkg)`

export function readSnapshots(sql: Sql, onBad: (problem: string) => void = () => undefined): PackageSnapshot[] {
  const byPkg = new Map<number, PackageSnapshot>()
  const packages: PackageSnapshot[] = []
  const packageRows = sql
    .stmt(
      `SELECT p.pkg, p.owner_type, p.type, p.owner_id, p.owner, p.repo, p.name, p.stale,
              d.day, d.downloads, d.d_month, d.d_week, d.d_day
       FROM packages p
       JOIN package_days d ON d.pkg = p.pkg AND d.day = (SELECT max(day) FROM package_days WHERE pkg = p.pkg)
       WHERE ${PUBLISHED}
       ORDER BY p.owner, coalesce(p.repo, p.name), p.type, p.name`
    )
    .all()
  for (const row of packageRows) {
    const name = text(row, 'name')
    const ownerId = idOrSkip(row, 'owner_id', onBad)
    const day = idOrSkip(row, 'day', onBad)
    if (ownerId === null || day === null) continue
    const stale: Partial<Record<StaleMetric, string | null>> = {}
    for (const [metric, marker] of Object.entries(parseStaleMap(textOrNull(row, 'stale')))) {
      if (marker) stale[metric as StaleMetric] = marker.day
    }
    const numbers = packageNumbers(row, stale, onBad)
    const snapshot: PackageSnapshot = {
      ownerType: text(row, 'owner_type') as OwnerType,
      type: text(row, 'type') as PackageType,
      ownerId,
      owner: text(row, 'owner'),
      repo: textOrNull(row, 'repo') ?? name,
      name,
      date: dayString(day),
      downloads: numbers.downloads,
      downloadsMonth: numbers.downloads_month,
      downloadsWeek: numbers.downloads_week,
      downloadsDay: numbers.downloads_day,
      versions: [],
      stale
    }
    byPkg.set(int(row, 'pkg'), snapshot)
    packages.push(snapshot)
  }

  const versionRows = sql
    .stmt(
      'SELECT pkg, id, name, tags, size, last_seen, downloads, d_month, d_week, d_day FROM versions ORDER BY pkg, id'
    )
    .iterate()
  for (const row of versionRows) {
    const owner = byPkg.get(int(row, 'pkg'))
    if (owner === undefined) continue // retired or never observed
    const id = idOrSkip(row, 'id', onBad)
    const lastSeen = idOrSkip(row, 'last_seen', onBad)
    if (id === null || lastSeen === null) continue
    const version: VersionSnapshot = {
      id,
      name: text(row, 'name'),
      date: dayString(lastSeen),
      size: countOrNull(row, 'size', onBad) ?? -1,
      downloads: countOrNull(row, 'downloads', onBad) ?? -1,
      downloadsMonth: countOrNull(row, 'd_month', onBad) ?? -1,
      downloadsWeek: countOrNull(row, 'd_week', onBad) ?? -1,
      downloadsDay: countOrNull(row, 'd_day', onBad) ?? -1,
      tags: parseTags(textOrNull(row, 'tags'))
    }
    owner.versions.push(version)
  }
  return packages
}

/**
 * The package's published numbers; one that cannot be read is unknown (−1) and, since no good number
 * is known, stale with `null` (SPEC 12).
 */
function packageNumbers(
  row: Row,
  stale: Partial<Record<StaleMetric, string | null>>,
  onBad: (problem: string) => void
): Record<DownloadMetric, number> {
  const numbers = { downloads: -1, downloads_month: -1, downloads_week: -1, downloads_day: -1 }
  for (const metric of DOWNLOAD_METRICS) {
    let bad = false
    const value = countOrNull(row, DAY_COLUMNS[metric], (problem) => {
      bad = true
      onBad(problem)
    })
    if (bad) stale[metric] = null
    numbers[metric] = value ?? -1
  }
  return numbers
}

/** What the index holds (SPEC 6.1): owners, OWNER/REPO folders and packages as published. */
export function readCounts(sql: Sql): { owners: number; repos: number; packages: number } {
  const row = sql
    .stmt(
      `SELECT count(DISTINCT lower(p.owner)) AS owners,
              count(DISTINCT lower(p.owner) || '/' || coalesce(p.repo, p.name)) AS repos,
              count(*) AS packages
       FROM packages p WHERE ${PUBLISHED}`
    )
    .get()
  return row
    ? { owners: int(row, 'owners'), repos: int(row, 'repos'), packages: int(row, 'packages') }
    : { owners: 0, repos: 0, packages: 0 }
}
