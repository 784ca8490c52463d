/**
 * Releases of the main repository (SPEC 7): list, get, create (drafts too), publish a draft (PATCH),
 * delete, tags, asset upload and the asset download, which redirects to a storage URL as GitHub's
 * does. Tests set `created_at` on a stored release directly, and `storageFault` on an asset to make
 * the storage misbehave.
 */
import type { Scenario } from '../scenario.js'
import {
  DOCS,
  decodeSegment,
  emptyReply,
  hasToken,
  header,
  jsonReply,
  notFoundJson,
  rawSegments,
  sameLogin,
  type BaseUrls,
  type FakeRequest,
  type Reply
} from './exchange.js'
import { paginate } from './paginate.js'
import { assetJson, releaseJson } from './release-json.js'

export interface FakeAsset {
  id: number
  name: string
  label: string
  content_type: string
  /** The uploaded bytes, exactly as received. */
  data: Uint8Array
  created_at: string
  /** Fault switch: the storage answers `200` with an HTML page instead of the bytes (an outage page). */
  storageFault?: 'html-200'
}

/** A release as the fake keeps it: GitHub's field names, plus `make_latest` as it was sent. */
export interface FakeRelease {
  id: number
  tag_name: string
  name: string
  body: string
  /** `"true"` (GitHub's default when omitted), `"false"` or `"legacy"`. */
  make_latest: 'true' | 'false' | 'legacy'
  target_commitish: string
  draft: boolean
  prerelease: boolean
  created_at: string
  assets: FakeAsset[]
}

const MAKE_LATEST = ['true', 'false', 'legacy'] as const

export class ReleaseStore {
  readonly releases: FakeRelease[] = []
  /** Tags that exist in the repository (a release creates its tag; deleting a release keeps it). */
  readonly tags = new Set<string>()
  /** The release GitHub shows as "Latest" (`make_latest`), if any. */
  latestId: number | undefined
  private nextId = 2_000_001
  private nextAssetId = 3_000_001
  private lastCreated = 0

  /** `/api/repos/{o}/{r}/releases...` and `/api/repos/{o}/{r}/git/refs/tags/{tag}`. */
  api(request: FakeRequest, scenario: Scenario, urls: BaseUrls): Reply | null {
    const segments = rawSegments(request.route).slice(1)
    if (segments[0] !== 'repos' || segments.length < 4) return null
    const [, owner = '', repo = '', section = ''] = segments
    const rest = segments.slice(4).map((segment) => decodeSegment(segment) ?? '')
    if (section === 'git' && rest[0] === 'refs' && rest[1] === 'tags' && request.method === 'DELETE') {
      if (!this.isMain(scenario, owner, repo)) return notFoundJson()
      if (!hasToken(request)) return unauthorized()
      const tag = rest.slice(2).join('/')
      if (!this.tags.delete(tag)) return jsonReply(422, { message: 'Reference does not exist', documentation_url: DOCS, status: '422' })
      return emptyReply(204)
    }
    if (section !== 'releases') return null
    if (!this.isMain(scenario, owner, repo)) return notFoundJson()
    const route = `${request.method} ${rest.length === 0 ? '' : rest[0] === 'assets' ? 'assets' : rest[0] === 'tags' ? 'tags' : rest[0] === 'latest' ? 'latest' : 'id'}`
    const writes = request.method !== 'GET' && request.method !== 'HEAD'
    if (writes && !hasToken(request)) return unauthorized()
    switch (route) {
      case 'GET ': {
        const newestFirst = [...this.releases].sort((a, b) => b.id - a.id)
        const page = paginate(newestFirst.map((release) => releaseJson(release, scenario, urls)), request)
        return jsonReply(200, page.items, page.headers)
      }
      case 'POST ':
        return this.create(request, scenario, urls)
      case 'GET latest': {
        const latest = this.releases.find((release) => release.id === this.latestId)
        return latest ? jsonReply(200, releaseJson(latest, scenario, urls)) : notFoundJson()
      }
      case 'GET tags': {
        const release = this.releases.find((r) => r.tag_name === rest.slice(1).join('/'))
        return release ? jsonReply(200, releaseJson(release, scenario, urls)) : notFoundJson()
      }
      case 'PATCH id':
        return this.update(request, rest, scenario, urls)
      case 'GET id':
      case 'DELETE id': {
        const release = this.releases.find((r) => String(r.id) === rest[0])
        if (!release || rest.length > 1) return notFoundJson()
        if (request.method === 'GET') return jsonReply(200, releaseJson(release, scenario, urls))
        this.releases.splice(this.releases.indexOf(release), 1)
        if (this.latestId === release.id) this.latestId = this.releases.filter((r) => r.make_latest !== 'false').at(-1)?.id
        return emptyReply(204)
      }
      case 'GET assets':
      case 'DELETE assets': {
        const found = this.findAsset(rest[1] ?? '')
        if (!found || rest.length > 2) return notFoundJson()
        if (request.method === 'DELETE') {
          found.release.assets.splice(found.release.assets.indexOf(found.asset), 1)
          return emptyReply(204)
        }
        // `Accept: application/octet-stream` asks for the bytes: GitHub redirects to its storage.
        if ((header(request, 'accept') ?? '').includes('application/octet-stream')) {
          return emptyReply(302, { location: storageUrl(urls, found.release, found.asset) })
        }
        return jsonReply(200, assetJson(found.release, found.asset, scenario, urls))
      }
      default:
        return null
    }
  }

