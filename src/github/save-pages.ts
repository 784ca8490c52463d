/**
 * `--save-pages DIR` of the CLI: every github.com page the run fetched is written to a folder, so a
 * user whose page "was not understood" can attach the exact HTML to a bug report. A wrapper around
 * the page client, so the scrapers and the client know nothing of it.
 */
import { mkdirSync, appendFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Http, HttpRequest, HttpResponse } from '../ports.js'

/** A file name for a page URL: readable, one segment, no characters a file system refuses. */
export function pageFileName(sequence: number, url: string): string {
  const parsed = new URL(url)
  const readable = `${parsed.pathname}${parsed.search}`.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 150)
  return `${String(sequence).padStart(4, '0')}-${readable || 'root'}.html`
}

export class PageSaver implements Http {
  private sequence = 0

  constructor(
    private readonly inner: Http,
    readonly dir: string
  ) {
    mkdirSync(dir, { recursive: true })
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const response = await this.inner.request(req)
    if (req.kind === 'page') {
      const name = pageFileName(++this.sequence, req.url)
      writeFileSync(path.join(this.dir, name), response.body)
      // One line per page: which file holds which URL, and what GitHub answered.
      appendFileSync(path.join(this.dir, 'pages.tsv'), `${name}\t${response.status}\t${req.url}\n`)
    }
    return response
  }
}
