/** A versions list page (SPEC 5.2): 50 rows, the tagged/untagged totals and the pager. */
import { NotUnderstood, type VersionsPage } from '../../types.js'
import { loadPage, statedCount, totalPagesOf, VERSION_DOWNLOADS_LABEL, type Page } from './dom.js'
import { linkedVersionIds, versionRows } from './rows.js'

/** Rows per versions-list page (SPEC 5.1). */
export const VERSIONS_PAGE_SIZE = 50

/**
 * Reads a versions list. A page with no rows is valid only when nothing says it should have some (an
 * empty package, or a page past the end); a row whose download count cannot be read is not.
 * `tagged`/`untagged` come from the filter toggles (`1,862 tagged`), null when the page does not show them.
 *
 * Fail closed (SPEC 5.3): rows are found through their `Version downloads` labels, so a renamed label
 * would silently read as an empty page, and an empty page read whole means "every version is gone".
 * A page that yields no rows although it links versions, or whose stated totals or pager say this
 * page holds versions, is not understood.
 */
export function parseVersionsPage(html: string, pageUrl: string): VersionsPage {
  const page = loadPage(html, pageUrl)
  const result: VersionsPage = {
    rows: versionRows(page),
    tagged: statedTotal(page, 'tagged'),
    untagged: statedTotal(page, 'untagged'),
    totalPages: totalPagesOf(page)
  }
  if (result.rows.length === 0) {
    const evidence = versionsExpected(page, result)
    if (evidence) throw new NotUnderstood(pageUrl, VERSION_DOWNLOADS_LABEL, `no version row read, but ${evidence}`)
  }
  return result
}

/** Why this page should hold version rows, or null when an empty page is plausible. */
function versionsExpected(page: Page, read: VersionsPage): string | null {
  const linked = linkedVersionIds(page).size
  if (linked > 0) return `the page links ${linked} versions`
  const url = new URL(page.url)
  const pageNumber = Number(url.searchParams.get('page') ?? '1')
  const number = Number.isInteger(pageNumber) && pageNumber >= 1 ? pageNumber : 1
  const filter = url.searchParams.get('filters[version_type]')
  const listed =
    filter === 'tagged' ? read.tagged : filter === 'untagged' ? read.untagged : sumOrNull(read.tagged, read.untagged)
  if (listed !== null && listed > (number - 1) * VERSIONS_PAGE_SIZE) {
    return `the page states ${listed} versions (page ${number})`
  }
  if (read.totalPages !== null && number <= read.totalPages) return `the pager has ${read.totalPages} pages (page ${number})`
  return null
}

function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0)
}

function statedTotal(page: Page, kind: 'tagged' | 'untagged'): number | null {
  return statedCount(page, new RegExp(`^([\\d,]+) ${kind}$`), `N ${kind}`)
}
