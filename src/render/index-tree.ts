/**
 * Every file of the index branch (SPEC 6.1) from the store's snapshots. Pure: path → content,
 * produced owner by owner (`renderIndexFiles`) so an index of any size streams to git or disk.
 * Each package is serialised once (JSON and XML) and the pieces are reused by its package, repo
 * and owner files, which keeps 100,000 packages cheap. Every path comes from `indexPath` (SPEC 6.4),
 * so no name can replace another file or leave the tree; the objects keep the URL form (6.2).
 */
import type { PackageSnapshot } from '../types.js'
import { FILE_SIZE_LIMIT, fitToBudget, type RenderedTwin } from './budget.js'
import { formatCount } from './format.js'
import { renderJson, renderJsonArrayOf } from './json.js'
import { compareObjects, compareStrings, packageObjects, type PackageObject } from './package-object.js'
import { INDEX_MARKER, INDEX_MARKER_CONTENT, indexPath, namesFit, type IndexScope } from './paths.js'
import { renderReadme } from './readme.js'
import { siteFiles } from '../site/files.js'
import { ApiFiles, type ApiOptions } from './api/files.js'
import { renderXml, renderXmlArray, renderXmlArrayOf, renderXmlDocumentOf, xmlMembers } from './xml.js'

export interface RenderIndexOptions {
  /** The run day (`YYYY-MM-DD`), shown only in the root files and the README. */
  date: string
  /** The built-in template (`DEFAULT_README_TEMPLATE`) or the workspace's `.backage/README.md`. */
  readmeTemplate: string
  /** Where the index is published (GITHUB_SERVER_URL and the repository), for the README's URLs. */
  placeholders: { serverUrl: string; owner: string; repo: string; branch: string }
  /** Bytes every file must stay below (SPEC 6.3); a parameter so tests can use a small one. */
  sizeLimit?: number
  /** Told once per package left out because a name of it does not fit a file name (SPEC 6.4). */
  onSkipped?: (snapshot: PackageSnapshot) => void
  /** The static API of SPEC 10 beside backage's files; absent: backage's files only. */
  api?: ApiOptions
  /**
   * Owners whose folders are not rendered because their data did not change: the publish keeps
   * those folders from the previous tree (`publishIndex`'s `keep`, SPEC 13.3). They still count.
   */
  skipOwners?: ReadonlySet<string>
}

