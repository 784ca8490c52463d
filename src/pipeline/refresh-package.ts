/**
 * Refreshing one package (SPEC 5.6): at most 4 page requests whatever its version count — the
 * package page, versions-list page 1, tagged page 1 when tagged versions exist beyond list page 1,
 * and one deeper list page in rotation — plus up to 3 registry lookups for unsized images. A quiet
 * package (SPEC 13.1: the page shows the stored total and no unknown newest version) costs only its
 * package page, except on its rotation turn (src/domain/quiet.ts).
 *
 * Version pages (`.../PKG/VERSION_ID`) are never fetched: every field of the package object
 * (SPEC 6.2) comes from the package page and the lists, and per-version windows may be -1.
 */
import type { Http, ImageSizer } from '../ports.js'
import {
  utcDay,
  type PackageRef,
  type PackageRefresh,
  type VersionObservation,
  type PackagePage,
  type VersionRow
} from '../types.js'
import { packagePageUrl, versionsUrl } from '../github/urls.js'
import { parsePackagePage } from '../github/pages/package.js'
import { parseVersionsPage, VERSIONS_PAGE_SIZE } from '../github/pages/versions.js'
import { windowsFromDaily } from '../github/pages/count.js'
import { fetchPage } from './page-fetch.js'
import { versionsPlan, type QuietState, type RotationBudget } from '../domain/quiet.js'
import { pageFacts, quietDecision, versionsKept } from './quiet-read.js'
import { addRows, isLastPage, rowsAsStated, statedCount, understood, type Problem, type ReadVersionsPage } from './versions-checks.js'
import { sizeNewestUnsized } from './size-images.js'

/** The first deep page of the rotation (page 1 is read on every refresh anyway). */
const FIRST_DEEP_PAGE = 2

export interface PackageRefreshContext {
  http: Http
  sizer: ImageSizer
  serverUrl: string
  signal: AbortSignal
  now: () => Date
  log: { debug(message: string): void }
  /**
   * Image references (`owner/name@reference`, lower case) the registry could not size in this run
   * (no such manifest): not asked again in the run. Shared by the refresh stage; absent = not kept.
   */
  unsizable?: Set<string>
  /** The run's share of rotation reads (SPEC 13.1); absent: every turn is granted. */
  rotations?: RotationBudget
}

/**
 * What the store remembers of the package, for the rotation and for sizes. The pass fields are
 * optional so that a store without them still fits: no pass is then in progress.
 */
export interface PackageMemory {
  versionsCursor: number
  sizedVersionIds: ReadonlySet<number>
  /** When the current pass over the versions pages began (SPEC 5.6); null: none in progress. */
  versionsPassStartedAt?: string | null
  /** The version count (tagged + untagged) the last refresh read, to notice removals during a pass. */
  versionCount?: number | null
  /** Versions the store knows: unsized ones among them wait in the sizing backlog. */
  knownVersionIds?: ReadonlySet<number>
  /** The stored total and quiet refreshes (SPEC 13.1); absent: the package is never found quiet. */
  quiet?: QuietState
}

export type PackageOutcome =
  /** The package page answered 404: private, deleted or renamed (the caller decides, with the listing). */
  | { kind: 'missing'; page: string }
  /** Everything read; `downloads: null` when the package page was not understood (stale). */
  | { kind: 'read'; refresh: PackageRefresh }

