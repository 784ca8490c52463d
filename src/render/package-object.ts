/**
 * The published package object (SPEC 6.2), built from the store's snapshots. Pure. Key order is
 * part of the contract (badges and diffs rely on it), so the objects are written out literally.
 */
import { packageUrlName } from '../github/urls.js'
import type { Day, OwnerType, PackageSnapshot, PackageType, StaleMetric, VersionSnapshot } from '../types.js'
import { formatCount, formatSize } from './format.js'

export interface VersionObject {
  id: number
  name: string
  date: Day
  newest: boolean
  latest: boolean
  size: string
  downloads: string
  downloads_month: string
  downloads_week: string
  downloads_day: string
  raw_size: number
  raw_downloads: number
  raw_downloads_month: number
  raw_downloads_week: number
  raw_downloads_day: number
  tags: string[]
}

export interface PackageObject {
  owner_type: OwnerType
  package_type: PackageType
  owner_id: number
  owner: string
  /**
   * The repository name in URL form (`encodeURIComponent`; the package name for a package without a
   * repo), as backage wrote it. The folder on the branch is its 6.4 segment (`indexPath`), which
   * differs only for a leading `.` (`.json` here, `%2Ejson` as a folder).
   */
  repo: string
  /** The package name in its URL form (`xacc%2Falpine`, `.json`); its file is `indexPath`'s segment. */
  package: string
  date: Day
  size: string
  versions: string
  tagged: string
  owner_rank: string
  repo_rank: string
  downloads: string
  downloads_month: string
  downloads_week: string
  downloads_day: string
  raw_size: number
  raw_versions: number
  raw_tagged: number
  raw_owner_rank: number
  raw_repo_rank: number
  raw_downloads: number
  raw_downloads_month: number
  raw_downloads_week: number
  raw_downloads_day: number
  version: VersionObject[]
  stale?: Partial<Record<StaleMetric, Day | null>>
}

/** The order of the keys of the `stale` object (fixed, so the bytes depend only on the data). */
const STALE_ORDER: readonly StaleMetric[] = ['downloads', 'downloads_month', 'downloads_week', 'downloads_day', 'size']

export interface Ranks {
  owner: number
  repo: number
}

/** Ids of the `newest` and `latest` versions (SPEC 6.2); null when the package has no versions. */
export function pickNewestAndLatest(versions: readonly VersionSnapshot[]): { newest: number; latest: number } | null {
  let newest: VersionSnapshot | undefined
  let newestTagged: VersionSnapshot | undefined
  let newestLatestTag: VersionSnapshot | undefined
  for (const v of versions) {
    if (!newest || v.id > newest.id) newest = v
    if (v.tags.length > 0 && (!newestTagged || v.id > newestTagged.id)) newestTagged = v
    if (v.tags.includes('latest') && (!newestLatestTag || v.id > newestLatestTag.id)) newestLatestTag = v
  }
  if (!newest) return null
  return { newest: newest.id, latest: (newestLatestTag ?? newestTagged ?? newest).id }
}

function versionObject(v: VersionSnapshot, newest: boolean, latest: boolean): VersionObject {
  return {
    id: v.id,
    name: v.name,
    date: v.date,
    newest,
    latest,
    size: formatSize(v.size),
    downloads: formatCount(v.downloads),
    downloads_month: formatCount(v.downloadsMonth),
    downloads_week: formatCount(v.downloadsWeek),
    downloads_day: formatCount(v.downloadsDay),
    raw_size: v.size,
    raw_downloads: v.downloads,
    raw_downloads_month: v.downloadsMonth,
    raw_downloads_week: v.downloadsWeek,
    raw_downloads_day: v.downloadsDay,
    tags: [...v.tags]
  }
}

/** The repo folder of a snapshot as a single path segment (a repo-less package's name may hold `/`). */
export function repoSegment(snapshot: Pick<PackageSnapshot, 'repo'>): string {
  return packageUrlName(snapshot.repo)
}

/** Plain code-unit comparison (not localeCompare), so the order is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The order of SPEC 6.1: owner, repo, package type, package, compared as plain strings. */
export function compareObjects(a: PackageObject, b: PackageObject): number {
  return (
    compareStrings(a.owner, b.owner) ||
    compareStrings(a.repo, b.repo) ||
    compareStrings(a.package_type, b.package_type) ||
    compareStrings(a.package, b.package)
  )
}

