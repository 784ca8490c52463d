/**
 * GitHub's APIs (REST, GraphQL, releases and their assets) through Octokit as the Actions toolkit
 * sets it up (SPEC 5.5): `getOctokit` from `@actions/github` with the throttling and retry plugins,
 * `octokit.paginate` for lists and `octokit.graphql` posting to GITHUB_GRAPHQL_URL. Base URLs come
 * in at run time (GitHub Enterprise, the fake in tests). The reserve of the budgets is kept by a
 * `request` hook; Octokit's errors become `ApiError`, `GraphQLError` or `BudgetExhausted`
 * (`api-errors.ts`), so the stages never see Octokit.
 */
import { getOctokit } from '@actions/github'
import { GitHub } from '@actions/github/lib/utils'
import { throttling } from '@octokit/plugin-throttling'
import { retry } from '@octokit/plugin-retry'
import type { OwnerInfo, Release, ReleaseAsset, ReleasesApi } from '../ports.js'
import { ApiBudget, type ApiKind } from './api-budget.js'
import { ApiError, GraphQLError, translate } from './api-errors.js'
import { proxyFetch } from './proxy.js'
import { BODY_CAPS, readCapped } from './body.js'

export interface GitHubApi extends ReleasesApi {
  /** `GET /users/{login}`; null when GitHub does not know the login. */
  getOwner(login: string, signal?: AbortSignal): Promise<OwnerInfo | null>
  graphql<T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T>
  /** Every item of a paginated REST list (`per_page=100`); `path` is relative to the API base. */
  restList<T>(path: string, signal?: AbortSignal): Promise<T[]>
}

export interface GitHubApiOptions {
  /** Empty: anonymous (60 REST requests an hour, no GraphQL). */
  token: string
  /** REST base (GITHUB_API_URL). */
  apiUrl: string
  /** GraphQL endpoint (GITHUB_GRAPHQL_URL), never derived from the REST base on GitHub Enterprise. */
  graphqlUrl: string
  repository: { owner: string; name: string }
  userAgent: string
  budget: ApiBudget
  log?: (message: string) => void
  /** Longest wait accepted for a rate limit before the run stops gracefully (default 5 min). */
  maxWaitMs?: number
  /** Milliseconds per second of a retry wait (default 1000); tests shrink it. */
  retryBaseMs?: number
  /**
   * Keep the throttling plugin's spacing of writes (1 s, 3 s for releases) as GitHub asks (default
   * true). Tests that create a hundred releases turn it off; rate-limit handling stays on.
   */
  spaceWrites?: boolean
}

/** A stand-in for the plugin's Bottleneck group that runs each job at once (`spaceWrites: false`). */
const unspaced = {
  key: () => ({
    schedule: <A extends unknown[], R>(_options: unknown, job: (...args: A) => R, ...args: A): Promise<Awaited<R>> =>
      Promise.resolve(job(...args))
  })
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

interface RestRelease {
  id: number
  tag_name: string
  name: string | null
  body: string | null
  draft: boolean
  created_at: string
  upload_url: string
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
    draft: release.draft === true,
    created_at: release.created_at,
    upload_url: release.upload_url,
    assets: (release.assets ?? []).map(toAsset)
  }
}

/** GitHub's own `type` for owners; bots own nothing but are users. */
export function ownerInfoOf(owner: RestOwner): OwnerInfo {
  return { login: owner.login, id: owner.id, type: owner.type === 'Organization' ? 'Organization' : 'User' }
}

type Octokit = ReturnType<typeof getOctokit>

/** Upload URLs: `uploads.HOST/...`, `HOST/api/uploads/...` on GitHub Enterprise, `/uploads/` on the fake. */
function kindOf(url: string, graphqlUrl: string, method: string): ApiKind {
  if (url === graphqlUrl) return 'graphql'
  if (method === 'POST' && /\/releases\/\d+\/assets(\?|$)/.test(url)) return 'upload'
  return 'rest'
}

// Statuses whose answers have no body (a Response built with one throws).
const NO_BODY = new Set([101, 204, 205, 304])

/**
 * The fetch Octokit uses: through the proxy, counting every HTTP attempt (retries included) and
 * reading the budget from each answer, with the body read within `limit` bytes (SPEC 12) before
 * Octokit sees it.
 */
function cappedFetch(budget: ApiBudget, graphqlUrl: string, limit: number) {
  return async (url: string, init: Parameters<typeof proxyFetch>[1]): Promise<Response> => {
    const reply = await proxyFetch(url, init)
    budget.observe(kindOf(url, graphqlUrl, (init?.method ?? 'GET').toUpperCase()), reply.headers)
    const body = NO_BODY.has(reply.status) ? null : await readCapped(reply, url, limit)
    // readCapped's chunks come from fetch: plain ArrayBuffers, never shared ones.
    const response = new Response(body as Uint8Array<ArrayBuffer> | null, { status: reply.status, statusText: reply.statusText, headers: [...reply.headers] })
    // Octokit reports the final URL (after redirects) in its errors and results.
    Object.defineProperty(response, 'url', { value: reply.url })
    return response
  }
}

