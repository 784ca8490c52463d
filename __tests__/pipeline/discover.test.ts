/**
 * Discovery and login resolution over the real API client against the fake GitHub's GraphQL and REST.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import type { Scenario } from '../../test-support/scenario.js'
import type { GitHubApi } from '../../src/github/octokit.js'
import { fakeGitHubApi } from '../../test-support/github-api.js'
import { discoverOwners, resolveOwners, type DiscoverySource } from '../../src/pipeline/discover.js'

const ALL: DiscoverySource[] = ['stargazers', 'watchers', 'forks', 'followers']
const manyStars = Array.from({ length: 230 }, (_, i) => `star-${i}`)

function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    repository: { owner: 'alice', name: 'backage' },
    owners: [
      { login: 'alice', id: 1001, type: 'User', packages: [], followers: ['fan-1', 'shared'] },
      { login: 'acme', id: 2001, type: 'Organization', packages: [], followers: ['org-fan'] },
      { login: 'star-1', id: 3001, type: 'User', packages: [], orgs: ['bigcorp'] }
    ],
    stargazers: [...manyStars, 'shared'],
    watchers: ['watcher-1', 'shared'],
    forks: ['forker'],
    today: '2026-11-20',
    ...overrides
  }
}

const running: FakeGitHub[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((gh) => gh.stop()))
})

async function setup(world: Scenario): Promise<{ gh: FakeGitHub; api: GitHubApi }> {
  const gh = await FakeGitHub.start({ scenario: world })
  running.push(gh)
  return { gh, api: fakeGitHubApi(gh).api }
}

function recorder(): { notices: string[]; infos: string[]; log: { notice(m: string): void; info(m: string): void } } {
  const notices: string[] = []
  const infos: string[] = []
  return { notices, infos, log: { notice: (m) => notices.push(m), info: (m) => infos.push(m) } }
}

const edges = (found: Map<string, Set<string>>, login: string): string[] => [...(found.get(login) ?? [])].sort()

describe('discoverOwners', () => {
  it('finds logins from every source, all pages, with their edges', async () => {
    const world = scenario()
    const { gh, api } = await setup(world)
    const { notices, log } = recorder()
    const found = await discoverOwners(api, { owner: 'alice', repo: 'backage', sources: ALL, log })
    expect(notices).toEqual([])
    for (const login of manyStars) expect(found.get(login)?.has('stargazers')).toBe(true)
    expect(edges(found, 'shared')).toEqual(['followers', 'stargazers', 'watchers'])
    expect(edges(found, 'watcher-1')).toEqual(['watchers'])
    expect(edges(found, 'forker')).toEqual(['forks'])
    expect(edges(found, 'fan-1')).toEqual(['followers'])
    expect(edges(found, 'bigcorp')).toEqual(['orgs'])
    expect(found.size).toBe(230 + 5)
    // 230 + 1 stargazers at 100 a page: three pages.
    const graphql = gh.requests.filter((entry) => entry.kind === 'graphql')
    expect(graphql.length).toBeGreaterThanOrEqual(3)
  })

  it('reads only the chosen sources', async () => {
    const { api } = await setup(scenario())
    const { log } = recorder()
    const found = await discoverOwners(api, { owner: 'alice', repo: 'backage', sources: ['forks'], log })
    expect([...found.keys()]).toEqual(['forker'])
  })

  it('logs one notice when stargazers and watchers are restricted, and goes on', async () => {
    const { api } = await setup(scenario({ restrictStarsAndWatchers: true }))
    const { notices, log } = recorder()
    const found = await discoverOwners(api, { owner: 'alice', repo: 'backage', sources: ALL, log })
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/stargazers and watchers/)
    expect(found.has('star-1')).toBe(false)
    expect(edges(found, 'forker')).toEqual(['forks'])
    expect(edges(found, 'shared')).toEqual(['followers'])
  })

  it('treats empty stargazer and watcher lists as restricted (one notice)', async () => {
    const { api } = await setup(scenario({ stargazers: [], watchers: [] }))
    const { notices, log } = recorder()
    const found = await discoverOwners(api, { owner: 'alice', repo: 'backage', sources: ALL, log })
    expect(notices).toHaveLength(1)
    expect(found.has('forker')).toBe(true)
  })

  it('reads the followers of an organization through REST', async () => {
    const world = scenario({ repository: { owner: 'acme', name: 'backage' } })
    const { gh, api } = await setup(world)
    const { log } = recorder()
    const found = await discoverOwners(api, { owner: 'acme', repo: 'backage', sources: ['followers'], log })
    expect(edges(found, 'org-fan')).toEqual(['followers'])
    expect(gh.requests.some((entry) => entry.kind === 'rest' && entry.path.startsWith('/api/users/acme/followers'))).toBe(true)
  })

  it('drops answers that are not valid logins (SPEC 12), with one notice', async () => {
    const odd = ['../../etc', '<img src=x onerror=alert(1)>', 'a'.repeat(60), 'ends-with-space ']
    const { api } = await setup(scenario({ stargazers: ['shared', ...odd], watchers: [], forks: ['forker'] }))
    const { notices, log } = recorder()
    const found = await discoverOwners(api, { owner: 'alice', repo: 'backage', sources: ['stargazers', 'forks'], log })
    expect([...found.keys()].sort()).toEqual(['forker', 'shared'])
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/4 answer\(s\) were not valid logins/)
  })

  it('skips a failing source with a notice and keeps the others', async () => {
    const { gh, api } = await setup(scenario())
    const { notices, log } = recorder()
    // Make followers fail: the owner is an organization whose REST followers list answers 500.
    gh.inject({ path: /^\/api\/users\/acme\/followers/, status: 500 })
    const found = await discoverOwners(api, { owner: 'acme', repo: 'backage', sources: ['followers'], log })
    expect(found.size).toBe(0)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/followers skipped/)
  })
})

describe('resolveOwners', () => {
  it('resolves 120 logins in 3 GraphQL queries, null for unknown ones', async () => {
    const stars = Array.from({ length: 117 }, (_, i) => `star-${i}`)
    const { gh, api } = await setup(scenario())
    const logins = ['alice', 'acme', 'nobody-at-all', ...stars]
    const before = gh.requests.length
    const resolved = await resolveOwners(api, logins)
    const sent = gh.requests.slice(before)
    expect(sent.filter((entry) => entry.kind === 'graphql')).toHaveLength(3)
    expect(sent.filter((entry) => entry.kind === 'rest')).toHaveLength(0)
    expect(resolved.size).toBe(120)
    expect(resolved.get('alice')).toEqual({ login: 'alice', id: 1001, type: 'User' })
    expect(resolved.get('acme')).toEqual({ login: 'acme', id: 2001, type: 'Organization' })
    expect(resolved.get('star-1')).toEqual({ login: 'star-1', id: 3001, type: 'User' })
    expect(resolved.get('nobody-at-all')).toBeNull()
  })

  it('passes odd logins as variables, never into the query text', async () => {
    const { api } = await setup(scenario())
    const resolved = await resolveOwners(api, ['") { x } #', 'alice'])
    expect(resolved.get('alice')?.id).toBe(1001)
    expect(resolved.get('") { x } #')).toBeNull()
  })

  it('leaves an owner whose id is not a safe integer unresolved, never storing it', async () => {
    const world = scenario()
    world.owners.push({ login: 'huge', id: 2 ** 53 + 2, type: 'User', packages: [] })
    const { api } = await setup(world)
    const resolved = await resolveOwners(api, ['huge', 'alice'])
    expect(resolved.has('huge')).toBe(false)
    expect(resolved.get('alice')?.id).toBe(1001)
  })

  it('falls back to REST /users/{login} when GraphQL fails', async () => {
    const { gh, api } = await setup(scenario())
    gh.inject({ path: '/api/graphql', status: 502 })
    const resolved = await resolveOwners(api, ['alice', 'acme', 'nobody-at-all'])
    expect(resolved.get('alice')).toEqual({ login: 'alice', id: 1001, type: 'User' })
    expect(resolved.get('acme')).toEqual({ login: 'acme', id: 2001, type: 'Organization' })
    expect(resolved.get('nobody-at-all')).toBeNull()
    expect(gh.requests.filter((entry) => entry.path.startsWith('/api/users/')).map((entry) => entry.path)).toEqual([
      '/api/users/alice',
      '/api/users/acme',
      '/api/users/nobody-at-all'
    ])
  })
})
