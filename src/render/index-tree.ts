/**
 * Every file of the index branch (SPEC 6.1) from the store's snapshots. Pure: path → content.
 * Each package is serialised once (JSON and XML) and the pieces are reused by its package, repo
 * and owner files, which keeps 100,000 packages cheap.
 */
import type { PackageSnapshot } from '../types.js'
import { FILE_SIZE_LIMIT, fitToBudget, type RenderedTwin } from './budget.js'
import { formatCount } from './format.js'
import { renderJson, renderJsonArrayOf } from './json.js'
import { packageObjects, type PackageObject } from './package-object.js'
import { renderReadme } from './readme.js'
import { renderXml, renderXmlArray, renderXmlArrayOf, renderXmlDocumentOf, xmlMembers } from './xml.js'

export interface RenderIndexOptions {
  /** The run day (`YYYY-MM-DD`), shown only in the root files and the README. */
  date: string
  /** The built-in template (`DEFAULT_README_TEMPLATE`) or the workspace's `.backage/README.md`. */
  readmeTemplate: string
  /** Where the index is published, for the README's URLs. */
  placeholders: { owner: string; repo: string; branch: string }
  /** Bytes every file must stay below (SPEC 6.3); a parameter so tests can use a small one. */
  sizeLimit?: number
}

/** The root `.json`/`.xml` object (key order as in SPEC 6.1). */
export interface IndexCounts {
  owners: string
  repos: string
  packages: string
  raw_owners: number
  raw_repos: number
  raw_packages: number
  date: string
}

interface Rendered {
  object: PackageObject
  json: string
  xml: string
}

/** Plain code-unit comparison (not localeCompare), so the order is the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareObjects(a: PackageObject, b: PackageObject): number {
  return (
    compareStrings(a.owner, b.owner) ||
    compareStrings(a.repo, b.repo) ||
    compareStrings(a.package_type, b.package_type) ||
    compareStrings(a.package, b.package)
  )
}

function renderTwinArray(objects: readonly PackageObject[]): RenderedTwin {
  return { json: renderJson(objects), xml: renderXmlArray(objects) }
}

function renderTwinSingle(objects: readonly PackageObject[]): RenderedTwin {
  const object = objects[0]
  return { json: renderJson(object), xml: object ? renderXml(object) : renderXmlDocumentOf('') }
}

function overLimit(twin: RenderedTwin, limit: number): boolean {
  // A string never takes more UTF-8 bytes than 3 per UTF-16 unit: skip the count when clearly small.
  const big = (text: string): boolean => text.length * 3 >= limit && Buffer.byteLength(text, 'utf8') >= limit
  return big(twin.json) || big(twin.xml)
}

/** Adds an aggregate (a root array of packages), trimmed to the size budget when needed. */
function addAggregate(files: Map<string, string>, base: string, members: readonly Rendered[], limit: number): void {
  let twin: RenderedTwin = {
    json: renderJsonArrayOf(members.map((m) => m.json)),
    xml: renderXmlArrayOf(members.map((m) => m.xml))
  }
  if (overLimit(twin, limit)) twin = fitToBudget(members.map((m) => m.object), renderTwinArray, limit)
  files.set(`${base}.json`, twin.json)
  files.set(`${base}.xml`, twin.xml)
}

/** Renders every file of the index branch: path (relative, `/`-separated) → content. */
export function renderIndex(snapshots: readonly PackageSnapshot[], options: RenderIndexOptions): Map<string, string> {
  const limit = options.sizeLimit ?? FILE_SIZE_LIMIT
  const rendered: Rendered[] = packageObjects(snapshots)
    .sort(compareObjects)
    .map((object) => ({ object, json: JSON.stringify(object), xml: xmlMembers(object) }))

  const files = new Map<string, string>()
  const byOwner = new Map<string, Rendered[]>()
  const byRepo = new Map<string, Rendered[]>()
  for (const item of rendered) {
    const { owner, repo } = item.object
    const ownerItems = byOwner.get(owner) ?? []
    ownerItems.push(item)
    byOwner.set(owner, ownerItems)
    const repoPath = `${owner}/${repo}`
    const repoItems = byRepo.get(repoPath) ?? []
    repoItems.push(item)
    byRepo.set(repoPath, repoItems)

    const path = `${repoPath}/${item.object.package}`
    // Two types of one package name in one repo share the path: the first in order keeps it.
    if (files.has(`${path}.json`)) continue
    let twin: RenderedTwin = { json: `${item.json}\n`, xml: renderXmlDocumentOf(item.xml) }
    if (overLimit(twin, limit)) twin = fitToBudget([item.object], renderTwinSingle, limit)
    files.set(`${path}.json`, twin.json)
    files.set(`${path}.xml`, twin.xml)
  }
  for (const [owner, items] of byOwner) addAggregate(files, `${owner}/`, items, limit)
  for (const [repoPath, items] of byRepo) addAggregate(files, `${repoPath}/`, items, limit)

  const counts: IndexCounts = {
    owners: formatCount(byOwner.size),
    repos: formatCount(byRepo.size),
    packages: formatCount(rendered.length),
    raw_owners: byOwner.size,
    raw_repos: byRepo.size,
    raw_packages: rendered.length,
    date: options.date
  }
  files.set('.json', renderJson(counts))
  files.set('.xml', renderXml(counts))
  files.set(
    'README.md',
    renderReadme(options.readmeTemplate, {
      ...options.placeholders,
      owners: counts.owners,
      repos: counts.repos,
      packages: counts.packages,
      rawOwners: counts.raw_owners,
      rawRepos: counts.raw_repos,
      rawPackages: counts.raw_packages,
      date: options.date
    })
  )
  files.set('.nojekyll', '')
  return files
}
