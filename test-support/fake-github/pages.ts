/**
 * Routes of the github.com HTML pages (SPEC 5.1) onto the renderers of html.ts. Private packages,
 * unknown owners or packages and the wrong owner kind in the path answer 404, as on github.com.
 */
import { isPackageType } from '../../src/types.js'
import type { Scenario, ScenarioOwner, ScenarioPackage } from '../scenario.js'
import { decodeSegment, htmlReply, notFoundHtml, rawSegments, sameLogin, type BaseUrls, type FakeRequest, type Reply } from './exchange.js'
import { findAccount } from './accounts.js'
import { renderListingPage, renderPackagePage, renderVersionsPage } from './html.js'
import { renderVersionPage } from './version-page.js'

export interface PageOptions {
  /** Asked only when a package page is about to be rendered (consumes a `layoutChanged` fault). */
  layoutChanged: (path: string) => boolean
}

export function pageRoute(request: FakeRequest, scenario: Scenario, urls: BaseUrls, options: PageOptions): Reply {
  if (request.method !== 'GET' && request.method !== 'HEAD') return notFoundHtml()
  const segments = rawSegments(request.url.pathname).map((segment) => decodeSegment(segment))
  if (segments.some((segment) => segment === null)) return notFoundHtml()
  const parts = segments as string[]
  const query = request.url.searchParams
  const pageNumber = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1)
  const [first = '', second = '', third = '', fourth = '', fifth = '', sixth, ...beyond] = parts

  // Owner listings: /orgs/ORG/packages and /USER?tab=packages.
  if (parts.length === 3 && first === 'orgs' && third === 'packages') {
    const owner = listingOwner(scenario, second)
    return owner?.type === 'Organization' ? ok(renderListingPage(owner, pageNumber, urls.url, scenario.listingCounts)) : notFoundHtml()
  }
  if (parts.length === 1) {
    const owner = listingOwner(scenario, first)
    if (!owner) return notFoundHtml()
    if (query.get('tab') === 'packages') {
      return owner.type === 'User' ? ok(renderListingPage(owner, pageNumber, urls.url, scenario.listingCounts)) : notFoundHtml()
    }
    return ok(`<!DOCTYPE html><html><head><title>${owner.login} · GitHub</title></head><body><h1>${owner.login}</h1></body></html>`)
  }

  // /{users|orgs}/OWNER/packages/TYPE/package/PKG, .../TYPE/PKG/versions, .../TYPE/PKG/ID
  if ((first === 'users' || first === 'orgs') && third === 'packages' && parts.length === 6 && beyond.length === 0) {
    const owner = findOwner(scenario, second, first === 'orgs' ? 'Organization' : 'User')
    if (fifth === 'package') {
      const pkg = owner && findPackage(owner, fourth, sixth ?? '')
      return owner && pkg ? packagePage(request, owner, pkg, options) : notFoundHtml()
    }
    const pkg = owner && findPackage(owner, fourth, fifth)
    if (!owner || !pkg) return notFoundHtml()
    if (sixth === 'versions') return versionsPage(request, owner, pkg, pageNumber)
    const version = /^\d+$/.test(sixth ?? '') ? pkg.versions.find((v) => String(v.id) === sixth) : undefined
    return version ? ok(renderVersionPage(owner, pkg, version)) : notFoundHtml()
  }

  // Repository-linked forms: /OWNER/REPO/pkgs/TYPE/PKG, .../PKG/versions and .../PKG/ID.
  if (third === 'pkgs' && (parts.length === 5 || parts.length === 6)) {
    const owner = scenario.owners.find((o) => sameLogin(o.login, first))
    const pkg = owner && findPackage(owner, fourth, fifth)
    if (!owner || !pkg || pkg.repo === null || !sameLogin(pkg.repo, second)) return notFoundHtml()
    if (parts.length === 5) return packagePage(request, owner, pkg, options)
    if (sixth === 'versions') return versionsPage(request, owner, pkg, pageNumber)
    const version = /^\d+$/.test(sixth ?? '') ? pkg.versions.find((v) => String(v.id) === sixth) : undefined
    return version ? ok(renderVersionPage(owner, pkg, version)) : notFoundHtml()
  }
  return notFoundHtml()
}

function packagePage(request: FakeRequest, owner: ScenarioOwner, pkg: ScenarioPackage, options: PageOptions): Reply {
  return ok(renderPackagePage(owner, pkg, { layoutChanged: options.layoutChanged(request.path) }))
}

function versionsPage(request: FakeRequest, owner: ScenarioOwner, pkg: ScenarioPackage, page: number): Reply {
  const filter = request.url.searchParams.get('filters[version_type]') === 'tagged' ? 'tagged' : 'all'
  return ok(renderVersionsPage(owner, pkg, page, filter))
}

/** The owner whose listing is asked for: an account without packages has an empty listing. */
function listingOwner(scenario: Scenario, login: string): ScenarioOwner | undefined {
  const account = findAccount(scenario, login)
  if (!account) return undefined
  return account.owner ?? { login: account.login, id: account.id, type: account.type, packages: [] }
}

function findOwner(scenario: Scenario, login: string, type: ScenarioOwner['type']): ScenarioOwner | undefined {
  return scenario.owners.find((o) => sameLogin(o.login, login) && o.type === type)
}

/** Public packages only: a private package is indistinguishable from a missing one. */
function findPackage(owner: ScenarioOwner, type: string, name: string): ScenarioPackage | undefined {
  if (!isPackageType(type)) return undefined
  return owner.packages.find((p) => p.type === type && p.name.toLowerCase() === name.toLowerCase() && !p.private)
}

function ok(html: string): Reply {
  return htmlReply(200, html)
}
