/**
 * The typed world the fake GitHub serves: owners, their packages and versions, the repository the
 * action runs in, and who stars/watches/forks/follows. Shared by tests, `npm run demo` and the bench.
 */
import type { DailyCount, PackageType } from '../src/types.js'

export interface ScenarioImagePlatform {
  /** `linux/amd64`, `linux/arm64`, ... */
  platform: string
  /** Compressed layer sizes in bytes (their sum is the image size). */
  layers: number[]
}

export interface ScenarioImage {
  /** One entry: a single-platform manifest; several: an OCI index. */
  platforms: ScenarioImagePlatform[]
  /** Add an attestation manifest (`unknown/unknown`) to the index, which must not be counted. */
  attestation?: boolean
}

export interface ScenarioVersion {
  id: number
  /** Semver for npm/maven/nuget/rubygems; for containers the digest `sha256:...`. */
  name: string
  tags: string[]
  downloads: number
  /** Container image served by the registry for this version (containers only). */
  image?: ScenarioImage
}

export interface ScenarioPackage {
  type: PackageType
  /** Name as GitHub shows it; may contain `/` (URL form `%2F`). */
  name: string
  /** Repository name within the owner, or null for a package without a repository. */
  repo: string | null
  /** Exact total downloads (page `title`). */
  total: number
  /** The 30-day chart, oldest first, 30 entries. */
  daily: DailyCount[]
  /** ISO time with any offset; the page shows it with a Pacific offset. */
  lastPublished: string
  versions: ScenarioVersion[]
  /** Private packages do not appear on listings, their pages answer 404 and the registry 401. */
  private?: boolean
}

export interface ScenarioOwner {
  login: string
  id: number
  type: 'User' | 'Organization'
  packages: ScenarioPackage[]
  /** Logins following this owner (users and orgs both). */
  followers?: string[]
  /** Organizations this user belongs to (visible memberships). */
  orgs?: string[]
}

export interface Scenario {
  /** The repository the action runs in (`GITHUB_REPOSITORY`). */
  repository: { owner: string; name: string }
  owners: ScenarioOwner[]
  stargazers: string[]
  watchers: string[]
  forks: string[]
  /** GitHub's 2026 restriction: stargazer and watcher lists answer 403 to non-collaborators. */
  restrictStarsAndWatchers?: boolean
  /** The "today" of the fake world (UTC day of the last chart bar), `YYYY-MM-DD`. */
  today: string
  /**
   * What owner listings show of each package's downloads (SPEC 13.1): `abbreviated` text as
   * github.com prints it (`9.49k downloads`, exact below 1,000; the default), `title`: the same with
   * the exact number in a `title` attribute, or `none`: no counts at all.
   */
  listingCounts?: 'none' | 'abbreviated' | 'title'
}
