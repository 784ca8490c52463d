/**
 * The github.com HTML pages the fake GitHub serves, generated from the scenario. Same structure as
 * the real captures (and as __fixtures__/pages): labels, `sr-only` texts, `title`/`data-*` attributes
 * and link shapes carry the data, with both old (`mb-1`) and new (`tmp-mb-1`) class names around
 * them, so the real parsers read these pages exactly as they read github.com.
 */
import { ownerListingUrl, packagePageUrl, versionsUrl, versionUrl } from '../../src/github/urls.js'
import type { OwnerType, PackageRef } from '../../src/types.js'
import type { Scenario, ScenarioOwner, ScenarioPackage, ScenarioVersion } from '../scenario.js'
import { listingCount } from './listing-counts.js'

export const LISTING_PAGE_SIZE = 30
export const VERSIONS_PAGE_SIZE = 50
/** How many tagged versions a package page lists under "Recent tagged … versions". */
export const RECENT_VERSIONS = 5

const DOWNLOAD_ICON =
  '<svg aria-hidden="true" height="16" viewBox="0 0 16 16" version="1.1" width="16" class="octicon octicon-download"><path d="M2.75 14A1.75 1.75 0 0 1 1 12.25v-2.5"></path></svg>'

export function ownerTypeOf(owner: ScenarioOwner): OwnerType {
  return owner.type === 'Organization' ? 'orgs' : 'users'
}

export function refOf(owner: ScenarioOwner, pkg: ScenarioPackage): PackageRef {
  return { ownerType: ownerTypeOf(owner), owner: owner.login, type: pkg.type, name: pkg.name, repo: pkg.repo }
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** `1,234` as GitHub prints exact counts. */
function grouped(n: number): string {
  return n.toLocaleString('en-US')
}

/** `14.4K` as GitHub prints headline counts (the exact number goes in `title`). */
export function rounded(n: number): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K']
  ]
  for (const [size, suffix] of units) {
    if (n >= size) return `${(n / size).toFixed(1).replace(/\.0$/, '')}${suffix}`
  }
  return String(n)
}

/** The same instant with the offset of America/Los_Angeles, as GitHub writes `title` times. */
export function pacificTime(iso: string): string {
  const time = new Date(iso)
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', timeZoneName: 'longOffset' })
    .formatToParts(time)
    .find((part) => part.type === 'timeZoneName')?.value
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(zone ?? '')
  const sign = m?.[1] === '+' ? 1 : -1
  const minutes = m ? sign * (Number(m[2]) * 60 + Number(m[3])) : 0
  const local = new Date(time.getTime() + minutes * 60_000).toISOString().slice(0, 19)
  const offset = m ? `${m[1]}${m[2]}:${m[3]}` : '+00:00'
  return `${local}${offset}`
}