/** The folder that holds every file of an owner (what `publishIndex` keeps for a skipped owner). */
export function ownerFolder(owner: string): string {
  return indexPath({ owner }, '.json').split('/')[0] ?? owner
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

/** One file of the index: path (relative, `/`-separated) and content. */
export type IndexFile = [path: string, content: string]

interface Rendered {
  object: PackageObject
  snapshot: PackageSnapshot
  json: string
  xml: string
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

/** An aggregate (a root array of packages) as its `.json` and `.xml` files, trimmed to the size budget when needed. */
function* aggregateFiles(scope: IndexScope, members: readonly Rendered[], limit: number): Generator<IndexFile> {
  let twin: RenderedTwin = {
    json: renderJsonArrayOf(members.map((m) => m.json)),
    xml: renderXmlArrayOf(members.map((m) => m.xml))
  }
  if (overLimit(twin, limit)) twin = fitToBudget(members.map((m) => m.object), renderTwinArray, limit)
  yield [indexPath(scope, '.json'), twin.json]
  yield [indexPath(scope, '.xml'), twin.xml]
}

/**
 * One owner's files: its package files, then its owner file, then its repo files. Ranks are within
 * the owner and within the owner's repos, so one owner's snapshots are all that is needed. Paths
 * come from the names as GitHub gave them (`indexPath`); the objects keep their URL forms (6.2).
 * Returns the number of repo folders of the owner.
 */
function* ownerFiles(snapshots: readonly PackageSnapshot[], limit: number): Generator<IndexFile, number> {
  const objects = packageObjects(snapshots)
  const rendered: Rendered[] = snapshots
    .map((snapshot, i) => ({ snapshot, object: objects[i] as PackageObject }))
    .sort((a, b) => compareObjects(a.object, b.object))
    .map(({ object, snapshot }) => ({ object, snapshot, json: JSON.stringify(object), xml: xmlMembers(object) }))
  const byRepo = new Map<string, { scope: IndexScope; items: Rendered[] }>()
  const written = new Set<string>()
  for (const item of rendered) {
    const { owner, repo, name } = item.snapshot
    const repoScope: IndexScope = { owner, repo }
    const repoKey = indexPath(repoScope, '.json')
    const group = byRepo.get(repoKey)
    if (group) group.items.push(item)
    else byRepo.set(repoKey, { scope: repoScope, items: [item] })

    const jsonPath = indexPath({ owner, repo, package: name }, '.json')
    // Two types of one package name in one repo share the path: the first in order keeps it.
    if (written.has(jsonPath)) continue
    written.add(jsonPath)
    let twin: RenderedTwin = { json: `${item.json}\n`, xml: renderXmlDocumentOf(item.xml) }
    if (overLimit(twin, limit)) twin = fitToBudget([item.object], renderTwinSingle, limit)
    yield [jsonPath, twin.json]
    yield [indexPath({ owner, repo, package: name }, '.xml'), twin.xml]
  }
  const owner = rendered[0]?.snapshot.owner
  if (owner !== undefined) yield* aggregateFiles({ owner }, rendered, limit)
  for (const { scope, items } of byRepo.values()) yield* aggregateFiles(scope, items, limit)
  return byRepo.size
}

/**
 * Every file of the index branch, one at a time: path (relative, `/`-separated) and content.
 * Owners come in order, each rendered on its own and then let go, so memory holds one owner's
 * files at most, whatever the size of the index; the root files and the README come last.
 * Each path is yielded once.
 */
export function* renderIndexFiles(all: readonly PackageSnapshot[], options: RenderIndexOptions): Generator<IndexFile> {
  const limit = options.sizeLimit ?? FILE_SIZE_LIMIT
  const snapshots = all.filter((snapshot) => {
    if (namesFit(snapshot.owner, snapshot.repo, snapshot.name)) return true
    options.onSkipped?.(snapshot)
    return false
  })
  const byOwner = new Map<string, PackageSnapshot[]>()
  for (const snapshot of snapshots) {
    const group = byOwner.get(snapshot.owner)
    if (group) group.push(snapshot)
    else byOwner.set(snapshot.owner, [snapshot])
  }
  let repos = 0
  const api = options.api && new ApiFiles(options.api)
  for (const owner of [...byOwner.keys()].sort(compareStrings)) {
    if (options.skipOwners?.has(owner)) {
      repos += new Set((byOwner.get(owner) ?? []).map(({ repo }) => indexPath({ owner, repo }, '.json'))).size
      // The root feeds and series of SPEC 10 sum over every owner: the skipped one is still counted.
      if (api) for (const _file of api.owner(byOwner.get(owner) ?? [])) void _file
      continue
    }
    repos += yield* ownerFiles(byOwner.get(owner) ?? [], limit)
    if (api) yield* api.owner(byOwner.get(owner) ?? [])
  }

  const counts: IndexCounts = {
    owners: formatCount(byOwner.size),
    repos: formatCount(repos),
    packages: formatCount(snapshots.length),
    raw_owners: byOwner.size,
    raw_repos: repos,
    raw_packages: snapshots.length,
    date: options.date
  }
  yield [indexPath({}, '.json'), renderJson(counts)]
  yield [indexPath({}, '.xml'), renderXml(counts)]
  if (api) yield* api.rootFiles({ owners: counts.raw_owners, repos: counts.raw_repos, packages: counts.raw_packages }, options.date)
  yield [
    indexPath({}, 'README.md'),
    renderReadme(options.readmeTemplate, {
      ...options.placeholders,
      owners: counts.owners,
      repos: counts.repos,
      packages: counts.packages,
      rawOwners: counts.raw_owners,
      rawRepos: counts.raw_repos,
      rawPackages: counts.raw_packages,
      date: options.date,
      badges: api?.readmeBadges()
    })
  ]
  yield [indexPath({}, '.nojekyll'), '']
  yield [indexPath({}, INDEX_MARKER), INDEX_MARKER_CONTENT]
  yield* siteFiles(options.placeholders)
}

/**
 * Every file of the index branch in memory: path → content. Fine for tests and small indexes;
 * publishing streams `renderIndexFiles` instead (100,000 packages make 1.5 GB of text).
 */
export function renderIndex(snapshots: readonly PackageSnapshot[], options: RenderIndexOptions): Map<string, string> {
  return new Map(renderIndexFiles(snapshots, options))
}
