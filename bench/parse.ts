/**
 * Parse time per page kind: the real captures (when ../shared is present) and the fake GitHub's
 * pages for a container with a full versions page.
 */
import { existsSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parsePackagePage } from '../src/github/pages/package.js'
import { parseVersionsPage } from '../src/github/pages/versions.js'
import { parseListing } from '../src/github/pages/listing.js'
import { ownerTypeOf, renderListingPage, renderPackagePage, renderVersionsPage } from '../test-support/fake-github/html.js'
import { ownerListingUrl, packagePageUrl, versionsUrl } from '../src/github/urls.js'
import { syntheticScenario } from '../test-support/sample-scenario.js'
import { repoRoot } from '../test-support/e2e.js'

// The pages' own addresses: parsers resolve links against them.
const CAPTURED_PACKAGE_URL = 'https://github.com/openchoreo/openchoreo/pkgs/container/controller'
const CAPTURED_VERSIONS_URL = `${CAPTURED_PACKAGE_URL}/versions?filters%5Bversion_type%5D=tagged`
const FAKE_SERVER = 'http://127.0.0.1:1'

export interface ParseTiming {
  page: string
  bytes: number
  msPerPage: number
}

function time(page: string, html: string, parse: () => unknown, rounds = 30): ParseTiming {
  parse() // warm up
  const started = process.hrtime.bigint()
  for (let i = 0; i < rounds; i++) parse()
  const ms = Number(process.hrtime.bigint() - started) / 1e6 / rounds
  return { page, bytes: Buffer.byteLength(html), msPerPage: ms }
}

export function benchParse(): ParseTiming[] {
  const timings: ParseTiming[] = []
  const captures = path.join(repoRoot, '..', 'shared', 'fixtures', 'github-pages')
  if (existsSync(captures)) {
    const pkg = readFileSync(path.join(captures, 'container-package-openchoreo-controller-20260719.html'), 'utf8')
    timings.push(time('package page (real capture)', pkg, () => parsePackagePage(pkg, CAPTURED_PACKAGE_URL)))
    const versions = readFileSync(path.join(captures, 'container-versions-tagged-openchoreo-controller-20260720.html'), 'utf8')
    timings.push(time('versions list, 50 rows (real capture)', versions, () => parseVersionsPage(versions, CAPTURED_VERSIONS_URL)))
  }
  const scenario = syntheticScenario({ owners: 1, packagesPerOwner: 30, versionsPerPackage: 60 })
  const owner = scenario.owners[0]
  const pkg = owner?.packages[0]
  if (owner && pkg) {
    const ref = { ownerType: ownerTypeOf(owner), owner: owner.login, type: pkg.type, name: pkg.name, repo: pkg.repo }
    const listing = renderListingPage(owner, 1, FAKE_SERVER)
    timings.push(time('owner listing, 30 entries (fake)', listing, () => parseListing(listing, ownerListingUrl(FAKE_SERVER, 'orgs', owner.login, 1), owner.login)))
    const page = renderPackagePage(owner, pkg)
    timings.push(time('package page (fake)', page, () => parsePackagePage(page, packagePageUrl(FAKE_SERVER, ref))))
    const versions = renderVersionsPage(owner, pkg, 1, 'all')
    timings.push(time('versions list, 50 rows (fake)', versions, () => parseVersionsPage(versions, versionsUrl(FAKE_SERVER, ref, { page: 1 }))))
  }
  return timings
}
