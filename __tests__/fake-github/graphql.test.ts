import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import { graphqlQuery, startSample } from './helpers.js'

interface Page<T> {
  totalCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  nodes: T[]
}

describe('fake GitHub GraphQL', () => {
  let gh: FakeGitHub
  beforeAll(async () => {
    gh = await startSample({ rateLimit: { graphql: 1000 } })
  })
  afterAll(async () => {
    await gh.stop()
  })

  it('resolves many logins in one query through aliases, with typename and databaseId', async () => {
    const result = await graphqlQuery<Record<string, { __typename: string; login: string; databaseId: number } | null>>(
      gh,
      `query {
        a: repositoryOwner(login: "octo-dev") { __typename login ... on User { databaseId } }
        b: repositoryOwner(login: "ACME-LABS") { __typename login ... on Organization { databaseId } }
        c: repositoryOwner(login: "does-not-exist") { login }
      }`
    )
    expect(result.status).toBe(200)
    expect(result.body.data).toEqual({
      a: { __typename: 'User', login: 'octo-dev', databaseId: 91_000_003 },
      b: { __typename: 'Organization', login: 'acme-labs', databaseId: 91_000_002 },
      c: null
    })
  })

  it('reports NOT_FOUND for unknown users, organizations and repositories', async () => {
    const result = await graphqlQuery(gh, `{ user(login: "ghost-x") { login } organization(login: "octo-dev") { login } }`)
    expect(result.body.data).toEqual({ user: null, organization: null })
    expect(result.body.errors?.map((e) => [e.type, e.path])).toEqual([
      ['NOT_FOUND', ['user']],
      ['NOT_FOUND', ['organization']]
    ])
  })

  it('pages through a connection with first/after and opaque cursors', async () => {
    const query = `query($owner: String!, $name: String!, $after: String) {
      repository(owner: $owner, name: $name) {
        stargazers(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { login } }
      }
    }`
    type Data = { repository: { stargazers: Page<{ login: string }> } }
    const logins: string[] = []
    let after: string | null = null
    for (let i = 0; i < 5; i++) {
      const result: { body: { data?: Data } } = await graphqlQuery<Data>(gh, query, { owner: 'backage-demo', name: 'backage', after })
      const page = result.body.data?.repository.stargazers
      expect(page?.totalCount).toBe(2)
      logins.push(...(page?.nodes.map((n) => n.login) ?? []))
      if (!page?.pageInfo.hasNextPage) break
      after = page.pageInfo.endCursor
      expect(after).not.toMatch(/^\d+$/) // opaque
    }
    expect(logins).toEqual(['octo-dev', 'lena-k'])
  })

  it('serves followers and organizations of users, forks, and no followers on organizations', async () => {
    const result = await graphqlQuery<{
      user: { followers: Page<{ login: string }>; organizations: Page<{ login: string }> }
      repository: { forks: Page<{ owner: { login: string } }> }
    }>(
      gh,
      `{ user(login: "backage-demo") { followers(first: 100) { totalCount nodes { login } } organizations(first: 100) { nodes { login } } }
         repository(owner: "backage-demo", name: "backage") { forks(first: 100) { nodes { owner { login } } } } }`
    )
    expect(result.body.data?.user.followers.nodes.map((n) => n.login)).toEqual(['octo-dev', 'lena-k'])
    expect(result.body.data?.user.organizations.nodes.map((n) => n.login)).toEqual(['acme-labs'])
    expect(result.body.data?.repository.forks.nodes.map((n) => n.owner.login)).toEqual(['lena-k', 'pixel-forge'])
    const orgFollowers = await graphqlQuery(gh, `{ organization(login: "acme-labs") { followers(first: 10) { totalCount } } }`)
    expect(orgFollowers.body.data).toBeUndefined()
    expect(orgFollowers.body.errors?.[0]?.message).toMatch(/Cannot query field "followers" on type "Organization"/)
  })

  it('limits first to 100', async () => {
    const result = await graphqlQuery(gh, `{ repository(owner: "backage-demo", name: "backage") { stargazers(first: 101) { totalCount } } }`)
    expect(result.body.errors?.[0]?.type).toBe('EXCESSIVE_PAGINATION')
  })

  it('answers a restricted stargazer or watcher list with a FORBIDDEN error on that field (HTTP 200)', async () => {
    gh.scenario.restrictStarsAndWatchers = true
    try {
      const result = await graphqlQuery<{ repository: { name: string; stargazers: null; watchers: null; forks: { totalCount: number } } }>(
        gh,
        `{ repository(owner: "backage-demo", name: "backage") { name stargazers(first: 10) { totalCount } watchers(first: 10) { totalCount } forks(first: 10) { totalCount } } }`
      )
      expect(result.status).toBe(200)
      expect(result.body.data?.repository).toEqual({ name: 'backage', stargazers: null, watchers: null, forks: { totalCount: 2 } })
      expect(result.body.errors?.map((e) => [e.type, e.path?.join('.')])).toEqual([
        ['FORBIDDEN', 'repository.stargazers'],
        ['FORBIDDEN', 'repository.watchers']
      ])
    } finally {
      gh.scenario.restrictStarsAndWatchers = false
    }
  })

  it('counts one point per query in headers and in rateLimit, and needs a token', async () => {
    const first = await graphqlQuery<{ rateLimit: { limit: number; remaining: number; cost: number } }>(gh, `{ rateLimit { limit remaining cost resetAt } }`)
    const second = await graphqlQuery<{ rateLimit: { remaining: number } }>(gh, `{ rateLimit { remaining } }`)
    expect(first.body.data?.rateLimit).toMatchObject({ limit: 1000, cost: 1 })
    expect(second.body.data?.rateLimit.remaining).toBe((first.body.data?.rateLimit.remaining ?? 0) - 1)
    expect(second.headers.get('x-ratelimit-remaining')).toBe(String(second.body.data?.rateLimit.remaining))
    expect(second.headers.get('x-ratelimit-resource')).toBe('graphql')
    const anonymous = await fetch(`${gh.apiUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ rateLimit { cost } }' }) })
    expect(anonymous.status).toBe(401)
    expect(gh.requests.at(-1)?.kind).toBe('graphql')
  })
})
