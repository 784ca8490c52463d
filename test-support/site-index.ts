/**
 * An index folder with the site written into it, for the browser tests and the README screenshot:
 * a copy of a rendered index (the hand-written `__fixtures__/site-index`, or a demo's output) plus
 * the files `siteFiles` yields, exactly as the action writes them.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { siteFiles, type SitePlace } from '../src/site/files.js'

export const FIXTURE_INDEX = path.join('__fixtures__', 'site-index')

/** The place the sample index claims to be published at. */
export const SAMPLE_PLACE: SitePlace = { owner: 'me', repo: 'mirror', branch: 'index' }

/** Copies `source` into a new temporary folder and writes the site into it; returns the folder. */
export function indexWithSite(source: string, place: SitePlace = SAMPLE_PLACE): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backage-site-'))
  cpSync(source, dir, { recursive: true })
  for (const [file, content] of siteFiles(place)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), content)
  }
  return dir
}
