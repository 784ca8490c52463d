import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import { startSample } from './helpers.js'

const packagePage = '/orgs/acme-labs/packages/npm/package/widgets'

describe('fake GitHub faults', () => {
  let gh: FakeGitHub
  beforeEach(async () => {
    gh = await startSample()
  })
  afterEach(async () => {
    await gh.stop()
  })

  it('answers 429 with retry-after `times` times, then recovers', async () => {
    gh.inject({ path: '/api/users/octo-dev', status: 429, times: 2, retryAfter: 7 })
    const first = await fetch(`${gh.apiUrl}/users/octo-dev`)
    const second = await fetch(`${gh.apiUrl}/users/octo-dev?per_page=1`) // a string without query also matches with one
    const third = await fetch(`${gh.apiUrl}/users/octo-dev`)
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200])
    expect(first.headers.get('retry-after')).toBe('7')
    expect(((await third.json()) as { login: string }).login).toBe('octo-dev')
    // Other paths are untouched.
    expect((await fetch(`${gh.apiUrl}/users/acme-labs`)).status).toBe(200)
  })

  it('injects 500 forever until cleared, matched by RegExp on path with query', async () => {
    gh.inject({ path: /[?&]page=2\b/, status: 500 })
    expect((await fetch(`${gh.url}/orgs/acme-labs/packages?visibility=public&page=2`)).status).toBe(500)
    expect((await fetch(`${gh.url}/orgs/acme-labs/packages?visibility=public&page=2`)).status).toBe(500)
    expect((await fetch(`${gh.url}/orgs/acme-labs/packages?visibility=public&page=1`)).status).toBe(200)
    gh.clearFaults()
    expect((await fetch(`${gh.url}/orgs/acme-labs/packages?visibility=public&page=2`)).status).toBe(200)
  })

  it('injects a 404 on a page that exists and a secondary rate limit 403 on the API', async () => {
    gh.inject({ path: packagePage, status: 404, times: 1 })
    gh.inject({ path: '/api/orgs/acme-labs', status: 403, secondaryRateLimit: true, times: 1 })
    expect((await fetch(`${gh.url}${packagePage}`)).status).toBe(404)
    expect((await fetch(`${gh.url}${packagePage}`)).status).toBe(200)
    const limited = await fetch(`${gh.apiUrl}/orgs/acme-labs`)
    expect(limited.status).toBe(403)
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/)
  })

  it('delays matching responses by at least delayMs', async () => {
    gh.inject({ path: '/api/users/octo-dev', delayMs: 300, times: 1 })
    const started = performance.now()
    const response = await fetch(`${gh.apiUrl}/users/octo-dev`)
    expect(response.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    expect(gh.requests.at(-1)?.status).toBe(200)
  })

  it('renders a package page with a changed layout `times` times', async () => {
    gh.inject({ path: packagePage, layoutChanged: true, times: 1 })
    // Other page kinds do not consume the fault.
    expect((await fetch(`${gh.url}/orgs/acme-labs/packages/npm/widgets/versions`)).status).toBe(200)
    const changed = await (await fetch(`${gh.url}${packagePage}`)).text()
    const normal = await (await fetch(`${gh.url}${packagePage}`)).text()
    expect(changed).not.toContain('Total downloads')
    expect(normal).toContain('Total downloads')
  })

  it('adds the configured latency to every response', async () => {
    const slow = await startSample({ latencyMs: 150 })
    try {
      const started = performance.now()
      await fetch(`${slow.url}/octo-dev?tab=packages&visibility=public&page=1`)
      await fetch(`${slow.registryUrl}/token?scope=repository:acme-labs/server:pull&service=ghcr.io`)
      expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    } finally {
      await slow.stop()
    }
  })
})
