/**
 * Refreshing one package (SPEC 5.6): at most 4 page requests whatever its version count — the
 * package page, versions-list page 1, tagged page 1 when tagged versions exist beyond list page 1,
 * and one deeper list page in rotation — plus up to 3 registry lookups for unsized images.
 *
 * Version pages (`.../PKG/VERSION_ID`) are never fetched: every field of the package object
 * (SPEC 6.2) comes from the package page and the lists, and per-version windows may be -1.
 */
import type { Http, ImageSizer } from '../ports.js'
import {
  NotUnderstood,
  utcDay,
  type PackageRef,
  type PackageRefresh,
  type VersionObservation,
  type VersionRow,
  type VersionsPage
} from '../types.js'
import { packagePageUrl, versionsUrl } from '../github/urls.js'
import { parsePackagePage } from '../github/pages/package.js'
import { parseVersionsPage } from '../github/pages/versions.js'
import { windowsFromDaily } from '../github/pages/count.js'
import { BudgetExhausted } from '../github/http.js'
import { fetchPage } from './page-fetch.js'

/** Rows per versions-list page. */
export const VERSIONS_PAGE_SIZE = 50
/** Images sized per refresh at most (sizes are immutable, so the rest come in later refreshes). */
export const SIZES_PER_REFRESH = 3
/** The first deep page of the rotation (page 1 is read on every refresh anyway). */
const FIRST_DEEP_PAGE = 2

export interface PackageRefreshContext {
  http: Http
  sizer: ImageSizer
  serverUrl: string
  signal: AbortSignal
  now: () => Date
  log: { debug(message: string): void }
}

/** What the store remembers of the package, for the rotation and for sizes. */
export interface PackageMemory {
  versionsCursor: number
  sizedVersionIds: ReadonlySet<number>
}

export type PackageOutcome =
  /** The package page answered 404: private, deleted or renamed (the caller decides, with the listing). */
  | { kind: 'missing'; page: string }
  /** Everything read; `downloads: null` when the package page was not understood (stale). */
  | { kind: 'read'; refresh: PackageRefresh }

type Problem = { page: string; marker: string }

export async function refreshPackage(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  ownerId: number,
  memory: PackageMemory | null
): Promise<PackageOutcome> {
  const pageProblems: Problem[] = []
  const versionProblems: Problem[] = []
  const pageUrl = packagePageUrl(ctx.serverUrl, ref)
  // The package page and the lists are independent: asked together, they keep the client's page
  // slots busy (the request count is the same).
  const [html, versions] = await Promise.all([
    fetchPage(ctx.http, pageUrl, ctx.signal),
    readVersions(ctx, ref, memory, versionProblems)
  ])
  if (html === null) return { kind: 'missing', page: pageUrl }
  const page = understood(() => parsePackagePage(html, pageUrl), pageProblems)
  // The package page's problem first: it is the one that makes the package stale.
  const problems = [...pageProblems, ...versionProblems]

  // Rows seen anywhere in this refresh, merged by id; the package page's recent box fills gaps.
  for (const row of page?.recent ?? []) if (!versions.rows.has(row.id)) versions.rows.set(row.id, row)

  const observations = [...versions.rows.values()]
    .sort((a, b) => b.id - a.id)
    .map((row): VersionObservation => ({ id: row.id, name: row.name, tags: row.tags, downloads: row.downloads }))
  if (ref.type === 'container') await sizeNewestUnsized(ctx, ref, observations, memory?.sizedVersionIds ?? new Set())

  const at = ctx.now()
  const windows = page ? windowsFromDaily(page.daily) : null
  return {
    kind: 'read',
    refresh: {
      ref,
      ownerId,
      day: utcDay(at),
      at: at.toISOString(),
      downloads: page ? page.total : null,
      // A chart without bars is unknown, not zero: keep the previous windows.
      windows: windows && windows.month >= 0 ? windows : null,
      lastPublished: page ? page.lastPublished : null,
      versions: observations,
      versionsComplete: versions.complete,
      versionCount: versions.count,
      versionsCursor: versions.nextCursor,
      problems
    }
  }
}

interface VersionsRead {
  rows: Map<number, VersionRow>
  complete: boolean
  count: number | null
  nextCursor: number
}

