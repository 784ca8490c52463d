/**
 * The shared vocabulary of the pipeline: what the scrapers read, what the store keeps and what the
 * renderer publishes. Pure types (and two tiny constants); no I/O.
 */

export const PACKAGE_TYPES = ['container', 'npm', 'maven', 'nuget', 'rubygems'] as const
export type PackageType = (typeof PACKAGE_TYPES)[number]

/** The path segment github.com uses for an owner: `/users/NAME/...` or `/orgs/NAME/...`. */
export type OwnerType = 'users' | 'orgs'

export function isPackageType(value: string): value is PackageType {
  return (PACKAGE_TYPES as readonly string[]).includes(value)
}

/** A UTC calendar day, `YYYY-MM-DD`. */
export type Day = string

/** The UTC day of an instant. */
export function utcDay(date: Date): Day {
  return date.toISOString().slice(0, 10)
}

/** Identity of a package. `name` is the name as GitHub shows it (a `/` stays a `/`); urls.ts encodes it. */
export interface PackageRef {
  ownerType: OwnerType
  owner: string
  type: PackageType
  name: string
  /** The linked repository's name (not `owner/repo`), or null when the package has none. */
  repo: string | null
}

/** One bar of the 30-day chart on a package page. */
export interface DailyCount {
  date: Day
  count: number
}

/** Downloads in the trailing windows, derived from the 30-day chart. -1 = unknown. */
export interface DownloadWindows {
  day: number
  week: number
  month: number
}

/** One row of a versions list (or of the "recent tagged versions" box of a package page). */
export interface VersionRow {
  id: number
  /** The version name: a semver for npm/maven/..., the digest (`sha256:...`) for containers. */
  name: string
  tags: string[]
  downloads: number
}

/** Sizes of one container image version: headline size and per-platform sizes (`linux/amd64`). */
export interface ImageSize {
  size: number
  platforms: Record<string, number>
}

/**
 * One line of `optout.txt`: a whole owner, one repository (the published folder: a package without a
 * repository is its own folder), or one package of it. Names compare case-insensitively.
 */
export interface OptOutRule {
  owner: string
  repo?: string
  /** The package name as GitHub shows it (`xacc/alpine`; the file may say `xacc%2Falpine`). */
  package?: string
}

// ---- parser outputs (src/github/pages/*) ----

/** A listing entry; `downloads`: the count the listing shows for it, when one was read (SPEC 13.1). */
export type ListingEntry = PackageRef & { downloads?: { low: number; high: number } }

export interface ListingPage {
  /** Entries of the owner being listed, each validated (SPEC 12); other owners' links are ignored. */
  entries: ListingEntry[]
  /**
   * Links shaped like entries that could not be read or validated (an owner that is no login, a bad
   * name, an unknown type): the listing is then incomplete, so nothing is retired on its evidence.
   */
  unreadable: { href: string; reason: string }[]
  /** Paths of this owner's legacy entries `/OWNER/REPO/packages/ID`: counted, not read. */
  legacy: string[]
  /** Entry links of other owners, ignored (they still take a place on the page). */
  others: number
  /** The count stated on the page (`N packages`): for this page or for the whole listing. */
  declaredCount: number
  /** Highest page number linked from the pager, null when there is no pager. */
  totalPages: number | null
}

export interface PackagePage {
  /** Exact total downloads (from `title`, never the rounded text). */
  total: number
  /** The 30 days of the chart, oldest first. */
  daily: DailyCount[]
  /** ISO-8601 UTC (`...Z`), or null when the page does not show it. */
  lastPublished: string | null
  /** Up to 5 recent tagged versions shown on the page. */
  recent: VersionRow[]
  /**
   * Parts of the page that were not understood although the total was (the chart, the recent box):
   * the total still counts (SPEC 6.2), the part's metrics stay stale. Empty or absent: none.
   * A chart not understood leaves `daily` empty; a recent box not understood leaves `recent` empty.
   */
  problems?: { marker: string; detail: string }[]
}

export interface VersionsPage {
  rows: VersionRow[]
  /** Stated totals of the filter toggles (`1,862 tagged`), null when absent. */
  tagged: number | null
  untagged: number | null
  /** From `data-total-pages` in the pager; null when there is no pager (a single page). */
  totalPages: number | null
}

/**
 * A page whose layout the parser does not recognise. Never turned into a zero: the package is
 * marked stale and keeps its previous numbers (SPEC 5.3).
 */
