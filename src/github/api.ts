/**
 * REST and GraphQL over the one HTTP client, with the API base URL passed in (GITHUB_API_URL at run
 * time, the fake server in tests). Non-2xx answers become `ApiError`; GraphQL `errors` become
 * `GraphQLError`, which still carries the partial `data` GitHub sent with them.
 */
import type { Http, HttpResponse, OwnerInfo, Release, ReleaseAsset, ReleasesApi, RequestKind } from '../ports.js'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    /** GitHub's own `message`, when the body had one. */
    readonly githubMessage: string | null
  ) {
    super(`${method} ${url}: HTTP ${status}${githubMessage ? `: ${githubMessage}` : ''}`)
    this.name = 'ApiError'
  }
}

export interface GraphQLErrorEntry {
  /** `NOT_FOUND`, `FORBIDDEN`, ... when GitHub says. */
  type?: string
  message: string
  path?: (string | number)[]
}

export class GraphQLError extends Error {
  constructor(
    readonly errors: GraphQLErrorEntry[],
    /** Whatever `data` came with the errors (fields that failed are null). */
    readonly data: unknown
  ) {
    super(`GraphQL: ${errors.map((e) => (e.type ? `${e.type}: ${e.message}` : e.message)).join('; ')}`)
    this.name = 'GraphQLError'
  }

  /** True when every error is one of `types` (e.g. only NOT_FOUND for missing logins). */
  onlyOfTypes(...types: string[]): boolean {
    return this.errors.every((e) => e.type !== undefined && types.includes(e.type))
  }
}

export interface RestOptions {
  method?: string
  /** JSON body. */
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** See HttpRequest.useReserve: only the snapshot release calls spend the reserve. */
  useReserve?: boolean
  /** See HttpRequest.maxBytes. */
  maxBytes?: number
}

export interface GitHubApi extends ReleasesApi {
  /** `GET /users/{login}`; null when GitHub does not know the login. */
  getOwner(login: string, signal?: AbortSignal): Promise<OwnerInfo | null>
  graphql<T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T>
  /** One REST call; `path` is relative to the API base (`/users/x`) or an absolute URL. */
  rest<T>(path: string, options?: RestOptions): Promise<T>
  /** Every item of a paginated REST list (`per_page=100`, following `Link: rel="next"`). */
  restList<T>(path: string, signal?: AbortSignal, useReserve?: boolean): Promise<T[]>
}

interface RestOwner {
  login: string
  id: number
  type: string
}

interface RestAsset {
  id: number
  name: string
  size: number
  url: string
}

interface RestRelease extends Omit<Release, 'assets'> {
  assets?: RestAsset[]
}

function toAsset(asset: RestAsset): ReleaseAsset {
  return { id: asset.id, name: asset.name, size: asset.size, url: asset.url }
}

function toRelease(release: RestRelease): Release {
  return {
    id: release.id,
    tag_name: release.tag_name,
    name: release.name ?? '',
    body: release.body ?? '',
    created_at: release.created_at,
    draft: release.draft === true,
    upload_url: release.upload_url,
    assets: (release.assets ?? []).map(toAsset)
  }
}

/** GitHub's own `type` for owners; bots own nothing but are users. */
export function ownerInfoOf(owner: RestOwner): OwnerInfo {
  return { login: owner.login, id: owner.id, type: owner.type === 'Organization' ? 'Organization' : 'User' }
}

/** The `rel="next"` target of a `Link` header, if any. */
export function nextLink(link: string | undefined): string | null {
  if (!link) return null
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)
    if (match?.[1]) return match[1]
  }
  return null
}

function githubMessage(response: HttpResponse): string | null {
  try {
    const parsed: unknown = JSON.parse(response.text())
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') {
      return parsed.message
    }
  } catch {
    // not JSON: no message to report
  }
  return null
}

function withQuery(url: string, query: string): string {
  return url.includes('?') ? `${url}&${query}` : `${url}?${query}`
}

