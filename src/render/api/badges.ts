/**
 * Badges of the static API (SPEC 10.1, 10.2): the shields endpoint JSON of each badge, and the same
 * badge drawn as SVG by shields' own `badge-maker` (flat style), so the two can never disagree on
 * label, message or color. Pure: package objects in, badge records and file text out.
 */
import { makeBadge } from 'badge-maker'
import type { PackageType, StaleMetric } from '../../types.js'
import { formatCount } from '../format.js'
import type { PackageObject } from '../package-object.js'

/** The shields endpoint schema (keys in this order). Aggregate badges have no `namedLogo`. */
export interface EndpointBadge {
  schemaVersion: 1
  label: string
  message: string
  color: 'blue' | 'lightgrey'
  namedLogo?: string
  cacheSeconds: 3600
}

/** File names (without extension) of a package's badges; `size` only for containers. */
export const PACKAGE_BADGES = ['downloads', 'month', 'week', 'day', 'versions', 'version', 'size'] as const
export type PackageBadgeKind = (typeof PACKAGE_BADGES)[number]

/** File names (without extension) of the owner, repository and root badges. */
export const AGGREGATE_BADGES = ['downloads', 'packages'] as const

/** Shields' simple-icons names for each package type. */
export const NAMED_LOGOS: Record<PackageType, string> = {
  container: 'docker',
  npm: 'npm',
  maven: 'apachemaven',
  nuget: 'nuget',
  rubygems: 'rubygems'
}

const UNKNOWN = 'unknown'

/** A metric's badge: grey when its number is carried over (stale, message kept) or unknown (−1). */
function metricBadge(object: PackageObject, label: string, raw: number, formatted: string, metric: StaleMetric): EndpointBadge {
  const known = raw >= 0
  const grey = !known || object.stale?.[metric] !== undefined
  return badge(label, known ? formatted : UNKNOWN, grey ? 'lightgrey' : 'blue', NAMED_LOGOS[object.package_type])
}

function badge(label: string, message: string, color: EndpointBadge['color'], namedLogo?: string): EndpointBadge {
  return { schemaVersion: 1, label, message, color, ...(namedLogo === undefined ? {} : { namedLogo }), cacheSeconds: 3600 }
}

/** The `latest` badge's message: the latest version's first tag other than `latest`, else its name. */
function latestMessage(object: PackageObject): string | null {
  const latest = object.version.find((v) => v.latest)
  if (latest === undefined) return null
  return latest.tags.find((tag) => tag !== 'latest') ?? latest.name
}

/** Every badge of one package, in `PACKAGE_BADGES` order (`size` for containers only). */
export function packageBadges(object: PackageObject): [PackageBadgeKind, EndpointBadge][] {
  const logo = NAMED_LOGOS[object.package_type]
  const latest = latestMessage(object)
  const badges: [PackageBadgeKind, EndpointBadge][] = [
    ['downloads', metricBadge(object, 'downloads', object.raw_downloads, object.downloads, 'downloads')],
    ['month', metricBadge(object, 'downloads/month', object.raw_downloads_month, object.downloads_month, 'downloads_month')],
    ['week', metricBadge(object, 'downloads/week', object.raw_downloads_week, object.downloads_week, 'downloads_week')],
    ['day', metricBadge(object, 'downloads/day', object.raw_downloads_day, object.downloads_day, 'downloads_day')],
    // The versions array is always known; `versions` and `latest` are grey only when unknown.
    ['versions', badge('versions', object.versions, 'blue', logo)],
    ['version', latest === null ? badge('latest', UNKNOWN, 'lightgrey', logo) : badge('latest', latest, 'blue', logo)]
  ]
  if (object.package_type === 'container') {
    badges.push(['size', metricBadge(object, 'image size', object.raw_size, object.size, 'size')])
  }
  return badges
}

/** The `downloads` and `packages` badges over a set of packages (owner, repository, root): always blue. */
export function aggregateBadges(downloads: number, packages: number): [(typeof AGGREGATE_BADGES)[number], EndpointBadge][] {
  return [
    ['downloads', badge('downloads', formatCount(downloads), 'blue')],
    ['packages', badge('packages', formatCount(packages), 'blue')]
  ]
}

/** The badge drawn by shields' own renderer, flat style, with the endpoint's label, message and color. */
export function badgeSvg(endpoint: EndpointBadge): string {
  return `${makeBadge({ label: endpoint.label, message: endpoint.message, color: endpoint.color, style: 'flat' })}\n`
}