export async function refreshPackage(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  ownerId: number,
  memory: PackageMemory | null,
  /**
   * `moved`: the listing proved the total changed (SPEC 13.1), so the versions are read at once;
   * `rotationGranted`: the run's share already granted this package its rotation turn.
   */
  hint: { moved: boolean; rotationGranted?: boolean } = { moved: false }
): Promise<PackageOutcome> {
  const pageProblems: Problem[] = []
  const versionProblems: Problem[] = []
  const pageUrl = packagePageUrl(ctx.serverUrl, ref)
  let quiet = false
  let versions: VersionsRead
  let page: PackagePage | null
  const maybeQuiet = !hint.moved && memory !== null && memory.quiet !== undefined && memory.quiet.total !== null ? memory : null
  if (maybeQuiet === null || maybeQuiet.quiet === undefined) {
    // The package page and the lists are independent: asked together, they keep the client's page
    // slots busy (the request count is the same).
    const [html, read] = await Promise.all([fetchPage(ctx.http, pageUrl, ctx.signal), readVersions(ctx, ref, memory, versionProblems)])
    if (html === null) return { kind: 'missing', page: pageUrl }
    versions = read
    page = understood(() => parsePackagePage(html, pageUrl), pageProblems)
  } else {
    // Maybe quiet (SPEC 13.1): the page decides whether the versions list is read at all.
    const html = await fetchPage(ctx.http, pageUrl, ctx.signal)
    if (html === null) return { kind: 'missing', page: pageUrl }
    page = understood(() => parsePackagePage(html, pageUrl), pageProblems)
    const known = maybeQuiet.knownVersionIds ?? new Set<number>()
    const plan = versionsPlan(page && pageFacts(page), { ...maybeQuiet.quiet, knownVersionIds: known })
    const decision = quietDecision(plan, ctx.rotations, hint.rotationGranted === true)
    quiet = decision.counted
    versions = decision.readList ? await readVersions(ctx, ref, maybeQuiet, versionProblems) : versionsKept(maybeQuiet)
  }
  // Parts of an understood page that were not (the chart, the recent box): the total still counts.
  for (const part of page?.problems ?? []) pageProblems.push({ page: pageUrl, marker: part.marker })
  // The package page's problems first: they are the ones that make metrics stale.
  const problems = [...pageProblems, ...versionProblems]

  // Rows seen anywhere in this refresh, merged by id; the package page's recent box fills gaps
  // (not for a quiet package: its versions keep their numbers and date, SPEC 13.1).
  const recent = versions.pass === 'kept' ? [] : (page?.recent ?? [])
  for (const row of recent) if (!versions.rows.has(row.id)) versions.rows.set(row.id, row)

  const observations = [...versions.rows.values()]
    .sort((a, b) => b.id - a.id)
    .map((row): VersionObservation => ({ id: row.id, name: row.name, tags: row.tags, downloads: row.downloads }))
  const at = ctx.now()
  if (ref.type === 'container') {
    await sizeNewestUnsized(ctx, ref, observations, memory, at)
  }

  const windows = page ? windowsFromDaily(page.daily) : null
  // A pass begun in this refresh starts at its time; the versions it read are seen at that time too.
  const passStartedAt =
    versions.pass === 'start' ? at.toISOString() : versions.pass === 'continue' || versions.pass === 'kept' ? (memory?.versionsPassStartedAt ?? null) : null
  return {
    kind: 'read',
    refresh: {
      ref,
      ownerId,
      day: utcDay(at),
      at: at.toISOString(),
      downloads: page ? page.total : null,
      // A chart without bars or not understood is unknown, not zero: keep the previous windows.
      windows: windows && windows.month >= 0 ? windows : null,
      lastPublished: page ? page.lastPublished : null,
      versions: observations,
      versionsComplete: versions.complete,
      versionCount: versions.count,
      versionsCursor: versions.nextCursor,
      versionsPassStartedAt: passStartedAt,
      versionsPassComplete: passStartedAt !== null && versions.passEnds,
      problems,
      // SPEC 10.1: the bars themselves, kept per day so history.json grows past 30 days.
      chart: windows && windows.month >= 0 && page ? page.daily : [],
      quiet
    }
  }
}

export interface VersionsRead {
  rows: Map<number, VersionRow>
  /** Every version was read in this refresh, and the rows add up to the stated count (up to 100 versions). */
  complete: boolean
  /** The version count last stated in this refresh. */
  count: number | null
  nextCursor: number
  /**
   * The pass over the deep pages after this refresh (SPEC 5.6): `start` = a new pass begins with
   * this refresh (its deep page is the first one), `continue` = the stored pass goes on, null = no
   * valid pass (no deep pages, or a page read in this refresh fails the checks), `kept` = no list
   * was read (a quiet package, SPEC 13.1): the stored pass stays as it was.
   */
  pass: 'start' | 'continue' | 'kept' | null
  /** The deep page read in this refresh was the last one: a valid pass ends here. */
  passEnds: boolean
}

/**
 * Reads the versions lists within the budget of SPEC 5.6, and says what the reading proves.
 *
 * Up to 100 versions: read whole. `complete` only when every page was understood and, when the
 * pages state totals, the rows add up to them (a version absent from a complete read is gone).
 *
 * More: page 1, the tagged page 1 when tagged versions lie beyond it, and one deep page from the
 * cursor (2, 3, ... last, then 2 again). A pass starts with the refresh that reads deep page 2 and
 * ends with the one that reads the last page; a version absent from every page of a valid pass is
 * gone. A version's position only grows while nothing newer is removed (new versions come first),
 * so a pass that follows it page by page cannot miss it: page 1 is read every refresh and the
 * cursor moves one page at a time. A pass is valid only when every versions page read during it was
 * understood, states the totals and holds the rows they imply, and the stated count never went down
 * (a removal could move an unread version onto a page already read).
 */