export function document(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en" data-color-mode="auto">
<head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body class="logged-out env-production page-responsive">
<main>
${body}
</main>
<footer class="footer"><h2 class="sr-only">Footer</h2><a href="/site/terms">Terms</a></footer>
</body>
</html>
`
}

/** The pager of listings and versions lists; none when everything fits on one page. */
function pager(totalPages: number, current: number, hrefOf: (page: number) => string): string {
  if (totalPages <= 1) return ''
  const links: string[] = []
  for (let n = 1; n <= totalPages; n++) {
    if (n > 2 && n < totalPages - 1 && Math.abs(n - current) > 1) {
      if (!links[links.length - 1]?.includes('gap')) links.push('<span class="gap">&hellip;</span>')
      continue
    }
    links.push(
      n === current
        ? `<a class="current" aria-label="Page ${n}" aria-current="page" data-total-pages="${totalPages}" href="${esc(hrefOf(n))}">${n}</a>`
        : `<a aria-label="Page ${n}" href="${esc(hrefOf(n))}">${n}</a>`
    )
  }
  const next = current < totalPages ? `<a class="next_page" rel="next" href="${esc(hrefOf(current + 1))}">Next</a>` : ''
  return `<div class="paginate-container"><div role="navigation" aria-label="Pagination" class="pagination">${links.join(' ')} ${next}</div></div>`
}

// ---- owner listing ----

export function renderListingPage(owner: ScenarioOwner, page: number, serverUrl: string, counts?: Scenario['listingCounts']): string {
  const ownerType = ownerTypeOf(owner)
  const published = owner.packages.filter((pkg) => !pkg.private)
  const totalPages = Math.max(1, Math.ceil(published.length / LISTING_PAGE_SIZE))
  const shown = published.slice((page - 1) * LISTING_PAGE_SIZE, page * LISTING_PAGE_SIZE)
  const entries = shown.map((pkg) => {
    const href = packagePageUrl('', refOf(owner, pkg))
    const repo = pkg.repo
      ? ` in <a class="Link--muted" href="/${esc(owner.login)}/${esc(pkg.repo)}">${esc(owner.login)}/${esc(pkg.repo)}</a>`
      : ''
    return `  <li class="Box-row d-flex flex-items-center">
    <div class="flex-auto">
      <a class="Link--primary text-bold f4 mr-1 tmp-mr-1" href="${esc(href)}">${esc(pkg.name)}</a>
      <div class="text-small color-fg-muted">Published by <a href="/${esc(owner.login)}">${esc(owner.login)}</a>${repo}</div>
    </div>${listingCount(pkg, counts)}
  </li>`
  })
  const count = `${grouped(published.length)} ${published.length === 1 ? 'package' : 'packages'}`
  const body = `<div class="container-lg">
  <h1 class="sr-only">Packages</h1>
  <div class="Box">
    <div class="Box-header"><h2 class="Box-title">${count}</h2></div>
    <ul>
${entries.join('\n')}
    </ul>
  </div>
  ${pager(totalPages, page, (n) => ownerListingUrl(serverUrl, ownerType, owner.login, n))}
</div>`
  return document(`Packages · ${owner.login}`, body)
}

// ---- version rows (versions list and the package page's recent box) ----

function versionRow(owner: ScenarioOwner, pkg: ScenarioPackage, version: ScenarioVersion): string {
  const ref = refOf(owner, pkg)
  const href = versionUrl('', ref, version.id)
  const tagLinks = version.tags.map(
    (tag) => `<a class="Label mr-1 mb-2 text-normal" href="${esc(`${href}?tag=${encodeURIComponent(tag)}`)}">${esc(tag)}</a>`
  )
  const isDigest = /^sha256:[0-9a-f]{64}$/.test(version.name)
  // Containers: a tagged row names its digest in a copy button; an untagged row links the digest.
  // Other types: the version name is the link text.
  const nameLink =
    version.tags.length === 0 || !isDigest
      ? `<a class="css-truncate css-truncate-target" href="${esc(href)}">${esc(version.name)}</a>`
      : ''
  const digest =
    isDigest && version.tags.length > 0
      ? ` · Digest <span class="Details"><code><clipboard-copy aria-label="Copy" value="${esc(version.name)}" class="CopyBlock"><span class="color-fg-muted">${esc(version.name)}</span></clipboard-copy></code></span>`
      : ''
  return `    <li class="Box-row">  <div class="d-flex">
      <div class="col-10 d-flex flex-auto flex-column">
        <div class="d-inline-flex flex-wrap">
          ${[nameLink, ...tagLinks].filter(Boolean).join('\n          ')}
        </div>
        <small class="color-fg-muted">Published recently${digest}</small>
      </div>
      <div class="d-flex flex-items-center">
        <span class="d-flex flex-items-center gap-1 color-fg-muted f6 mr-3 tmp-mr-3">
          ${DOWNLOAD_ICON}
          ${grouped(version.downloads)}
          <span class="sr-only">Version downloads</span>
        </span>
      </div>
    </div></li>`
}

function newestFirst(versions: ScenarioVersion[]): ScenarioVersion[] {
  return [...versions].sort((a, b) => b.id - a.id)
}

// ---- package page ----

function issuesCounter(owner: ScenarioOwner): number {
  return (owner.id % 97) + 1
}

export function renderPackagePage(
  owner: ScenarioOwner,
  pkg: ScenarioPackage,
  options: { layoutChanged?: boolean } = {}
): string {
  const ref = refOf(owner, pkg)
  const issues = issuesCounter(owner)
  const totalLabel = options.layoutChanged ? 'Downloads (all time)' : 'Total downloads'
  const bars = [...pkg.daily]
    .sort((a, b) => (a.date < b.date ? 1 : -1)) // newest first, like the real page
    .map(
      (day, i) =>
        `        <rect x="${120 - 4 * i}" y="0" data-merge-count="${day.count}" data-date="${day.date}" width="2" height="24" rx="1" fill="#28A745"></rect>`
    )
  const recent = newestFirst(pkg.versions)
    .filter((v) => v.tags.length > 0)
    .slice(0, RECENT_VERSIONS)
  const tabCounter = pkg.repo
    ? `<nav aria-label="Repository"><a href="/${esc(owner.login)}/${esc(pkg.repo)}/issues"><span data-content="Issues">Issues</span> <span id="issues-repo-tab-count" title="${issues + 1}" class="Counter">${issues + 1}</span></a></nav>`
    : ''
  const body = `${tabCounter}
<div class="container-lg p-responsive clearfix">
  <h1 class="sr-only">${esc(pkg.name)}</h1>
  <div class="Box">
    <div class="Box-header"><h3 class="f5">Recent tagged ${pkg.type === 'container' ? 'image ' : ''}versions</h3></div>
    <ul>
${recent.map((v) => versionRow(owner, pkg, v)).join('\n')}
    </ul>
  </div>
  <a href="${esc(versionsUrl('', ref, { page: 1, tagged: true }).replace(/&page=1$/, ''))}">View all tagged versions</a>
  <div class="container-lg d-flex clearfix">
    <div class="lh-condensed d-flex flex-column flex-items-baseline tmp-mr-4">
      <span class="d-block color-fg-muted text-small mb-1">
          Last published
      </span>
      <h3 title="${pacificTime(pkg.lastPublished)}">recently</h3>
    </div>
    <div class="lh-condensed d-flex flex-column flex-items-baseline">
      <span class="d-block color-fg-muted text-small mb-1">Issues</span>
      <h3 title="${issues}">${issues}</h3>
    </div>
  </div>
  <div class="container-lg tmp-my-3 d-flex clearfix">
    <div class="lh-condensed d-flex flex-column flex-items-baseline tmp-pr-1">
      <span class="d-block color-fg-muted text-small tmp-mb-1">${totalLabel}</span>
      <h3 title="${pkg.total}">${rounded(pkg.total)}</h3>
    </div>
    <div class="lh-condensed d-inline-flex flex-column tooltipped tooltipped-s tmp-mt-3" aria-label="Downloads for the last 30 days">
      <svg width="120" height="24" viewBox="0 0 120 24" fill="none" xmlns="http://www.w3.org/2000/svg">
${bars.join('\n')}
      </svg>
    </div>
  </div>
</div>`
  return document(`Package ${pkg.name}`, body)
}

// ---- versions list ----

export function renderVersionsPage(
  owner: ScenarioOwner,
  pkg: ScenarioPackage,
  page: number,
  filter: 'all' | 'tagged'
): string {
  const ref = refOf(owner, pkg)
  const tagged = pkg.versions.filter((v) => v.tags.length > 0).length
  const untagged = pkg.versions.length - tagged
  const listed = newestFirst(filter === 'tagged' ? pkg.versions.filter((v) => v.tags.length > 0) : pkg.versions)
  const totalPages = Math.max(1, Math.ceil(listed.length / VERSIONS_PAGE_SIZE))
  const rows = listed.slice((page - 1) * VERSIONS_PAGE_SIZE, page * VERSIONS_PAGE_SIZE)
  const base = `${versionsUrl('', ref, { page: 1 }).replace(/\?page=1$/, '')}`
  const body = `<div class="container-lg p-responsive clearfix">
  <h1 class="sr-only">Package versions of ${esc(pkg.name)}</h1>
  <nav aria-label="Breadcrumb" class="mb-1 tmp-mb-1"><ol>
    <li class="breadcrumb-item"><a href="${esc(packagePageUrl('', ref))}">${esc(pkg.name)}</a></li>
  </ol></nav>
  <div id="versions-list" class="Box">
    <div class="Box-header">
      <div class="table-list-header-toggle states flex-auto pl-0 d-flex">
        <a class="btn-link${filter === 'tagged' ? ' selected' : ''}" href="${base}?filters%5Bversion_type%5D=tagged">
          <svg aria-hidden="true" class="octicon octicon-tag mr-1 tmp-mr-1"><path d="M1 7.775V2.75"></path></svg>
          ${grouped(tagged)} tagged
        </a>
        <a class="btn-link " href="${base}?filters%5Bversion_type%5D=untagged">
          ${grouped(untagged)} untagged
        </a>
      </div>
    </div>
    <ul>
${rows.map((v) => versionRow(owner, pkg, v)).join('\n')}
    </ul>
  </div>
  ${pager(totalPages, page, (n) => versionsUrl('', ref, { page: n, tagged: filter === 'tagged' }))}
</div>`
  return document(`Versions · ${pkg.name}`, body)
}

// ---- one version ----

/** Made-up but deterministic per-version windows (the scenario only knows totals). */
