/**
 * The registry-style records of one package (SPEC 10.1): `package.json` (one normalized record),
 * `versions/page-N.json` (all known versions, newest first) and `downloads/last-*.json` (npm's point
 * API shape). Pure: built from the package object (so every number agrees with the package file) and
 * the stored daily series.
 */
import { packagePageUrl } from '../../github/urls.js'
import { dayNumber, dayString } from '../../store/days.js'
import type { Day, PackageHistory, PackageSnapshot, StaleMetric } from '../../types.js'
import type { PackageObject, VersionObject } from '../package-object.js'
import { HISTORY_DAYS } from '../../store/api-history.js'
import { newestBarDay, sumBars } from './history.js'

export const VERSIONS_PAGE_SIZE = 50

export interface VersionRef {
  id: number
  name: string
  tags: string[]
}

export interface PackageRecord {
  name: string
  owner: string
  repo: string
  type: PackageObject['package_type']
  html_url: string
  install: string
  latest: VersionRef | null
  newest: VersionRef | null
  versions: number
  tagged: number
  size: number
  downloads: {
    total: number
    last_day: number
    last_week: number
    last_month: number
    last_year: number
    last_year_complete: boolean
  }
  stale?: Partial<Record<StaleMetric, Day | null>>
  date: Day
}

export interface VersionsPage {
  page: number
  page_size: number
  total: number
  next: number | null
  versions: { id: number; name: string; tags: string[]; downloads: number; size: number; date: Day }[]
}

/** npm's point API shape: `start`/`end` are the days covered. */
export interface DownloadPoint {
  downloads: number
  start: Day
  end: Day
  package: string
}

export const DOWNLOAD_WINDOWS = ['last-day', 'last-week', 'last-month', 'last-year'] as const
export type DownloadWindow = (typeof DOWNLOAD_WINDOWS)[number]
const WINDOW_DAYS: Record<DownloadWindow, number> = { 'last-day': 1, 'last-week': 7, 'last-month': 30, 'last-year': HISTORY_DAYS }

function versionRef(version: VersionObject | undefined): VersionRef | null {
  return version === undefined ? null : { id: version.id, name: version.name, tags: [...version.tags] }
}

/**
 * The install command GitHub's package page shows, with the latest version. Registry names are lower
 * case (docker refuses upper case; npm scopes are lower case); Maven names are `groupId.artifactId`.
 */
export function installCommand(object: PackageObject, name: string, registryHost: string): string {
  const latest = object.version.find((v) => v.latest)
  const owner = object.owner.toLowerCase()
  switch (object.package_type) {
    case 'container': {
      const tag = latest === undefined ? '' : latest.tags.includes('latest') ? ':latest' : latest.tags[0] ? `:${latest.tags[0]}` : `@${latest.name}`
      return `docker pull ${registryHost}/${owner}/${name.toLowerCase()}${tag}`
    }
    case 'npm':
      return `npm install @${owner}/${name}${latest ? `@${latest.name}` : ''}`
    case 'maven': {
      const dot = name.lastIndexOf('.')
      const group = dot > 0 ? name.slice(0, dot) : name
      const artifact = dot > 0 ? name.slice(dot + 1) : name
      return `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId>${latest ? `<version>${latest.name}</version>` : ''}</dependency>`
    }
    case 'nuget':
      return `dotnet add package ${name}${latest ? ` --version ${latest.name}` : ''}`
    case 'rubygems':
      return `gem install ${name}${latest ? ` --version "${latest.name}"` : ''}`
  }
}

/** The chart days the windows cover: ending on the newest stored bar, else on the package's date. */
function windowEnd(object: PackageObject, history: PackageHistory | undefined): number {
  return newestBarDay(history) ?? dayNumber(object.date)
}

/** Downloads of the last 365 chart days (known bars summed; −1 with none) and whether all 365 had a bar. */
export function lastYear(object: PackageObject, history: PackageHistory | undefined): { downloads: number; complete: boolean } {
  const end = windowEnd(object, history)
  const { sum, days } = sumBars(history, end - HISTORY_DAYS + 1, end)
  return { downloads: days === 0 ? -1 : sum, complete: days === HISTORY_DAYS }
}

export interface RecordContext {
  serverUrl: string
  registryHost: string
}

export function packageRecord(
  object: PackageObject,
  snapshot: PackageSnapshot,
  history: PackageHistory | undefined,
  context: RecordContext
): PackageRecord {
  const year = lastYear(object, history)
  const record: PackageRecord = {
    name: object.package,
    owner: object.owner,
    repo: object.repo,
    type: object.package_type,
    html_url: packagePageUrl(context.serverUrl, {
      ownerType: snapshot.ownerType,
      owner: snapshot.owner,
      type: snapshot.type,
      name: snapshot.name,
      repo: null
    }),
    install: installCommand(object, snapshot.name, context.registryHost),
    latest: versionRef(object.version.find((v) => v.latest)),
    newest: versionRef(object.version.find((v) => v.newest)),
    versions: object.raw_versions,
    tagged: object.raw_tagged,
    size: object.raw_size,
    downloads: {
      total: object.raw_downloads,
      last_day: object.raw_downloads_day,
      last_week: object.raw_downloads_week,
      last_month: object.raw_downloads_month,
      last_year: year.downloads,
      last_year_complete: year.complete
    },
    date: object.date
  }
  if (object.stale) {
    // `stale` sits before `date` (SPEC 10.1 key order).
    const { date, ...rest } = record
    return { ...rest, stale: { ...object.stale }, date }
  }
  return record
}

/** Every version, newest first, 50 a page; a package without versions has one empty page. */
export function versionPages(object: PackageObject): VersionsPage[] {
  const newestFirst = [...object.version].sort((a, b) => b.id - a.id)
  const count = Math.max(1, Math.ceil(newestFirst.length / VERSIONS_PAGE_SIZE))
  return Array.from({ length: count }, (_, i) => ({
    page: i + 1,
    page_size: VERSIONS_PAGE_SIZE,
    total: newestFirst.length,
    next: i + 1 < count ? i + 2 : null,
    versions: newestFirst.slice(i * VERSIONS_PAGE_SIZE, (i + 1) * VERSIONS_PAGE_SIZE).map((v) => ({
      id: v.id,
      name: v.name,
      tags: [...v.tags],
      downloads: v.raw_downloads,
      size: v.raw_size,
      date: v.date
    }))
  }))
}

/** The four download points; `packagePath` is the package's `OWNER/REPO/PACKAGE` as in list.json. */
export function downloadPoints(object: PackageObject, history: PackageHistory | undefined, packagePath: string): [DownloadWindow, DownloadPoint][] {
  const end = windowEnd(object, history)
  const values: Record<DownloadWindow, number> = {
    'last-day': object.raw_downloads_day,
    'last-week': object.raw_downloads_week,
    'last-month': object.raw_downloads_month,
    'last-year': lastYear(object, history).downloads
  }
  return DOWNLOAD_WINDOWS.map((window) => [
    window,
    { downloads: values[window], start: dayString(end - WINDOW_DAYS[window] + 1), end: dayString(end), package: packagePath }
  ])
}