  /** `POST /uploads/repos/{o}/{r}/releases/{id}/assets?name=N&label=L` with the raw bytes as body. */
  upload(request: FakeRequest, scenario: Scenario, urls: BaseUrls): Reply | null {
    const segments = rawSegments(request.route)
    const [, , owner = '', repo = '', releases, id, assets] = segments
    if (segments.length !== 7 || releases !== 'releases' || assets !== 'assets' || request.method !== 'POST') return null
    if (!this.isMain(scenario, owner, repo)) return notFoundJson()
    if (!hasToken(request)) return unauthorized()
    const release = this.releases.find((r) => String(r.id) === id)
    if (!release) return notFoundJson()
    const name = request.url.searchParams.get('name')
    if (!name) return validationFailed('ReleaseAsset', 'missing_field', 'name')
    if (release.assets.some((asset) => asset.name === name)) return validationFailed('ReleaseAsset', 'already_exists', 'name')
    const asset: FakeAsset = {
      id: this.nextAssetId++,
      name,
      label: request.url.searchParams.get('label') ?? '',
      content_type: header(request, 'content-type') ?? 'application/octet-stream',
      data: new Uint8Array(request.body),
      created_at: new Date().toISOString()
    }
    release.assets.push(asset)
    return jsonReply(201, assetJson(release, asset, scenario, urls))
  }