async function readVersions(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  memory: PackageMemory | null,
  problems: Problem[]
): Promise<VersionsRead> {
  const rows = new Map<number, VersionRow>()
  const keepCursor = memory?.versionsCursor ?? FIRST_DEEP_PAGE
  const first = await readVersionsPage(ctx, ref, { page: 1 }, problems)
  if (!first) return { rows, complete: false, count: null, nextCursor: keepCursor }
  addRows(rows, first.rows)

  const count = statedCount(first)
  const totalPages = first.totalPages ?? (count !== null ? Math.max(1, Math.ceil(count / VERSIONS_PAGE_SIZE)) : null)
  if (totalPages === 1 || (totalPages === null && first.rows.length < VERSIONS_PAGE_SIZE)) {
    return { rows, complete: true, count: count ?? rows.size, nextCursor: FIRST_DEEP_PAGE }
  }
  if (totalPages === 2) {
    // Up to 100 versions: read whole on every refresh, so vanished versions are known to be gone.
    const second = await readVersionsPage(ctx, ref, { page: 2 }, problems)
    if (second) addRows(rows, second.rows)
    return { rows, complete: second !== null, count, nextCursor: FIRST_DEEP_PAGE }
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
  // Wrap after the last page (or a short page, when the pager did not say how many there are).
  const lastPage =
    (totalPages !== null && cursor >= totalPages) || (deep !== null && deep.rows.length < VERSIONS_PAGE_SIZE)
  return { rows, complete: false, count, nextCursor: lastPage ? FIRST_DEEP_PAGE : cursor + 1 }
}

async function readVersionsPage(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  options: { page: number; tagged?: boolean },
  problems: Problem[]
): Promise<VersionsPage | null> {
  const url = versionsUrl(ctx.serverUrl, ref, options)
  const html = await fetchPage(ctx.http, url, ctx.signal)
  if (html === null) {
    problems.push({ page: url, marker: 'HTTP 404' })
    return null
  }
  return understood(() => parseVersionsPage(html, url), problems)
}

/** Tagged + untagged as the filter toggles state them; null when the page does not say. */
function statedCount(page: VersionsPage): number | null {
  if (page.tagged === null && page.untagged === null) return null
  return (page.tagged ?? 0) + (page.untagged ?? 0)
}

function addRows(into: Map<number, VersionRow>, rows: VersionRow[]): void {
  for (const row of rows) if (!into.has(row.id)) into.set(row.id, row)
}

/** Runs a parser; a `NotUnderstood` becomes a recorded problem (fail closed), anything else propagates. */
function understood<T>(parse: () => T, problems: Problem[]): T | null {
  try {
    return parse()
  } catch (error) {
    if (error instanceof NotUnderstood) {
      problems.push({ page: error.page, marker: error.marker })
      return null
    }
    throw error
  }
}

/** Sizes the newest versions never sized (SPEC 5.4: a known size is never fetched again). */
async function sizeNewestUnsized(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  newestFirst: VersionObservation[],
  sized: ReadonlySet<number>
): Promise<void> {
  const todo = newestFirst.filter((version) => !sized.has(version.id) && imageReference(version) !== null)
  for (const version of todo.slice(0, SIZES_PER_REFRESH)) {
    const reference = imageReference(version) as string
    try {
      const size = await ctx.sizer.sizeOf(ref.owner, ref.name, reference, ctx.signal)
      if (size !== null && size !== 'private') version.size = size
    } catch (error) {
      if (ctx.signal.aborted || isStopError(error)) throw error
      // A size is a nice-to-have: the numbers of the refresh still count.
      ctx.log.debug(`size of ${ref.owner}/${ref.name}@${reference} not read: ${String(error)}`)
    }
  }
}

/** The digest when the version name is one, else its first tag. */
function imageReference(version: VersionObservation): string | null {
  if (version.name.startsWith('sha256:')) return version.name
  return version.tags[0] ?? null
}

/** Errors that mean "stop the run gracefully" rather than "this package failed". */
export function isStopError(error: unknown): boolean {
  return error instanceof BudgetExhausted || (error instanceof Error && error.name === 'AbortError')
}

