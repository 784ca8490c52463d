import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import { getJson, startSample } from './helpers.js'

interface Account {
  login: string
  id: number
  type: string
}

describe('fake GitHub REST', () => {
  let gh: FakeGitHub
  beforeAll(async () => {
    gh = await startSample()
  })
  afterAll(async () => {
    await gh.stop()
  })

  it('tells users from organizations and answers 404 for unknown accounts', async () => {
    const user = await getJson<Account>(`${gh.apiUrl}/users/Octo-Dev`)
    expect(user.status).toBe(200)
    expect(user.body).toMatchObject({ login: 'octo-dev', id: 91_000_003, type: 'User' })
    expect((await getJson<Account>(`${gh.apiUrl}/users/acme-labs`)).body.type).toBe('Organization')
    expect((await getJson<Account>(`${gh.apiUrl}/orgs/acme-labs`)).status).toBe(200)
    expect((await getJson(`${gh.apiUrl}/orgs/octo-dev`)).status).toBe(404)
    const missing = await getJson<{ message: string }>(`${gh.apiUrl}/users/nobody-here`)
    expect(missing.status).toBe(404)
    expect(missing.body.message).toBe('Not Found')
    // A login known only from an edge (a stargazer) is a user without packages.
    expect((await getJson<Account>(`${gh.apiUrl}/users/lena-k`)).body.type).toBe('User')
  })

  it('lists memberships and followers (of organizations too)', async () => {
    const orgs = await getJson<Account[]>(`${gh.apiUrl}/users/octo-dev/orgs`)
    expect(orgs.body.map((o) => o.login)).toEqual(['acme-labs', 'pixel-forge'])
    const followers = await getJson<Account[]>(`${gh.apiUrl}/users/acme-labs/followers`)
    expect(followers.body.map((f) => f.login)).toEqual(['lena-k', 'octo-dev'])
  })

  it('paginates with per_page/page and a Link header', async () => {
    const first = await getJson<Account[]>(`${gh.apiUrl}/users/backage-demo/followers?per_page=1`)
    expect(first.body.map((f) => f.login)).toEqual(['octo-dev'])
    const link = first.headers.get('link') ?? ''
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1]
    expect(next).toBe(`${gh.apiUrl}/users/backage-demo/followers?per_page=1&page=2`)
    expect(link).toContain('rel="last"')
    const second = await getJson<Account[]>(next ?? '')
    expect(second.body.map((f) => f.login)).toEqual(['lena-k'])
    expect(second.headers.get('link')).not.toContain('rel="next"')
  })

  it('serves the repository, its stargazers, watchers and forks', async () => {
    const repo = await getJson<{ full_name: string; stargazers_count: number; subscribers_count: number; forks_count: number }>(
      `${gh.apiUrl}/repos/backage-demo/backage`
    )
    expect(repo.body).toMatchObject({ full_name: 'backage-demo/backage', stargazers_count: 2, subscribers_count: 2, forks_count: 2 })
    expect((await getJson<Account[]>(`${gh.apiUrl}/repos/backage-demo/backage/stargazers`)).body.map((a) => a.login)).toEqual(['octo-dev', 'lena-k'])
    expect((await getJson<Account[]>(`${gh.apiUrl}/repos/backage-demo/backage/subscribers`)).body.map((a) => a.login)).toEqual(['octo-dev', 'backage-demo'])
    const forks = await getJson<{ owner: Account; fork: boolean }[]>(`${gh.apiUrl}/repos/backage-demo/backage/forks`)
    expect(forks.body.map((f) => [f.owner.login, f.owner.type, f.fork])).toEqual([
      ['lena-k', 'User', true],
      ['pixel-forge', 'Organization', true]
    ])
    expect((await getJson(`${gh.apiUrl}/repos/backage-demo/nothing`)).status).toBe(404)
  })

  it('answers 403 for stargazers and watchers when the scenario restricts them', async () => {
    gh.scenario.restrictStarsAndWatchers = true
    try {
      expect((await getJson(`${gh.apiUrl}/repos/backage-demo/backage/stargazers`)).status).toBe(403)
      expect((await getJson(`${gh.apiUrl}/repos/backage-demo/backage/subscribers`)).status).toBe(403)
      expect((await getJson(`${gh.apiUrl}/repos/backage-demo/backage/forks`)).status).toBe(200)
    } finally {
      gh.scenario.restrictStarsAndWatchers = false
    }
  })

  it('answers 304 to If-None-Match with the ETag, without counting it', async () => {
    const first = await fetch(`${gh.apiUrl}/users/octo-dev`)
    const etag = first.headers.get('etag') ?? ''
    expect(etag).toMatch(/^W\/".+"$/)
    const remaining = Number(first.headers.get('x-ratelimit-remaining'))
    const cached = await fetch(`${gh.apiUrl}/users/octo-dev`, { headers: { 'if-none-match': etag } })
    expect(cached.status).toBe(304)
    expect(Number(cached.headers.get('x-ratelimit-remaining'))).toBe(remaining)
    expect(gh.requests.at(-1)).toMatchObject({ status: 304, ifNoneMatch: etag, kind: 'rest' })
    // A changed resource gets a new ETag.
    const other = await fetch(`${gh.apiUrl}/users/acme-labs`, { headers: { 'if-none-match': etag } })
    expect(other.status).toBe(200)
    // Pages too.
    const page = await fetch(`${gh.url}/octo-dev?tab=packages&visibility=public&page=1`)
    const again = await fetch(`${gh.url}/octo-dev?tab=packages&visibility=public&page=1`, { headers: { 'if-none-match': page.headers.get('etag') ?? '' } })
    expect(again.status).toBe(304)
  })
})

describe('fake GitHub primary rate limit', () => {
  it('counts REST requests in headers and answers 403 at zero', async () => {
    const gh = await startSample({ rateLimit: { rest: 3 } })
    try {
      const remaining: (string | null)[] = []
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${gh.apiUrl}/users/octo-dev`)
        expect(response.status).toBe(200)
        remaining.push(response.headers.get('x-ratelimit-remaining'))
      }
      expect(remaining).toEqual(['2', '1', '0'])
      const refused = await fetch(`${gh.apiUrl}/users/octo-dev`)
      expect(refused.status).toBe(403)
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
      expect(refused.headers.get('x-ratelimit-resource')).toBe('core')
      expect(refused.headers.get('x-ratelimit-used')).toBe('3')
      const reset = Number(refused.headers.get('x-ratelimit-reset'))
      expect(reset).toBeGreaterThan(Date.now() / 1000)
      expect(((await refused.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/)
      // /rate_limit is free and reports the same state; pages are not counted.
      const limits = await getJson<{ resources: { core: { remaining: number; limit: number; reset: number } } }>(`${gh.apiUrl}/rate_limit`)
      expect(limits.status).toBe(200)
      expect(limits.body.resources.core).toMatchObject({ remaining: 0, limit: 3, reset })
      expect((await fetch(`${gh.url}/orgs/acme-labs/packages?visibility=public&page=1`)).status).toBe(200)
    } finally {
      await gh.stop()
    }
  })
})
