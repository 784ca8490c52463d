/**
 * Every file of the static API (SPEC 10) beside backage's files: per package `PACKAGE.api/…`, per
 * owner and repository `~badges/` and `~history.json`, and the root files. Fed one owner at a time by
 * `renderIndexFiles` (so it streams like the rest of the index), it keeps only the running sums the
 * root files need. Pure: the store's series and changes come in through `ApiOptions`.
 */
import { dayNumber } from '../../store/days.js'
import { historyKey } from '../../store/api-history.js'
import type { ChangeRecord, PackageHistory, PackageSnapshot } from '../../types.js'
import { renderJson } from '../json.js'
import { compareObjects, packageObject, type PackageObject } from '../package-object.js'
import { indexPath, namesFit, type IndexScope } from '../paths.js'
import { aggregateBadges, badgeSvg, packageBadges, type EndpointBadge } from './badges.js'
import { changesFeed, packageFileUrl, packagePath, popular, statistics, type PopularEntry } from './feeds.js'
import { packageSeries, SeriesSum, type CompactSeries } from './history.js'
import { downloadPoints, packageRecord, versionPages } from './package-record.js'
import { pasteBadgesMarkdown, type PasteBadge } from './paste.js'

type ApiFile = [path: string, content: string]

export interface ApiOptions {
  /** RAW of SPEC 10 (`rawBaseUrl`): the base of every URL in the files. */
  rawBase: string
  /** GITHUB_SERVER_URL, for each package's `html_url`. */
  serverUrl: string
  /** The host of `registry-url`, for `docker pull`. */
  registryHost: string
  /** The instance's own owners (repository owner, `owners`, `owners-file`): their badges are also drawn as SVG. */
  svgOwners: readonly string[]
  /** The run's time (epoch seconds): only statistics.json and changes.json show it. */
  timestamp: number
  /** One owner's stored series, keyed by `historyKey(type, name)` (Store.histories). */
  histories: (owner: string) => ReadonlyMap<string, PackageHistory>
  /** The changes log of the last 7 days (Store.changes). */
  changes: readonly ChangeRecord[]
  /** The ready-to-paste badges of the README (`pasteBadges`). */
  paste: readonly PasteBadge[]
}

function* badgeFiles(scope: IndexScope, prefix: string, badges: [string, EndpointBadge][], svg: boolean): Generator<ApiFile> {
  for (const [kind, badge] of badges) {
    yield [indexPath(scope, `${prefix}${kind}.json`), renderJson(badge)]
    if (svg) yield [indexPath(scope, `${prefix}${kind}.svg`), badgeSvg(badge)]
  }
}

/** Downloads, packages and series of a set of packages (an owner, a repository, the root). */
class Aggregate {
  downloads = 0
  packages = 0
  readonly series = new SeriesSum()

  add(object: PackageObject, history: PackageHistory | undefined): void {
    if (object.raw_downloads > 0) this.downloads += object.raw_downloads
    this.packages++
    this.series.add(history, dayNumber(object.date))
  }

  /** `head`: the names the series starts with, in the form of the package files (a repo in its URL form). */
  *files(scope: IndexScope, head: { owner?: string; repo?: string }, svg: boolean, series = this.series.result()): Generator<ApiFile> {
    yield* badgeFiles(scope, '~badges/', aggregateBadges(this.downloads, this.packages), svg)
    if (series !== null) yield [indexPath(scope, '~history.json'), renderJson({ ...head, ...series })]
  }
}

export class ApiFiles {
  private readonly svgOwners: Set<string>
  private readonly root = new Aggregate()
  private readonly names: string[] = []
  private readonly popular: PopularEntry[] = []
  private versions = 0

  constructor(private readonly options: ApiOptions) {
    this.svgOwners = new Set(options.svgOwners.map((login) => login.toLowerCase()))
  }

