/**
 * REST, GraphQL and releases through the Octokit adapter against the fake GitHub, in both of its
 * layouts (github.com and GitHub Enterprise Server), with the budget reserve and rate limits.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import diagnostics from 'node:diagnostics_channel'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import type { Scenario } from '../../test-support/scenario.js'
import type { GitHubApi } from '../../src/github/octokit.js'
import { ApiError, GraphQLError } from '../../src/github/api-errors.js'
import { BudgetExhausted } from '../../src/github/http.js'
import { fakeGitHubApi } from '../../test-support/github-api.js'

const TOKEN = 'test-token'
const followers = Array.from({ length: 150 }, (_, i) => `fan-${i}`)

function scenario(): Scenario {
  return {
    repository: { owner: 'alice', name: 'backage' },
    owners: [
      { login: 'alice', id: 1001, type: 'User', packages: [], followers },
      { login: 'acme', id: 2001, type: 'Organization', packages: [] }
    ],
    stargazers: [],
    watchers: [],
    forks: [],
    today: '2026-11-20'
  }
}

let gh: FakeGitHub
let api: GitHubApi
beforeAll(async () => {
  gh = await FakeGitHub.start({ scenario: scenario() })
  api = fakeGitHubApi(gh, { token: TOKEN }).api
})
afterAll(async () => {
  await gh.stop()
})
afterEach(() => {
  gh.clearFaults()
})

describe('REST', () => {
  it('reads owners and answers null for an unknown login', async () => {
    expect(await api.getOwner('alice')).toEqual({ login: 'alice', id: 1001, type: 'User' })
    expect(await api.getOwner('acme')).toEqual({ login: 'acme', id: 2001, type: 'Organization' })
    expect(await api.getOwner('no-such-owner')).toBeNull()
  })

  it('throws ApiError with status, method, URL and GitHub message on other errors', async () => {
    gh.inject({ path: '/api/users/alice', status: 403, times: 1 })
    const error = await api.getOwner('alice').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 403, method: 'GET', url: `${gh.apiUrl}/users/alice`, githubMessage: 'Forbidden' })
  })

  it('follows Link rel="next" through every page', async () => {
    const before = gh.requests.length
    const list = await api.restList<{ login: string }>('/users/alice/followers')
    expect(list.map((f) => f.login)).toEqual(followers)
    const pages = gh.requests.slice(before).filter((entry) => entry.path.startsWith('/api/users/alice/followers'))
    expect(pages.map((entry) => entry.path)).toEqual([
      '/api/users/alice/followers?per_page=100',
      '/api/users/alice/followers?per_page=100&page=2'
    ])
  })
})

describe('GraphQL', () => {
  it('returns data and passes variables', async () => {
    const data = await api.graphql<{ user: { login: string; databaseId: number } }>(
      'query($login: String!) { user(login: $login) { login databaseId } }',
      { login: 'alice' }
    )
    expect(data.user).toEqual({ login: 'alice', databaseId: 1001 })
  })

  it('throws GraphQLError with error types and the partial data', async () => {
    const error = await api
      .graphql('query { a: user(login: "alice") { login } b: user(login: "no-such-owner") { login } }')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GraphQLError)
    const graphqlError = error as GraphQLError
    expect(graphqlError.errors.map((e) => e.type)).toEqual(['NOT_FOUND'])
    expect(graphqlError.onlyOfTypes('NOT_FOUND')).toBe(true)
    expect(graphqlError.data).toEqual({ a: { login: 'alice' }, b: null })
  })
})

describe('releases', () => {
  it('creates, uploads, lists, downloads and deletes with the tag', async () => {
    const bytes = new Uint8Array(Array.from({ length: 5000 }, (_, i) => i % 251))
    const release = await api.createRelease({ tag: 'snapshot-20261120-101500', name: 'snapshot', body: 'sha256: x' })
    expect(release.upload_url).toContain('{?name,label}')
    const asset = await api.uploadAsset(release, 'backage.db.zst', bytes, 'application/zstd')
    expect(asset).toMatchObject({ name: 'backage.db.zst', size: 5000 })

    const stored = gh.releases.find((r) => r.id === release.id)
    expect(stored?.make_latest).toBe('false')
    expect(stored?.assets[0]?.content_type).toBe('application/zstd')
    expect(Buffer.from(stored?.assets[0]?.data ?? []).equals(Buffer.from(bytes))).toBe(true)

    const listed = await api.listReleases()
    const found = listed.find((r) => r.tag_name === 'snapshot-20261120-101500')
    expect(found?.assets).toEqual([asset])
    expect(found?.body).toBe('sha256: x')

    const downloaded = await api.downloadAsset(asset)
    expect(Buffer.from(downloaded).equals(Buffer.from(bytes))).toBe(true)

    expect(gh.tags.has('snapshot-20261120-101500')).toBe(true)
    await api.deleteRelease(release)
    expect(gh.releases.some((r) => r.id === release.id)).toBe(false)
    expect(gh.tags.has('snapshot-20261120-101500')).toBe(false)
    // Deleting again: the release and tag are gone, which is what was asked.
    await expect(api.deleteRelease(release)).resolves.toBeUndefined()
  })

  it('lists more than one page of releases', async () => {
    for (let i = 0; i < 101; i++) await api.createRelease({ tag: `many-${i}`, name: `many ${i}`, body: '' })
    const listed = await api.listReleases()
    expect(listed.filter((r) => r.tag_name.startsWith('many-'))).toHaveLength(101)
    expect(listed[0]?.tag_name).toBe('many-100') // newest first
    for (const release of listed.filter((r) => r.tag_name.startsWith('many-'))) await api.deleteRelease(release)
  })

  it('rejects a duplicate tag with ApiError 422', async () => {
    const release = await api.createRelease({ tag: 'dup', name: 'dup', body: '' })
    await expect(api.createRelease({ tag: 'dup', name: 'dup', body: '' })).rejects.toMatchObject({ status: 422, method: 'POST' })
    await api.deleteRelease(release)
  })

  it('does not carry the token across a redirect to another origin', async () => {
    const release = await api.createRelease({ tag: 'redirected', name: 'r', body: '' })
    const asset = await api.uploadAsset(release, 'db.gz', new Uint8Array([1, 2, 3]), 'application/gzip')
    // A second "API" on another port (another origin) that redirects to the fake's storage, as
    // api.github.com redirects to its storage host.
    const seen: (string | undefined)[] = []
    const redirector: Server = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res.writeHead(302, { location: `${gh.url}/storage/releases/${release.id}/${asset.id}/db.gz?sig=fake` }).end()
    })
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve))
    const redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`
    const sent: { origin: string; authorization: string | undefined }[] = []
    const onCreate = (message: unknown): void => {
      const { request } = message as { request: { origin: string; headers: string[] } }
      const index = request.headers.findIndex((name) => name.toLowerCase() === 'authorization')
      sent.push({ origin: String(request.origin), authorization: index >= 0 ? request.headers[index + 1] : undefined })
    }
    diagnostics.subscribe('undici:request:create', onCreate)
    try {
      const viaRedirect = fakeGitHubApi({ apiUrl: redirectorUrl, graphqlUrl: `${redirectorUrl}/graphql`, scenario: gh.scenario }, { token: TOKEN }).api
      const data = await viaRedirect.downloadAsset({ ...asset, url: `${redirectorUrl}/repos/alice/backage/releases/assets/${asset.id}` })
      expect([...data]).toEqual([1, 2, 3])
      expect(seen).toEqual([`token ${TOKEN}`])
      const toStorage = sent.filter((request) => request.origin === gh.url)
      expect(toStorage).toHaveLength(1)
      expect(toStorage[0]?.authorization).toBeUndefined()
    } finally {
      diagnostics.unsubscribe('undici:request:create', onCreate)
      await new Promise((resolve) => redirector.close(resolve))
      await api.deleteRelease(release)
    }
  })
})

describe('the API reserve', () => {
  it('stops scraping calls at the reserve but lets the snapshot release calls spend it', async () => {
    const limited = await FakeGitHub.start({ scenario: scenario(), rateLimit: { rest: 55 } })
    try {
      const limitedApi = fakeGitHubApi(limited).api
      let stopped: unknown = null
      for (let i = 0; i < 10 && stopped === null; i++) await limitedApi.getOwner('alice').catch((error: unknown) => (stopped = error))
      expect(stopped).toBeInstanceOf(Error)
      expect((stopped as Error).name).toBe('BudgetExhausted')
      const release = await limitedApi.createRelease({ tag: 'snapshot-20261122-000000', name: 's', body: 'b' })
      await limitedApi.uploadAsset(release, 'backage.db.zst', new Uint8Array([1, 2, 3]), 'application/zstd')
      const listed = await limitedApi.listReleases()
      expect(listed.map((r) => r.tag_name)).toEqual(['snapshot-20261122-000000'])
      expect(await limitedApi.downloadAsset(listed[0]?.assets[0] ?? { id: 0, name: '', size: 0, url: '' })).toEqual(new Uint8Array([1, 2, 3]))
      await limitedApi.deleteRelease(release)
      expect(limited.releases).toHaveLength(0)
    } finally {
      await limited.stop()
    }
  })
})

describe('drafts', () => {
  it('creates a draft and publishes it with PATCH draft=false', async () => {
    const draft = await api.createRelease({ tag: 'snapshot-20261123-000000', name: 's', body: 'b', draft: true })
    expect(draft.draft).toBe(true)
    expect(gh.releases.find((r) => r.id === draft.id)?.draft).toBe(true)
    const published = await api.publishRelease(draft)
    expect(published).toMatchObject({ id: draft.id, draft: false, tag_name: 'snapshot-20261123-000000' })
    expect(gh.releases.find((r) => r.id === draft.id)?.draft).toBe(false)
    expect(gh.requests.some((r) => r.method === 'PATCH' && r.path === `/api/repos/alice/backage/releases/${draft.id}`)).toBe(true)
    await api.deleteRelease(published)
  })
})

describe('rate limits and counting', () => {
  it('counts every request by kind and reads the GraphQL budget apart from the REST one', async () => {
    const fresh = await FakeGitHub.start({ scenario: scenario() })
    try {
      const { api: counted, budget } = fakeGitHubApi(fresh)
      await counted.getOwner('alice')
      await counted.restList('/users/alice/followers') // two pages
      await counted.graphql('query { user(login: "alice") { login } }')
      const release = await counted.createRelease({ tag: 't', name: 't', body: '' })
      await counted.uploadAsset(release, 'a.bin', new Uint8Array([1]), 'application/octet-stream')
      expect(budget.stats().requests).toEqual({ rest: 4, graphql: 1, upload: 1 })
      expect(budget.stats().rateLimit.graphql).toMatchObject({ limit: 5000, remaining: 4999 })
      expect(budget.stats().rateLimit.rest?.limit).toBe(5000)
    } finally {
      await fresh.stop()
    }
  })

  it('waits out a secondary rate limit (throttling plugin) and a 500 (retry plugin), counting the retries', async () => {
    const fresh = await FakeGitHub.start({ scenario: scenario() })
    try {
      const { api: retrying, budget } = fakeGitHubApi(fresh)
      fresh.inject({ path: '/api/users/alice', status: 403, secondaryRateLimit: true, retryAfter: 1, times: 1 })
      fresh.inject({ path: '/api/users/acme', status: 500, times: 1 })
      expect(await retrying.getOwner('alice')).toMatchObject({ login: 'alice' })
      expect(await retrying.getOwner('acme')).toMatchObject({ login: 'acme' })
      expect(fresh.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
        '/api/users/alice 403',
        '/api/users/alice 200',
        '/api/users/acme 500',
        '/api/users/acme 200'
      ])
      expect(budget.stats().requests.rest).toBe(4)
    } finally {
      await fresh.stop()
    }
  })

  it('stops gracefully (BudgetExhausted) when the primary limit is spent and its reset is too far', async () => {
    const spent = await FakeGitHub.start({ scenario: scenario(), rateLimit: { rest: 1 } })
    try {
      const { api: limited } = fakeGitHubApi(spent, { reserve: { rest: 0, graphql: 0 } })
      await limited.getOwner('alice')
      const error = await limited.getOwner('acme').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BudgetExhausted)
      expect(error).toMatchObject({ resource: 'rest' })
      expect((error as BudgetExhausted).resetAt).toBeInstanceOf(Date)
    } finally {
      await spent.stop()
    }
  })
})

describe('GitHub Enterprise layout', () => {
  it('posts GraphQL to GITHUB_GRAPHQL_URL (/api/graphql), REST and uploads under /api/v3 and /api/uploads', async () => {
    const ghe = await FakeGitHub.start({ scenario: scenario(), layout: 'enterprise' })
    try {
      expect(ghe.apiUrl).toBe(`${ghe.url}/api/v3`)
      const { api: enterprise } = fakeGitHubApi(ghe)
      const data = await enterprise.graphql<{ user: { login: string } }>('query { user(login: "alice") { login } }')
      expect(data.user.login).toBe('alice')
      expect(await enterprise.getOwner('acme')).toMatchObject({ type: 'Organization' })
      expect(await enterprise.restList('/users/alice/followers')).toHaveLength(followers.length)
      const release = await enterprise.createRelease({ tag: 'ghe', name: 'ghe', body: '' })
      expect(release.upload_url.startsWith(`${ghe.url}/api/uploads/`)).toBe(true)
      await enterprise.uploadAsset(release, 'db.zst', new Uint8Array([7]), 'application/zstd')
      expect(ghe.releases[0]?.assets.map((a) => a.name)).toEqual(['db.zst'])
      const paths = ghe.requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`)
      expect(paths).toEqual([
        'POST /api/graphql 200',
        'GET /api/v3/users/acme 200',
        'GET /api/v3/users/alice/followers 200',
        'GET /api/v3/users/alice/followers 200',
        'POST /api/v3/repos/alice/backage/releases 201',
        `POST /api/uploads/repos/alice/backage/releases/${release.id}/assets 201`
      ])
    } finally {
      await ghe.stop()
    }
  })

  it('answers 404 where a client deriving GraphQL from the REST base would post', async () => {
    const ghe = await FakeGitHub.start({ scenario: scenario(), layout: 'enterprise' })
    try {
      const reply = await fetch(`${ghe.apiUrl}/graphql`, { method: 'POST', body: '{"query":"{ viewer { login } }"}', headers: { authorization: 'token x' } })
      expect(reply.status).toBe(404)
      expect(ghe.requests.map((r) => r.path)).toEqual(['/api/v3/graphql'])
    } finally {
      await ghe.stop()
    }
  })
})