export function createApi(http: Http, options: { apiUrl: string; repository: { owner: string; name: string } }): GitHubApi {
  const apiUrl = options.apiUrl.replace(/\/+$/, '')
  const repoPath = `/repos/${encodeURIComponent(options.repository.owner)}/${encodeURIComponent(options.repository.name)}`
  const absolute = (path: string): string => (/^https?:\/\//.test(path) ? path : `${apiUrl}${path}`)

  async function call(kind: RequestKind, url: string, init: RestOptions & { raw?: Uint8Array; contentType?: string }): Promise<HttpResponse> {
    const method = init.method ?? 'GET'
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      ...init.headers
    }
    let body: string | Uint8Array | undefined = init.raw
    if (init.body !== undefined) {
      body = JSON.stringify(init.body)
      headers['content-type'] = 'application/json'
    }
    if (init.contentType) headers['content-type'] = init.contentType
    return http.request({ url, kind, method, headers, body, signal: init.signal, useReserve: init.useReserve, maxBytes: init.maxBytes })
  }

  async function json<T>(kind: RequestKind, url: string, init: RestOptions = {}): Promise<{ value: T; response: HttpResponse }> {
    const response = await call(kind, url, init)
    const method = init.method ?? 'GET'
    if (response.status < 200 || response.status >= 300) {
      throw new ApiError(response.status, method, url, githubMessage(response))
    }
    const text = response.text()
    return { value: (text === '' ? null : JSON.parse(text)) as T, response }
  }

  const api: GitHubApi = {
    async rest<T>(path: string, restOptions: RestOptions = {}): Promise<T> {
      return (await json<T>('rest', absolute(path), restOptions)).value
    },

    async restList<T>(path: string, signal?: AbortSignal, useReserve = false): Promise<T[]> {
      const items: T[] = []
      let url: string | null = withQuery(absolute(path), 'per_page=100')
      while (url !== null) {
        const { value, response }: { value: T[]; response: HttpResponse } = await json<T[]>('rest', url, { signal, useReserve })
        items.push(...value)
        url = nextLink(response.headers.link)
      }
      return items
    },

    async graphql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
      const { value } = await json<{ data?: T | null; errors?: GraphQLErrorEntry[] }>('graphql', `${apiUrl}/graphql`, {
        method: 'POST',
        body: { query, variables },
        signal
      })
      if (value.errors && value.errors.length > 0) throw new GraphQLError(value.errors, value.data ?? null)
      if (value.data === undefined || value.data === null) throw new GraphQLError([{ message: 'no data in the answer' }], null)
      return value.data
    },

    async getOwner(login: string, signal?: AbortSignal): Promise<OwnerInfo | null> {
      try {
        return ownerInfoOf(await api.rest<RestOwner>(`/users/${encodeURIComponent(login)}`, { signal }))
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null
        throw error
      }
    },

    async listReleases(): Promise<Release[]> {
      return (await api.restList<RestRelease>(`${repoPath}/releases`, undefined, true)).map(toRelease)
    },

    async createRelease(input: { tag: string; name: string; body: string; draft?: boolean }): Promise<Release> {
      const created = await api.rest<RestRelease>(`${repoPath}/releases`, {
        method: 'POST',
        useReserve: true,
        // Snapshots must never become the repository's "latest" release.
        body: { tag_name: input.tag, name: input.name, body: input.body, draft: input.draft === true, prerelease: false, make_latest: 'false' }
      })
      return toRelease(created)
    },

    async publishRelease(release: Release): Promise<Release> {
      const updated = await api.rest<RestRelease>(`${repoPath}/releases/${release.id}`, {
        method: 'PATCH',
        useReserve: true,
        body: { draft: false, make_latest: 'false' }
      })
      return toRelease(updated)
    },

    async uploadAsset(release: Release, name: string, data: Uint8Array, contentType: string): Promise<ReleaseAsset> {
      // upload_url is a URI template: `.../assets{?name,label}`.
      const url = withQuery(release.upload_url.replace(/\{[^}]*\}$/, ''), `name=${encodeURIComponent(name)}`)
      const response = await call('upload', url, { method: 'POST', raw: data, contentType, useReserve: true })
      if (response.status < 200 || response.status >= 300) {
        throw new ApiError(response.status, 'POST', url, githubMessage(response))
      }
      return toAsset(JSON.parse(response.text()) as RestAsset)
    },

    async downloadAsset(asset: ReleaseAsset): Promise<Uint8Array> {
      // The API answers with a redirect to storage; fetch follows it and drops Authorization when
      // the redirect leaves the API's origin, so the token never reaches the storage host.
      // More bytes than the asset's stated size are not this asset: stop reading there.
      const response = await call('rest', asset.url, { headers: { accept: 'application/octet-stream' }, useReserve: true, maxBytes: asset.size })
      if (response.status < 200 || response.status >= 300) {
        throw new ApiError(response.status, 'GET', asset.url, githubMessage(response))
      }
      return response.body
    },

    async deleteRelease(release: Release, deleteOptions: { useReserve?: boolean } = {}): Promise<void> {
      const useReserve = deleteOptions.useReserve ?? true
      const releaseUrl = absolute(`${repoPath}/releases/${release.id}`)
      const deleted = await call('rest', releaseUrl, { method: 'DELETE', useReserve })
      if (deleted.status !== 404 && (deleted.status < 200 || deleted.status >= 300)) {
        throw new ApiError(deleted.status, 'DELETE', releaseUrl, githubMessage(deleted))
      }
      // Deleting a release leaves its tag behind; 404/422 mean the tag is already gone.
      const tagUrl = absolute(`${repoPath}/git/refs/tags/${encodeURIComponent(release.tag_name)}`)
      const tag = await call('rest', tagUrl, { method: 'DELETE', useReserve })
      if (tag.status !== 404 && tag.status !== 422 && (tag.status < 200 || tag.status >= 300)) {
        throw new ApiError(tag.status, 'DELETE', tagUrl, githubMessage(tag))
      }
    }
  }
  return api
}
