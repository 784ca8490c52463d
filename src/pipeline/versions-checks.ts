/**
 * Checks and small helpers of reading the versions lists (SPEC 5.6), apart from refresh-package.ts:
 * whether a page is the last one, whether its rows add up to what it states, and the fail-closed
 * wrapper that turns a parser's `NotUnderstood` into a recorded problem.
 */
import { NotUnderstood, type VersionRow, type VersionsPage } from '../types.js'
import { VERSIONS_PAGE_SIZE } from '../github/pages/versions.js'
import { VERSION_DOWNLOADS_LABEL } from '../github/pages/dom.js'

export type Problem = { page: string; marker: string }

/** A versions page as read, with its URL (for the problems it may cause). */
export type ReadVersionsPage = VersionsPage & { url: string }

/** Whether the deep page `n` is the last list page. */
export function isLastPage(page: VersionsPage, count: number | null, n: number): boolean {
  if (count !== null) return n * VERSIONS_PAGE_SIZE >= count
  if (page.totalPages !== null) return n >= page.totalPages
  return page.rows.length < VERSIONS_PAGE_SIZE
}

/**
 * Whether page `n` holds as many rows as the total it states implies (50, or the remainder on the
 * last page); a page and its totals come from one rendering, so a mismatch means rows were not
 * read: recorded as a problem. True when the page states no total (nothing to check).
 */
export function rowsAsStated(page: ReadVersionsPage, listed: number | null, n: number, problems: Problem[]): boolean {
  if (listed === null) return true
  const expected = Math.min(VERSIONS_PAGE_SIZE, Math.max(0, listed - (n - 1) * VERSIONS_PAGE_SIZE))
  if (page.rows.length === expected) return true
  problems.push({ page: page.url, marker: VERSION_DOWNLOADS_LABEL })
  return false
}

/** Tagged + untagged as the filter toggles state them; null when the page does not say. */
export function statedCount(page: VersionsPage): number | null {
  if (page.tagged === null && page.untagged === null) return null
  return (page.tagged ?? 0) + (page.untagged ?? 0)
}

export function addRows(into: Map<number, VersionRow>, rows: VersionRow[]): void {
  for (const row of rows) if (!into.has(row.id)) into.set(row.id, row)
}

/** Runs a parser; a `NotUnderstood` becomes a recorded problem (fail closed), anything else propagates. */
export function understood<T>(parse: () => T, problems: Problem[]): T | null {
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