  /** The files of one owner's packages, repositories and the owner itself. */
  *owner(snapshots: readonly PackageSnapshot[]): Generator<ApiFile> {
    const owner = snapshots[0]?.owner
    if (owner === undefined) return
    const svg = this.svgOwners.has(owner.toLowerCase())
    const histories = this.options.histories(owner)
    // Ranks are not part of these files: objects without them, in the order of SPEC 6.1.
    const items = snapshots
      .filter((s) => namesFit(s.owner, s.repo, s.name))
      .map((snapshot) => ({ snapshot, object: packageObject(snapshot, { owner: 0, repo: 0 }) }))
      .sort((a, b) => compareObjects(a.object, b.object))
    const ownerSum = new Aggregate()
    const repos = new Map<string, { sum: Aggregate; name: string }>()
    const written = new Set<string>()
    for (const { snapshot, object } of items) {
      const path = packagePath(snapshot.owner, snapshot.repo, snapshot.name)
      // Two types of one name in one repo share the file: the first in order keeps it (as 6.1).
      if (written.has(path)) continue
      written.add(path)
      const history = histories.get(historyKey(snapshot.type, snapshot.name))
      yield* this.packageFiles(snapshot, object, history, path, svg)
      ownerSum.add(object, history)
      this.root.add(object, history)
      let repo = repos.get(snapshot.repo)
      if (repo === undefined) repos.set(snapshot.repo, (repo = { sum: new Aggregate(), name: object.repo }))
      repo.sum.add(object, history)
      this.names.push(path)
      this.popular.push({
        name: path,
        type: object.package_type,
        downloads: object.raw_downloads,
        downloads_week: object.raw_downloads_week,
        url: packageFileUrl(this.options.rawBase, path)
      })
      this.versions += object.raw_versions
    }
    yield* ownerSum.files({ owner }, { owner }, svg)
    for (const [repo, { sum, name }] of repos) yield* sum.files({ owner, repo }, { owner, repo: name }, svg)
  }

  private *packageFiles(
    snapshot: PackageSnapshot,
    object: PackageObject,
    history: PackageHistory | undefined,
    path: string,
    svg: boolean
  ): Generator<ApiFile> {
    const scope = { owner: snapshot.owner, repo: snapshot.repo, package: snapshot.name }
    yield* badgeFiles(scope, '.api/badges/', packageBadges(object), svg)
    const series: CompactSeries = packageSeries(history, dayNumber(object.date))
    const head = { package: object.package, owner: object.owner, repo: object.repo, type: object.package_type }
    yield [indexPath(scope, '.api/history.json'), renderJson({ ...head, ...series })]
    yield [indexPath(scope, '.api/package.json'), renderJson(packageRecord(object, snapshot, history, this.options))]
    for (const page of versionPages(object)) yield [indexPath(scope, `.api/versions/page-${page.page}.json`), renderJson(page)]
    for (const [window, point] of downloadPoints(object, history, path)) {
      yield [indexPath(scope, `.api/downloads/${window}.json`), renderJson(point)]
    }
  }

  /** The root files, after every owner: `~badges/`, `~history.json` and the feeds. */
  *rootFiles(counts: { owners: number; repos: number; packages: number }, date: string): Generator<ApiFile> {
    // The root badges are the instance's own: drawn as SVG too.
    const series = this.root.series.result()
    yield* this.root.files({}, {}, true, series)
    const { timestamp } = this.options
    yield ['list.json', renderJson({ packageNames: this.names })]
    yield ['popular.json', renderJson(popular(this.popular))]
    const totals = { ...counts, versions: this.versions, downloads: this.root.downloads }
    yield ['statistics.json', renderJson(statistics(timestamp, totals, series, date))]
    yield ['changes.json', renderJson(changesFeed(timestamp, this.options.changes))]
  }

  /** The README's `<BADGES>` block. */
  readmeBadges(): string {
    return pasteBadgesMarkdown(this.options.paste)
  }
}
