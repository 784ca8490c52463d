/**
 * The read model for rendering: every published package (not retired, owner not retired, at least
 * one observation) with its latest numbers and all its known versions. Two set-based queries joined
 * in memory, so 100,000 packages cost two table scans rather than one query each. A version's
 * latest numbers are kept on its row, so its history is not read here.
 */
import type { OwnerType, PackageSnapshot, PackageType, StaleMetric, VersionSnapshot } from '../types.js'
import { dayString } from './days.js'
import { parseStaleMap, parseTags } from './package-refresh.js'
import { int, intOrNull, text, textOrNull, type Sql } from './sql.js'

/** Packages that are published: live, of a live owner, with at least one observation. */
const PUBLISHED = `p.retired = 0
  AND NOT EXISTS (SELECT 1 FROM owners o WHERE o.login = p.owner AND o.retired = 1)
  AND EXISTS (SELECT 1 FROM package_days d WHERE d.pkg = p.pkg)`

export function readSnapshots(sql: Sql): PackageSnapshot[] {
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
    const stale: Partial<Record<StaleMetric, string>> = {}
    for (const [metric, marker] of Object.entries(parseStaleMap(textOrNull(row, 'stale')))) {
      if (marker) stale[metric as StaleMetric] = marker.day
    }
    const snapshot: PackageSnapshot = {
      ownerType: text(row, 'owner_type') as OwnerType,
      type: text(row, 'type') as PackageType,
      ownerId: int(row, 'owner_id'),
      owner: text(row, 'owner'),
      repo: textOrNull(row, 'repo') ?? name,
      name,
      date: dayString(int(row, 'day')),
      downloads: intOrNull(row, 'downloads') ?? -1,
      downloadsMonth: intOrNull(row, 'd_month') ?? -1,
      downloadsWeek: intOrNull(row, 'd_week') ?? -1,
      downloadsDay: intOrNull(row, 'd_day') ?? -1,
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
    const version: VersionSnapshot = {
      id: int(row, 'id'),
      name: text(row, 'name'),
      date: dayString(int(row, 'last_seen')),
      size: intOrNull(row, 'size') ?? -1,
      downloads: intOrNull(row, 'downloads') ?? -1,
      downloadsMonth: intOrNull(row, 'd_month') ?? -1,
      downloadsWeek: intOrNull(row, 'd_week') ?? -1,
      downloadsDay: intOrNull(row, 'd_day') ?? -1,
      tags: parseTags(textOrNull(row, 'tags'))
    }
    owner.versions.push(version)
  }
  return packages
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