function octokitFor(options: GitHubApiOptions, useReserve: boolean): Octokit {
  const { budget, graphqlUrl } = options
  const log = options.log ?? (() => undefined)
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000
  const retryBaseMs = options.retryBaseMs ?? 1000
  const countingFetch = cappedFetch(budget, graphqlUrl, BODY_CAPS.rest)
  const mayWait = (retryAfterSeconds: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const wait = retryAfterSeconds * 1000
    const accept = retryCount < 2 && wait <= maxWaitMs
    log(`${request.method} ${request.url}: rate limited, ${accept ? `retrying in ${retryAfterSeconds} s` : 'giving up'}`)
    return accept
  }
  const settings = {
    baseUrl: options.apiUrl,
    userAgent: options.userAgent,
    log: { debug: () => undefined, info: log, warn: log, error: log },
    // Octokit types its fetch as the global one; undici's has the same shape, with its own types.
    request: { fetch: countingFetch as unknown as typeof fetch },
    throttle: {
      onRateLimit: mayWait,
      onSecondaryRateLimit: mayWait,
      retryAfterBaseValue: retryBaseMs,
      ...(options.spaceWrites === false ? { write: unspaced, notifications: unspaced } : {})
    },
    retry: { retryAfterBaseValue: retryBaseMs }
  }
  const octokit: Octokit = options.token
    ? getOctokit(options.token, settings, throttling, retry)
    : new (GitHub.plugin(throttling, retry))(settings)
  octokit.hook.before('request', (request) => {
    budget.check(request.url === graphqlUrl ? 'graphql' : 'rest', useReserve)
  })
  return octokit
}

export function createGitHubApi(options: GitHubApiOptions): GitHubApi {
  // Scraping stops at the reserve; the snapshot release (restore, save) may spend it.
  const scrape = octokitFor(options, false)
  const closing = octokitFor(options, true)
  const repo = { owner: options.repository.owner, repo: options.repository.name }
  const graphql = scrape.graphql.defaults({ baseUrl: options.graphqlUrl, url: options.graphqlUrl })

  async function call<T>(method: string, url: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw translate(error, method, url)
    }
  }
  const status = (error: unknown): number | undefined => (error instanceof ApiError ? error.status : undefined)

  return {
    async getOwner(login: string, signal?: AbortSignal): Promise<OwnerInfo | null> {
      const path = `/users/${encodeURIComponent(login)}`
      try {
        const { data } = await call('GET', path, () => scrape.request('GET /users/{username}', { username: login, request: { signal } }))
        return ownerInfoOf(data as RestOwner)
      } catch (error) {
        if (status(error) === 404) return null
        throw error
      }
    },

    async graphql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
      const data = await call('POST', options.graphqlUrl, () => graphql<T | null>(query, { ...variables, request: { signal } }))
      if (data === null || data === undefined) throw new GraphQLError([{ message: 'no data in the answer' }], null)
      return data
    },

    async restList<T>(path: string, signal?: AbortSignal): Promise<T[]> {
      return call('GET', path, async () => (await scrape.paginate(`GET ${path}`, { per_page: 100, request: { signal } })) as T[])
    },

    async listReleases(): Promise<Release[]> {
      const releases = await call('GET', 'releases', () => closing.paginate('GET /repos/{owner}/{repo}/releases', { ...repo, per_page: 100 }))
      return (releases as RestRelease[]).map(toRelease)
    },

    async createRelease(input): Promise<Release> {
      const { data } = await call('POST', 'releases', () =>
        closing.request('POST /repos/{owner}/{repo}/releases', {
          ...repo,
          tag_name: input.tag,
          name: input.name,
          body: input.body,
          draft: input.draft ?? false,
          prerelease: false,
          // Snapshots must never become the repository's "latest" release.
          make_latest: 'false'
        })
      )
      return toRelease(data as RestRelease)
    },

    async publishRelease(release: Release): Promise<Release> {
      const { data } = await call('PATCH', `releases/${release.id}`, () =>
        closing.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', { ...repo, release_id: release.id, draft: false, make_latest: 'false' })
      )
      return toRelease(data as RestRelease)
    },

    async uploadAsset(release: Release, name: string, data: Uint8Array, contentType: string): Promise<ReleaseAsset> {
      // upload_url is a URI template (`.../assets{?name,label}`) that Octokit expands with `name`.
      const { data: asset } = await call('POST', release.upload_url, () =>
        closing.request({ method: 'POST', url: release.upload_url, name, data, headers: { 'content-type': contentType } })
      )
      return toAsset(asset as RestAsset)
    },

    async downloadAsset(asset: ReleaseAsset): Promise<Uint8Array> {
      // The API redirects to storage; fetch drops Authorization when the redirect leaves the API's origin.
      // More bytes than the asset's stated size are not this asset: stop reading there.
      const fetch = cappedFetch(options.budget, options.graphqlUrl, asset.size)
      const { data } = await call('GET', asset.url, () =>
        closing.request({ method: 'GET', url: asset.url, headers: { accept: 'application/octet-stream' }, request: { fetch } })
      )
      if (data instanceof ArrayBuffer) return new Uint8Array(data)
      if (typeof data === 'string') return new TextEncoder().encode(data)
      throw new Error(`asset ${asset.name}: the download was not binary`)
    },

    async deleteRelease(release: Release, deleteOptions: { useReserve?: boolean } = {}): Promise<void> {
      // Removing a half-made release may spend the reserve; pruning may not (it is deferred instead).
      const client = deleteOptions.useReserve ?? true ? closing : scrape
      const releasePath = `releases/${release.id}`
      try {
        await call('DELETE', releasePath, () =>
          client.request('DELETE /repos/{owner}/{repo}/releases/{release_id}', { ...repo, release_id: release.id })
        )
      } catch (error) {
        if (status(error) !== 404) throw error
      }
      // Deleting a release leaves its tag behind; 404/422 mean the tag is already gone.
      try {
        await call('DELETE', `git/refs/tags/${release.tag_name}`, () =>
          client.request('DELETE /repos/{owner}/{repo}/git/refs/tags/{tag}', { ...repo, tag: release.tag_name })
        )
      } catch (error) {
        if (status(error) !== 404 && status(error) !== 422) throw error
      }
    }
  }
}