export class NotUnderstood extends Error {
  constructor(
    readonly page: string,
    readonly marker: string,
    detail = ''
  ) {
    super(`page not understood: ${page}: marker "${marker}"${detail ? `: ${detail}` : ''}`)
    this.name = 'NotUnderstood'
  }
}

// ---- what the refresh stage hands to the store ----

/** Metrics that can be stale (SPEC 6.2), named as in the published `stale` object. */
export type StaleMetric = 'downloads' | 'downloads_month' | 'downloads_week' | 'downloads_day' | 'size'

export interface VersionObservation {
  id: number
  name: string
  tags: string[]
  downloads: number
  /** Per-version windows when known (version page), else undefined = keep/unknown. */
  windows?: DownloadWindows
  /** Image size when it was fetched in this refresh (never refetched once known). */
  size?: ImageSize
}

/** Everything one refresh of one package learned. Null numbers were not understood (stale). */
export interface PackageRefresh {
  ref: PackageRef
  ownerId: number
  /** UTC day the numbers were read (a second read the same day replaces the first). */
  day: Day
  /** ISO time of the refresh. */
  at: string
  downloads: number | null
  windows: DownloadWindows | null
  lastPublished: string | null
  /** Versions read in this refresh (a subset when the package has many). */
  versions: VersionObservation[]
  /** True when `versions` is the complete list: versions not in it are gone. */
  versionsComplete: boolean
  /** Total version count stated by GitHub (tagged + untagged), when known. */
  versionCount: number | null
  /** Cursor for the rotating deep versions page (SPEC 5.6), stored for the next refresh. */
  versionsCursor: number
  /**
   * When the current rotation over the deep versions pages began (ISO time), kept in the store for
   * the next refresh; null when no valid pass is in progress (a page of it was not understood).
   */
  versionsPassStartedAt: string | null
  /**
   * True when this refresh ended a full pass over every versions page, each one understood: the
   * package's versions not seen since `versionsPassStartedAt` are gone (SPEC 5.6).
   */
  versionsPassComplete: boolean
  /** Why metrics are stale: page URL and marker, for the log and the job summary. */
  problems: { page: string; marker: string }[]
  /** The 30-day chart as read (empty or absent when not understood), kept per day for history.json (SPEC 10.1). */
  chart?: DailyCount[]
  /** The package was quiet (SPEC 13.1): counted for the rotation of its versions list. */
  quiet?: boolean
  /**
   * Days a listing's confirmation derived (SPEC 13.1): 0 downloads each, stored only where no chart
   * covered the day yet (a later chart replaces them, SPEC 10.1).
   */
  derived?: DailyCount[]
}

// ---- what the store hands to the renderer ----

export interface VersionSnapshot {
  id: number
  name: string
  /** Day of this version's numbers. */
  date: Day
  size: number
  downloads: number
  downloadsMonth: number
  downloadsWeek: number
  downloadsDay: number
  tags: string[]
}

export interface PackageSnapshot {
  ownerType: OwnerType
  type: PackageType
  ownerId: number
  owner: string
  /** The repo folder: the repository name, or the package name when it has none. */
  repo: string
  /** The package name as in GitHub's own display (a `/` stays a `/`). */
  name: string
  /** Day the numbers shown were read. */
  date: Day
  downloads: number
  downloadsMonth: number
  downloadsWeek: number
  downloadsDay: number
  versions: VersionSnapshot[]
  /**
   * Metrics not understood in the latest refresh, with the day of the number kept, or null when no
   * number was ever read (the value is then -1) (SPEC 12). Empty: not stale.
   */
  stale: Partial<Record<StaleMetric, Day | null>>
}

// ---- what the store hands to the static API of SPEC 10 ----

/**
 * A package's stored series, as day numbers (whole days since 1970-01-01, store/days.ts), oldest
 * first, limited to the 365 days ending on its newest known day. `priorTotal` is the newest total
 * before that window (null: none), so aggregates can carry a total forward into it.
 */
export interface PackageHistory {
  bars: readonly (readonly [day: number, count: number])[]
  totals: readonly (readonly [day: number, total: number])[]
  priorTotal: number | null
}

/** One row of the changes log (changes.json): the latest change of a package; `time` in epoch seconds. */
export interface ChangeRecord {
  action: 'update' | 'delete'
  owner: string
  /** The repo folder as stored: the repository name, or null for a package without one. */
  repo: string | null
  name: string
  type: PackageType
  time: number
}
