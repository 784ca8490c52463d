/**
 * Ready-to-paste badges (SPEC 10.3): for the repository owner's packages (up to 20, by downloads),
 * the endpoint badge in Markdown, the SVG badge URL and the JSON URL. One list serves the job summary,
 * the index README (`<BADGES>`) and `npm run demo`. Pure.
 */
import type { PackageSnapshot } from '../../types.js'
import { indexFileUrl, indexPath, namesFit } from '../paths.js'
import { compareStrings } from '../package-object.js'
import { packagePath } from './feeds.js'

export const PASTE_LIMIT = 20

/** Shields draws endpoint badges from raw.githubusercontent.com (it refuses github.com hosts). */
export const SHIELDS_ENDPOINT = 'https://img.shields.io/endpoint?url='

export interface PasteBadge {
  /** `OWNER/REPO/PACKAGE` as in list.json. */
  package: string
  markdown: string
  svgUrl: string
  jsonUrl: string
}

/** The downloads badges of `owner`'s packages, most downloaded first (ties by path), one per package file. */
export function pasteBadges(snapshots: readonly PackageSnapshot[], owner: string, rawBase: string, limit = PASTE_LIMIT): PasteBadge[] {
  const byPath = new Map<string, PackageSnapshot>() // two types of one name share a file: one badge
  for (const s of snapshots) {
    if (s.owner.toLowerCase() !== owner.toLowerCase() || !namesFit(s.owner, s.repo, s.name)) continue
    const path = packagePath(s.owner, s.repo, s.name)
    if ((byPath.get(path)?.downloads ?? -Infinity) < s.downloads) byPath.set(path, s)
  }
  const mine = [...byPath]
    .sort(([pathA, a], [pathB, b]) => b.downloads - a.downloads || compareStrings(pathA, pathB))
    .slice(0, limit)
  return mine.map(([path, snapshot]) => {
    const scope = { owner: snapshot.owner, repo: snapshot.repo, package: snapshot.name }
    const jsonUrl = indexFileUrl(rawBase, indexPath(scope, '.api/badges/downloads.json'))
    return {
      package: path,
      markdown: `![downloads](${SHIELDS_ENDPOINT}${encodeURIComponent(jsonUrl)})`,
      svgUrl: indexFileUrl(rawBase, indexPath(scope, '.api/badges/downloads.svg')),
      jsonUrl
    }
  })
}

/** The list as Markdown: each package with its badge drawn, then the three things to paste. */
export function pasteBadgesMarkdown(badges: readonly PasteBadge[]): string {
  if (badges.length === 0) return '_No packages of the repository owner are indexed yet._\n'
  return badges
    .map((b) => [`- \`${b.package}\` ${b.markdown}`, `  - Markdown: \`${b.markdown}\``, `  - SVG: ${b.svgUrl}`, `  - JSON: ${b.jsonUrl}`].join('\n'))
    .join('\n')
    .concat('\n')
}
