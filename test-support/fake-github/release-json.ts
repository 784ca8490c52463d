/** The JSON GitHub answers for a release and for an asset (REST field names), from the fake's records. */
import type { Scenario } from '../scenario.js'
import type { BaseUrls } from './exchange.js'
import type { FakeAsset, FakeRelease } from './releases.js'

export function releaseJson(release: FakeRelease, scenario: Scenario, urls: BaseUrls): Record<string, unknown> {
  const full = `${scenario.repository.owner}/${scenario.repository.name}`
  const api = `${urls.apiUrl}/repos/${full}/releases/${release.id}`
  return {
    url: api,
    assets_url: `${api}/assets`,
    upload_url: `${urls.uploadsUrl}/repos/${full}/releases/${release.id}/assets{?name,label}`,
    html_url: `${urls.url}/${full}/releases/tag/${encodeURIComponent(release.tag_name)}`,
    id: release.id,
    node_id: `RE_kwDO${Buffer.from(String(release.id)).toString('base64url')}`,
    tag_name: release.tag_name,
    target_commitish: release.target_commitish,
    name: release.name,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: release.created_at,
    published_at: release.draft ? null : release.created_at,
    assets: release.assets.map((asset) => assetJson(release, asset, scenario, urls)),
    tarball_url: `${urls.apiUrl}/repos/${full}/tarball/${release.tag_name}`,
    zipball_url: `${urls.apiUrl}/repos/${full}/zipball/${release.tag_name}`,
    body: release.body
  }
}

export function assetJson(release: FakeRelease, asset: FakeAsset, scenario: Scenario, urls: BaseUrls): Record<string, unknown> {
  const full = `${scenario.repository.owner}/${scenario.repository.name}`
  return {
    url: `${urls.apiUrl}/repos/${full}/releases/assets/${asset.id}`,
    id: asset.id,
    node_id: `RA_kwDO${Buffer.from(String(asset.id)).toString('base64url')}`,
    name: asset.name,
    label: asset.label,
    content_type: asset.content_type,
    state: 'uploaded',
    size: asset.data.byteLength,
    download_count: 0,
    created_at: asset.created_at,
    updated_at: asset.created_at,
    browser_download_url: `${urls.url}/${full}/releases/download/${encodeURIComponent(release.tag_name)}/${encodeURIComponent(asset.name)}`
  }
}
