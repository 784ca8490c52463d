/** One version's page (SPEC 5.2): its total, 30-day/week/day counts, and the image manifest of a container. */
import { NotUnderstood, type VersionPage } from '../../types.js'
import { loadPage, numberAfterLabel, type Page } from './dom.js'

/**
 * Reads a version page. `Total downloads` is required; `Last 30 days`, `Last week` and `Today` are
 * null when absent. Each number is the heading after its label: exact `title` preferred, else the
 * (possibly rounded) text. The manifest is the first `pre > code` block holding a JSON object, or null.
 */
export function parseVersionPage(html: string, pageUrl: string): VersionPage {
  const page = loadPage(html, pageUrl)
  const total = numberAfterLabel(page, 'Total downloads', true)
  if (total === null) throw new NotUnderstood(pageUrl, 'Total downloads', 'label not found')
  return {
    total,
    month: numberAfterLabel(page, 'Last 30 days', true),
    week: numberAfterLabel(page, 'Last week', true),
    day: numberAfterLabel(page, 'Today', true),
    manifest: readManifest(page)
  }
}

function readManifest(page: Page): unknown {
  for (const code of page.$('pre > code').toArray()) {
    const text = page.$(code).text().trim() // cheerio decodes the HTML escapes
    if (!text.startsWith('{')) continue
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw new NotUnderstood(page.url, 'pre > code', 'manifest block is not JSON')
    }
  }
  return null
}
