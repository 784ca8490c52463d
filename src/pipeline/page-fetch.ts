/**
 * Fetching one github.com HTML page through the polite client, for the refresh stage, and telling
 * the errors that stop the run from those that fail one page.
 */
import type { Http } from '../ports.js'
import { BudgetExhausted } from '../github/http.js'

/** A page answered with a status other than 200 or 404 after the client's own retries. */
export class PageStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number
  ) {
    super(`HTTP ${status} for ${url}`)
    this.name = 'PageStatusError'
  }
}

/** The page's HTML, or null on 404 (which is data: private, deleted or renamed). */
export async function fetchPage(http: Http, url: string, signal: AbortSignal): Promise<string | null> {
  const response = await http.request({ url, kind: 'page', signal })
  if (response.status === 404) return null
  if (response.status !== 200) throw new PageStatusError(url, response.status)
  return response.text()
}

/** Errors that mean "stop the run gracefully" rather than "this package failed". */
export function isStopError(error: unknown): boolean {
  return error instanceof BudgetExhausted || (error instanceof Error && error.name === 'AbortError')
}