async function readVersions(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  memory: PackageMemory | null,
  problems: Problem[]
): Promise<VersionsRead> {
  const rows = new Map<number, VersionRow>()
  const keepCursor = memory?.versionsCursor ?? FIRST_DEEP_PAGE
  const first = await readVersionsPage(ctx, ref, { page: 1 }, problems)
  // Page 1 not read: nothing is proven, and a pass in progress has a gap.
  if (!first) return { rows, complete: false, count: null, nextCursor: keepCursor, pass: null, passEnds: false }
  addRows(rows, first.rows)

  const count = statedCount(first)
  const firstOk = rowsAsStated(first, count, 1, problems)
  // A stated count (checked against the rows just now) decides the page count; else the pager, else a short page.
  const totalPages =
    count !== null
      ? Math.max(1, Math.ceil(count / VERSIONS_PAGE_SIZE))
      : (first.totalPages ?? (first.rows.length < VERSIONS_PAGE_SIZE ? 1 : null))
  if (totalPages === 1) {
    return { rows, complete: firstOk, count, nextCursor: FIRST_DEEP_PAGE, pass: null, passEnds: false }
  }
  if (totalPages === 2) {
    // Up to 100 versions: read whole on every refresh, so vanished versions are known to be gone.
    const second = await readVersionsPage(ctx, ref, { page: 2 }, problems)
    if (second) addRows(rows, second.rows)
    const secondCount = second && statedCount(second)
    const secondOk = second !== null && rowsAsStated(second, secondCount, 2, problems)
    // Versions added or removed between the two reads shift rows between pages: not complete (no
    // problem either; the next refresh reads both again).
    const addsUp = count === null || (secondCount === count && rows.size === count)
    return {
      rows,
      complete: firstOk && secondOk && addsUp,
      count: secondCount ?? count,
      nextCursor: FIRST_DEEP_PAGE,
      pass: null,
      passEnds: false
    }
  }

  const taggedSeen = first.rows.filter((row) => row.tags.length > 0).length
  const readTagged = first.tagged !== null && first.tagged > taggedSeen
  const cursor =
    keepCursor >= FIRST_DEEP_PAGE && (totalPages === null || keepCursor <= totalPages) ? keepCursor : FIRST_DEEP_PAGE
  const [deep, tagged] = await Promise.all([
    readVersionsPage(ctx, ref, { page: cursor }, problems),
    readTagged ? readVersionsPage(ctx, ref, { page: 1, tagged: true }, problems) : Promise.resolve(null)
  ])
  if (deep) addRows(rows, deep.rows)
  if (tagged) addRows(rows, tagged.rows)
  const deepCount = deep && statedCount(deep)
  const deepOk = deep !== null && rowsAsStated(deep, deepCount, cursor, problems)
  const taggedOk = !readTagged || (tagged !== null && rowsAsStated(tagged, tagged.tagged, 1, problems))

  // Wrap after the last page: by the deep page's own totals, else its pager, else a short page.
  const lastPage = deep
    ? isLastPage(deep, deepCount, cursor)
    : totalPages !== null && cursor >= totalPages
  const starts = cursor === FIRST_DEEP_PAGE
  const previousCount = memory?.versionCount ?? null
  const valid =
    firstOk &&
    deepOk &&
    taggedOk &&
    count !== null &&
    deepCount !== null &&
    deepCount >= count &&
    (starts || (previousCount !== null && count >= previousCount))
  return {
    rows,
    complete: false,
    count: deepCount ?? count,
    nextCursor: lastPage ? FIRST_DEEP_PAGE : cursor + 1,
    pass: valid ? (starts ? 'start' : 'continue') : null,
    passEnds: valid && lastPage
  }
}

async function readVersionsPage(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  options: { page: number; tagged?: boolean },
  problems: Problem[]
): Promise<ReadVersionsPage | null> {
  const url = versionsUrl(ctx.serverUrl, ref, options)
  const html = await fetchPage(ctx.http, url, ctx.signal)
  if (html === null) {
    problems.push({ page: url, marker: 'HTTP 404' })
    return null
  }
  const page = understood(() => parseVersionsPage(html, url), problems)
  return page && { ...page, url }
}
