import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import { auth, getJson, startSample } from './helpers.js'

interface ReleaseJson {
  id: number
  tag_name: string
  upload_url: string
  assets: AssetJson[]
}

interface AssetJson {
  id: number
  name: string
  size: number
  url: string
  state: string
  content_type: string
  browser_download_url: string
}

describe('fake GitHub releases', () => {
  let gh: FakeGitHub
  let releasesUrl: string
  beforeEach(async () => {
    gh = await startSample()
    releasesUrl = `${gh.apiUrl}/repos/backage-demo/backage/releases`
  })
  afterEach(async () => {
    await gh.stop()
  })

  async function create(tag: string, makeLatest: unknown = 'false'): Promise<Response> {
    return fetch(releasesUrl, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ tag_name: tag, name: tag, body: `notes of ${tag}`, make_latest: makeLatest })
    })
  }

  it('creates releases (auth required, duplicates refused) and tracks make_latest', async () => {
    const anonymous = await fetch(releasesUrl, { method: 'POST', body: JSON.stringify({ tag_name: 'x' }) })
    expect(anonymous.status).toBe(401)
    const created = await create('snapshot-20261120-101010')
    expect(created.status).toBe(201)
    const release = (await created.json()) as ReleaseJson
    expect(release.upload_url).toBe(`${gh.url}/uploads/repos/backage-demo/backage/releases/${release.id}/assets{?name,label}`)
    expect(release.assets).toEqual([])
    expect(gh.releases.map((r) => [r.tag_name, r.make_latest, r.body])).toEqual([['snapshot-20261120-101010', 'false', 'notes of snapshot-20261120-101010']])
    const duplicate = await create('snapshot-20261120-101010')
    expect(duplicate.status).toBe(422)
    expect(JSON.stringify(await duplicate.json())).toContain('already_exists')
    // GitHub only takes the strings "true", "false", "legacy".
    expect((await create('snapshot-bool', false)).status).toBe(422)
    // The repository's own latest release is not displaced by a make_latest:false snapshot.
    await create('v1.0.0', 'true')
    await create('snapshot-20261120-111111')
    expect((await getJson<ReleaseJson>(`${releasesUrl}/latest`)).body.tag_name).toBe('v1.0.0')
  })

  it('uploads an asset and serves it back through a redirect to storage, or as JSON', async () => {
    const release = (await (await create('snapshot-20261120-101010')).json()) as ReleaseJson
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256)
    const uploadUrl = release.upload_url.replace(/\{.*\}$/, '')
    const uploaded = await fetch(`${uploadUrl}?name=backage.db.zst`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/zstd' },
      body: bytes
    })
    expect(uploaded.status).toBe(201)
    const asset = (await uploaded.json()) as AssetJson
    expect(asset).toMatchObject({ name: 'backage.db.zst', size: 70_000, state: 'uploaded', content_type: 'application/zstd' })
    expect(asset.url).toBe(`${gh.apiUrl}/repos/backage-demo/backage/releases/assets/${asset.id}`)
    expect(gh.requests.at(-1)?.kind).toBe('upload')
    expect(Buffer.from(gh.releases[0]?.assets[0]?.data ?? []).equals(Buffer.from(bytes))).toBe(true)

    const redirect = await fetch(asset.url, { headers: { accept: 'application/octet-stream' }, redirect: 'manual' })
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^${gh.url}/storage/`))
    const downloaded = await fetch(asset.url, { headers: { accept: 'application/octet-stream' } })
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
    expect(gh.requests.at(-1)?.kind).toBe('download')
    const viaBrowser = await fetch(asset.browser_download_url)
    expect(Buffer.from(await viaBrowser.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)

    const asJson = await getJson<AssetJson>(asset.url, { accept: 'application/json' })
    expect(asJson.body.id).toBe(asset.id)
    const listed = await getJson<ReleaseJson[]>(releasesUrl)
    expect(listed.body[0]?.assets.map((a) => a.name)).toEqual(['backage.db.zst'])
    const again = await fetch(`${uploadUrl}?name=backage.db.zst`, { method: 'POST', headers: auth, body: bytes })
    expect(again.status).toBe(422)
    expect((await fetch(`${uploadUrl}?name=other`, { method: 'POST', body: bytes })).status).toBe(401)
  })

  it('lists newest first with pagination and deletes releases and tags', async () => {
    for (const tag of ['snapshot-a', 'snapshot-b', 'snapshot-c']) expect((await create(tag)).status).toBe(201)
    const first = await getJson<ReleaseJson[]>(`${releasesUrl}?per_page=2&page=1`)
    expect(first.body.map((r) => r.tag_name)).toEqual(['snapshot-c', 'snapshot-b'])
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? ''
    expect((await getJson<ReleaseJson[]>(next)).body.map((r) => r.tag_name)).toEqual(['snapshot-a'])

    const oldest = gh.releases.find((r) => r.tag_name === 'snapshot-a')
    expect((await fetch(`${releasesUrl}/${oldest?.id}`, { method: 'DELETE' })).status).toBe(401)
    expect((await fetch(`${releasesUrl}/${oldest?.id}`, { method: 'DELETE', headers: auth })).status).toBe(204)
    expect((await getJson(`${releasesUrl}/${oldest?.id}`)).status).toBe(404)
    expect(gh.releases.map((r) => r.tag_name)).toEqual(['snapshot-b', 'snapshot-c'])
    // Deleting a release keeps its tag, which goes through the git refs API.
    expect(gh.tags.has('snapshot-a')).toBe(true)
    const refUrl = `${gh.apiUrl}/repos/backage-demo/backage/git/refs/tags/snapshot-a`
    expect((await fetch(refUrl, { method: 'DELETE', headers: auth })).status).toBe(204)
    expect(gh.tags.has('snapshot-a')).toBe(false)
    expect((await fetch(refUrl, { method: 'DELETE', headers: auth })).status).toBe(422)
  })

  it('has releases only for the repository the action runs in', async () => {
    expect((await getJson(`${gh.apiUrl}/repos/octo-dev/octo-app/releases`)).status).toBe(404)
  })

  it('creates drafts without their tag, publishes them with PATCH, and can serve an HTML page for an asset', async () => {
    const created = await fetch(releasesUrl, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ tag_name: 'snapshot-20261120-121212', name: 'd', body: 'b', draft: true, make_latest: 'false' })
    })
    const draft = (await created.json()) as ReleaseJson & { draft: boolean; published_at: string | null }
    expect([draft.draft, draft.published_at]).toEqual([true, null])
    expect(gh.tags.has('snapshot-20261120-121212')).toBe(false)
    const patch = (body: unknown, headers: Record<string, string> = auth): Promise<Response> =>
      fetch(`${releasesUrl}/${draft.id}`, { method: 'PATCH', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await patch({ draft: false }, {})).status).toBe(401)
    const published = (await (await patch({ draft: false, make_latest: 'false' })).json()) as { draft: boolean }
    expect(published.draft).toBe(false)
    expect(gh.tags.has('snapshot-20261120-121212')).toBe(true)
    expect(gh.releases[0]?.make_latest).toBe('false')

    const uploadUrl = draft.upload_url.replace(/\{.*\}$/, '')
    const asset = (await (await fetch(`${uploadUrl}?name=backage.db.zst`, { method: 'POST', headers: auth, body: new Uint8Array([1, 2]) })).json()) as AssetJson
    const stored = gh.releases[0]?.assets[0]
    if (stored === undefined) throw new Error('no asset')
    stored.storageFault = 'html-200'
    const answer = await fetch(asset.url, { headers: { accept: 'application/octet-stream' } })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toContain('text/html')
    expect(await answer.text()).toMatch(/^<!DOCTYPE html>/)
  })
})
