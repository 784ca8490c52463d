/**
 * The root feeds of the static API (SPEC 10.2): `list.json`, `popular.json`, `statistics.json` and
 * `changes.json`. Pure. Only `statistics.json` and `changes.json` carry the run's time: every other
 * file changes only when its data does.
 */
import { CHANGES_WINDOW_SECONDS } from '../../store/api-history.js'
import type { ChangeRecord, PackageSnapshot } from '../../types.js'
import { indexFileUrl, indexPath, namesFit } from '../paths.js'
import { compareStrings } from '../package-object.js'
import type { CompactSeries } from './history.js'

export const POPULAR_COUNT = 100

export interface PopularEntry {
  name: string
  type: string
  downloads: number
  downloads_week: number
  url: string
}

export interface Statistics {
  timestamp: number
  totals: { owners: number; repos: number; packages: number; versions: number; downloads: number }
  start: string
  daily: number[]
}

export interface ChangesFeed {
  timestamp: number
  since: number
  actions: { type: ChangeRecord['action']; package: string; time: number }[]
}

/** A package's `OWNER/REPO/PACKAGE`: the three path segments of SPEC 6.4 exactly as on the branch. */
export function packagePath(owner: string, repo: string, name: string): string {
  return indexPath({ owner, repo, package: name }, '.json').slice(0, -'.json'.length)
}

/**
 * Package files that two packages of different types would share (an npm package and a container both
 * called `foo` in one repository): each path with the packages' `TYPE NAME`s, in the order of SPEC 6.1,
 * the first of which keeps the file. The run says so once per path (SPEC 10.3).
 */
export function sharedPackageFiles(snapshots: readonly PackageSnapshot[]): [path: string, packages: string[]][] {
  const byPath = new Map<string, string[]>()
  for (const s of snapshots) {
    if (!namesFit(s.owner, s.repo, s.name)) continue
    const path = packagePath(s.owner, s.repo, s.name)
    const packages = byPath.get(path)
    if (packages) packages.push(`${s.type} ${s.owner}/${s.name}`)
    else byPath.set(path, [`${s.type} ${s.owner}/${s.name}`])
  }
  return [...byPath].filter(([, packages]) => packages.length > 1).map(([path, packages]) => [path, packages.sort(compareStrings)])
}

/** The RAW URL of a package's `.json` file. */
export function packageFileUrl(rawBase: string, path: string): string {
  return indexFileUrl(rawBase, `${path}.json`)
}

/** The top 100 by last-week downloads (ties by name), with the number of packages. */
export function popular(entries: readonly PopularEntry[]): { packages: PopularEntry[]; total: number } {
  const top = [...entries]
    .sort((a, b) => b.downloads_week - a.downloads_week || compareStrings(a.name, b.name))
    .slice(0, POPULAR_COUNT)
  return { packages: top, total: entries.length }
}

export function statistics(timestamp: number, totals: Statistics['totals'], root: CompactSeries | null, fallbackStart: string): Statistics {
  return { timestamp, totals, start: root?.start ?? fallbackStart, daily: root?.daily ?? [] }
}

/** One action per package changed in the last 7 days, sorted by time then package. */
export function changesFeed(timestamp: number, changes: readonly ChangeRecord[]): ChangesFeed {
  const since = timestamp - CHANGES_WINDOW_SECONDS
  const actions = changes
    .filter((change) => change.time >= since && namesFit(change.owner, change.repo ?? change.name, change.name))
    .map((change) => ({ type: change.action, package: packagePath(change.owner, change.repo ?? change.name, change.name), time: change.time }))
    .sort((a, b) => a.time - b.time || compareStrings(a.package, b.package))
  return { timestamp, since, actions }
}