/** One package object; `ranks` come from `rankPackages` over all the snapshots. */
export function packageObject(snapshot: PackageSnapshot, ranks: Ranks): PackageObject {
  const versions = [...snapshot.versions].sort((a, b) => a.id - b.id)
  const picked = pickNewestAndLatest(versions)
  // The package size is that of the newest version whose size is known.
  let rawSize = -1
  for (let i = versions.length - 1; i >= 0; i--) {
    const size = versions[i]?.size ?? -1
    if (size >= 0) {
      rawSize = size
      break
    }
  }
  const rawTagged = versions.filter((v) => v.tags.length > 0).length
  const object: PackageObject = {
    owner_type: snapshot.ownerType,
    package_type: snapshot.type,
    owner_id: snapshot.ownerId,
    owner: snapshot.owner,
    repo: repoSegment(snapshot),
    package: packageUrlName(snapshot.name),
    date: snapshot.date,
    size: formatSize(rawSize),
    versions: formatCount(versions.length),
    tagged: formatCount(rawTagged),
    owner_rank: formatCount(ranks.owner),
    repo_rank: formatCount(ranks.repo),
    downloads: formatCount(snapshot.downloads),
    downloads_month: formatCount(snapshot.downloadsMonth),
    downloads_week: formatCount(snapshot.downloadsWeek),
    downloads_day: formatCount(snapshot.downloadsDay),
    raw_size: rawSize,
    raw_versions: versions.length,
    raw_tagged: rawTagged,
    raw_owner_rank: ranks.owner,
    raw_repo_rank: ranks.repo,
    raw_downloads: snapshot.downloads,
    raw_downloads_month: snapshot.downloadsMonth,
    raw_downloads_week: snapshot.downloadsWeek,
    raw_downloads_day: snapshot.downloadsDay,
    version: versions.map((v) => versionObject(v, v.id === picked?.newest, v.id === picked?.latest))
  }
  const stale: Partial<Record<StaleMetric, Day | null>> = {}
  for (const metric of STALE_ORDER) {
    const day = snapshot.stale[metric]
    if (day !== undefined) stale[metric] = day
  }
  if (Object.keys(stale).length > 0) object.stale = stale
  return object
}

/** Competition ranks (1, 1, 3) of `values`, highest first, returned in the input order. */
export function competitionRanks(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => b - a)
  const firstIndex = new Map<number, number>()
  sorted.forEach((value, i) => {
    if (!firstIndex.has(value)) firstIndex.set(value, i)
  })
  return values.map((value) => (firstIndex.get(value) ?? 0) + 1)
}

/** Ranks by downloads within the owner and within the owner's repo folder, one per snapshot. */
export function rankPackages(snapshots: readonly PackageSnapshot[]): Ranks[] {
  const rankWithin = (key: (s: PackageSnapshot) => string): number[] => {
    const groups = new Map<string, number[]>()
    snapshots.forEach((s, i) => {
      const k = key(s)
      const group = groups.get(k)
      if (group) group.push(i)
      else groups.set(k, [i])
    })
    const ranks = new Array<number>(snapshots.length).fill(0)
    for (const members of groups.values()) {
      const groupRanks = competitionRanks(members.map((i) => snapshots[i]?.downloads ?? -1))
      members.forEach((i, j) => (ranks[i] = groupRanks[j] ?? 0))
    }
    return ranks
  }
  const byOwner = rankWithin((s) => s.owner)
  const byRepo = rankWithin((s) => `${s.owner}/${repoSegment(s)}`)
  return snapshots.map((_, i) => ({ owner: byOwner[i] ?? 0, repo: byRepo[i] ?? 0 }))
}

/** Package objects of all snapshots, with ranks computed over the whole set, in the input order. */
export function packageObjects(snapshots: readonly PackageSnapshot[]): PackageObject[] {
  const ranks = rankPackages(snapshots)
  return snapshots.map((s, i) => packageObject(s, ranks[i] ?? { owner: 0, repo: 0 }))
}