  /** The storage behind the redirects: `/storage/releases/{releaseId}/{assetId}/{name}`. */
  storage(request: FakeRequest): Reply | null {
    const [, , , assetId] = rawSegments(request.url.pathname)
    const found = this.findAsset(assetId ?? '')
    if (!found || request.method !== 'GET') return null
    if (found.asset.storageFault === 'html-200') {
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(STORAGE_OUTAGE_PAGE) }
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename=${found.asset.name}` },
      body: found.asset.data
    }
  }

  /** `GET /{o}/{r}/releases/download/{tag}/{name}` (browser_download_url): a redirect to storage. */
  browserDownload(request: FakeRequest, scenario: Scenario, urls: BaseUrls): Reply | null {
    const segments = rawSegments(request.url.pathname).map((segment) => decodeSegment(segment) ?? '')
    const [owner = '', repo = '', , , tag, name] = segments
    if (!this.isMain(scenario, owner, repo)) return null
    const release = this.releases.find((r) => r.tag_name === tag)
    const asset = release?.assets.find((a) => a.name === name)
    if (!release || !asset) return null
    return emptyReply(302, { location: storageUrl(urls, release, asset) })
  }

  private create(request: FakeRequest, scenario: Scenario, urls: BaseUrls): Reply {
    let input: unknown
    try {
      input = JSON.parse(request.body.toString('utf8'))
    } catch {
      return jsonReply(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' })
    }
    const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {}
    const tag = fields.tag_name
    if (typeof tag !== 'string' || tag === '') return validationFailed('Release', 'missing_field', 'tag_name')
    const makeLatest = fields.make_latest ?? 'true'
    if (typeof makeLatest !== 'string' || !(MAKE_LATEST as readonly string[]).includes(makeLatest)) {
      return jsonReply(422, {
        message: `Invalid request.\n\nFor 'properties/make_latest', ${JSON.stringify(makeLatest)} is not one of "true", "false", "legacy".`,
        documentation_url: DOCS,
        status: '422'
      })
    }
    if (this.releases.some((release) => release.tag_name === tag)) return validationFailed('Release', 'already_exists', 'tag_name')
    // Creation times strictly increase so "newest first" is well defined even within one millisecond.
    this.lastCreated = Math.max(Date.now(), this.lastCreated + 1000)
    const release: FakeRelease = {
      id: this.nextId++,
      tag_name: tag,
      name: typeof fields.name === 'string' ? fields.name : tag,
      body: typeof fields.body === 'string' ? fields.body : '',
      make_latest: makeLatest as FakeRelease['make_latest'],
      target_commitish: typeof fields.target_commitish === 'string' ? fields.target_commitish : 'main',
      draft: fields.draft === true,
      prerelease: fields.prerelease === true,
      created_at: new Date(this.lastCreated).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      assets: []
    }
    this.releases.push(release)
    // GitHub creates the tag of a draft only when it is published.
    if (!release.draft) this.tags.add(tag)
    if (makeLatest !== 'false' && !release.draft && !release.prerelease) this.latestId = release.id
    return jsonReply(201, releaseJson(release, scenario, urls))
  }

  /** `PATCH /releases/{id}`: name, body, `make_latest`, and `draft: false` publishes a draft. */
  private update(request: FakeRequest, rest: string[], scenario: Scenario, urls: BaseUrls): Reply {
    const release = this.releases.find((r) => String(r.id) === rest[0])
    if (!release || rest.length > 1) return notFoundJson()
    let fields: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(request.body.toString('utf8'))
      fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
    } catch {
      return jsonReply(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' })
    }
    if (typeof fields.name === 'string') release.name = fields.name
    if (typeof fields.body === 'string') release.body = fields.body
    if (fields.make_latest !== undefined) {
      if (typeof fields.make_latest !== 'string' || !(MAKE_LATEST as readonly string[]).includes(fields.make_latest)) {
        return validationFailed('Release', 'invalid', 'make_latest')
      }
      release.make_latest = fields.make_latest as FakeRelease['make_latest']
    }
    if (fields.draft === false && release.draft) {
      release.draft = false
      this.tags.add(release.tag_name)
    }
    if (release.make_latest !== 'false' && !release.draft && !release.prerelease) this.latestId = release.id
    return jsonReply(200, releaseJson(release, scenario, urls))
  }

  private isMain(scenario: Scenario, owner: string, repo: string): boolean {
    return sameLogin(scenario.repository.owner, owner) && sameLogin(scenario.repository.name, repo)
  }

  private findAsset(id: string): { release: FakeRelease; asset: FakeAsset } | undefined {
    for (const release of this.releases) {
      const asset = release.assets.find((a) => String(a.id) === id)
      if (asset) return { release, asset }
    }
    return undefined
  }
}

const STORAGE_OUTAGE_PAGE =
  '<!DOCTYPE html><html><head><title>Service unavailable</title></head><body><h1>We are having trouble serving this file</h1></body></html>'

function storageUrl(urls: BaseUrls, release: FakeRelease, asset: FakeAsset): string {
  return `${urls.url}/storage/releases/${release.id}/${asset.id}/${encodeURIComponent(asset.name)}?sig=fake`
}

function unauthorized(): Reply {
  return jsonReply(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' })
}

function validationFailed(resource: string, code: string, field: string): Reply {
  return jsonReply(422, {
    message: 'Validation Failed',
    errors: [{ resource, code, field }],
    documentation_url: DOCS,
    status: '422'
  })
}
