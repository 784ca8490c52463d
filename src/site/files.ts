/**
 * The site's files in the index (SPEC 11): `index.html` at the root and its assets under
 * `site.assets/`, from the embedded copy (assets.generated.ts). The page learns where the index is
 * published from attributes on its root element, so it can print raw URLs when served by Pages.
 */
import type { IndexFile } from '../render/index-tree.js'
import { indexPath } from '../render/paths.js'
import { SITE_ASSETS } from './assets.generated.js'

/** The repository and branch the index is pushed to. */
export interface SitePlace {
  owner: string
  repo: string
  branch: string
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** The page with the place filled into `data-owner`, `data-repo` and `data-branch`. */
function page(html: string, place: SitePlace): string {
  const filled = html.replace(
    'data-owner="GITHUB_OWNER" data-repo="GITHUB_REPO" data-branch="GITHUB_BRANCH"',
    `data-owner="${attribute(place.owner)}" data-repo="${attribute(place.repo)}" data-branch="${attribute(place.branch)}"`
  )
  if (filled === html) throw new Error('index.html has lost its data-owner/data-repo/data-branch placeholders')
  return filled
}

export function* siteFiles(place: SitePlace): Generator<IndexFile> {
  for (const [name, content] of SITE_ASSETS) {
    yield [indexPath({}, name), name === 'index.html' ? page(content, place) : content]
  }
}
