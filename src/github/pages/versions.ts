/** A versions list page (SPEC 5.2): 50 rows, the tagged/untagged totals and the pager. */
import { NotUnderstood, type VersionsPage } from '../../types.js'
import { elementsWithText, exactInteger, loadPage, totalPagesOf, versionRows, type Page } from './dom.js'

/**
 * Reads a versions list. A page with no rows is valid (an empty or past-the-end page); a row whose
 * download count cannot be read is not. `tagged`/`untagged` come from the filter toggles
 * (`1,862 tagged`), null when the page does not show them.
 */
export function parseVersionsPage(html: string, pageUrl: string): VersionsPage {
  const page = loadPage(html, pageUrl)
  return {
    rows: versionRows(page),
    tagged: statedTotal(page, 'tagged'),
    untagged: statedTotal(page, 'untagged'),
    totalPages: totalPagesOf(page)
  }
}

function statedTotal(page: Page, kind: 'tagged' | 'untagged'): number | null {
  const pattern = new RegExp(`^([\\d,]+) ${kind}$`)
  const values = new Set(
    elementsWithText(page, pattern).map((el) => exactInteger(pattern.exec(page.$(el).text().replace(/\s+/g, ' ').trim())?.[1]))
  )
  if (values.size === 0) return null
  const [value] = [...values]
  if (values.size > 1 || value === null || value === undefined) {
    throw new NotUnderstood(page.url, `N ${kind}`, `stated ${values.size} different totals`)
  }
  return value
}
