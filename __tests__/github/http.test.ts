/**
 * The page and registry client against the fake GitHub: retries and their waits (recorded by an
 * injected sleep, never waited for real), the page concurrency cap, ETag reuse, abort, and that it
 * sends no credentials of its own. What it puts on the wire is observed through undici's
 * diagnostics channels. (The API budgets are Octokit's side: octokit.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import diagnostics from 'node:diagnostics_channel'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import type { Scenario } from '../../test-support/scenario.js'
import { BudgetExhausted } from '../../src/github/http.js'
import { client, USER_AGENT } from './http-support.js'


function scenario(): Scenario {
  return {
    repository: { owner: 'alice', name: 'backage' },
    owners: [
      { login: 'alice', id: 1001, type: 'User', packages: [] },
      { login: 'acme', id: 2001, type: 'Organization', packages: [] }
    ],
    stargazers: [],
    watchers: [],
    forks: [],
    today: '2026-11-20'
  }
}

/** Requests as undici sends them: origin, path and headers, plus how many are open at once. */
class Wire {
  readonly sent: { origin: string; path: string; headers: Record<string, string> }[] = []
  private open = new Set<object>()
  maxOpenPages = 0
  private readonly onCreate = (message: unknown): void => {
    const { request } = message as { request: { origin: string; path: string; headers: string[] } }
    const headers: Record<string, string> = {}
    for (let i = 0; i + 1 < request.headers.length; i += 2) headers[String(request.headers[i]).toLowerCase()] = String(request.headers[i + 1])
    this.sent.push({ origin: String(request.origin), path: request.path, headers })
    if (request.path.startsWith('/users/')) {
      this.open.add(request)
      this.maxOpenPages = Math.max(this.maxOpenPages, this.open.size)
    }
  }
  private readonly onDone = (message: unknown): void => {
    this.open.delete((message as { request: object }).request)
  }

  constructor() {
    diagnostics.subscribe('undici:request:create', this.onCreate)
    diagnostics.subscribe('undici:request:trailers', this.onDone)
    diagnostics.subscribe('undici:request:error', this.onDone)
  }

  close(): void {
    diagnostics.unsubscribe('undici:request:create', this.onCreate)
    diagnostics.unsubscribe('undici:request:trailers', this.onDone)
    diagnostics.unsubscribe('undici:request:error', this.onDone)
  }
}

let gh: FakeGitHub
beforeAll(async () => {
  gh = await FakeGitHub.start({ scenario: scenario() })
})
afterAll(async () => {
  await gh.stop()
})
afterEach(() => {
  gh.clearFaults()
  gh.requests.length = 0
})

const logged = (path: string) => gh.requests.filter((entry) => entry.path === path)

describe('retries', () => {
  it('waits what retry-after says on 429, then returns the success', async () => {
    gh.inject({ path: '/alice', status: 429, retryAfter: 7, times: 2 })
    const { http, waits } = client()
    const response = await http.request({ url: `${gh.serverUrl}/alice`, kind: 'page' })
    expect(response.status).toBe(200)
    expect(response.text()).toContain('<h1>alice</h1>')
    expect(waits).toEqual([7000, 7000])
    expect(logged('/alice').map((entry) => entry.status)).toEqual([429, 429, 200])
    expect(http.stats().retries).toBe(2)
  })

  it('recovers from 500s with exponential backoff', async () => {
    gh.inject({ path: '/acme', status: 500, times: 2 })
    const { http, waits } = client({ baseDelayMs: 100 })
    const response = await http.request({ url: `${gh.serverUrl}/acme`, kind: 'page' })
    expect(response.status).toBe(200)
    expect(waits).toEqual([100, 200])
  })

  it('returns the last answer when retries are used up', async () => {
    gh.inject({ path: '/acme', status: 503 })
    const { http, waits } = client({ maxRetries: 2 })
    const response = await http.request({ url: `${gh.serverUrl}/acme`, kind: 'page' })
    expect(response.status).toBe(503)
    expect(waits).toHaveLength(2)
    expect(logged('/acme')).toHaveLength(3)
  })

  it('retries network errors, then throws', async () => {
    const closed = await FakeGitHub.start({ scenario: scenario() })
    const url = `${closed.serverUrl}/alice`
    await closed.stop()
    const { http, waits } = client({ maxRetries: 2 })
    await expect(http.request({ url, kind: 'page' })).rejects.toThrow()
    expect(waits).toEqual([10, 20])
    expect(http.stats().requests.page).toBe(3)
  })

  it('does not retry a 404', async () => {
    const { http, waits } = client()
    const response = await http.request({ url: `${gh.serverUrl}/nobody-here`, kind: 'page' })
    expect(response.status).toBe(404)
    expect(waits).toEqual([])
    expect(logged('/nobody-here')).toHaveLength(1)
  })

  it('retries a secondary rate limit 403 after at least a minute, but not a plain 403', async () => {
    gh.inject({ path: '/users/alice', status: 403, secondaryRateLimit: true, times: 1 })
    const { http, waits } = client()
    const page = await http.request({ url: `${gh.serverUrl}/users/alice`, kind: 'page' })
    expect(logged('/users/alice').map((entry) => entry.status)).toEqual([403, page.status])
    expect(waits).toEqual([60_000])

    gh.inject({ path: '/acme', status: 403, times: 1 })
    const forbidden = await http.request({ url: `${gh.serverUrl}/acme`, kind: 'page' })
    expect(forbidden.status).toBe(403)
    expect(logged('/acme')).toHaveLength(1)
  })

  it('gives up with BudgetExhausted instead of waiting longer than the cap', async () => {
    gh.inject({ path: '/alice', status: 429, retryAfter: 3600, times: 1 })
    const { http, waits } = client({ maxWaitMs: 60_000 })
    await expect(http.request({ url: `${gh.serverUrl}/alice`, kind: 'page' })).rejects.toBeInstanceOf(BudgetExhausted)
    expect(waits).toEqual([])
  })
})

describe('politeness', () => {
  it('never has more page requests open than its concurrency', async () => {
    gh.inject({ path: /^\/users\//, delayMs: 40 })
    const wire = new Wire()
    try {
      const { http } = client({ concurrency: 3 })
      const urls = Array.from({ length: 12 }, (_, i) => `${gh.serverUrl}/users/alice?n=${i}`)
      await Promise.all(urls.map((url) => http.request({ url, kind: 'page' })))
      expect(wire.maxOpenPages).toBeGreaterThan(1)
      expect(wire.maxOpenPages).toBeLessThanOrEqual(3)
      expect(http.stats().requests.page).toBe(12)
    } finally {
      wire.close()
    }
  })

  it('pauses a random jitter before page requests', async () => {
    const { http, waits } = client({ pageJitterMs: 250, random: () => 0.5 })
    await http.request({ url: `${gh.serverUrl}/users/alice`, kind: 'page' })
    await http.request({ url: `${gh.registryUrl}/v2/`, kind: 'registry' })
    expect(waits).toEqual([125])
  })

  it('sends its User-Agent on every request of every kind', async () => {
    const { http } = client()
    await http.request({ url: `${gh.serverUrl}/users/alice`, kind: 'page' })
    await http.request({ url: `${gh.registryUrl}/token?scope=repository:alice/x:pull&service=ghcr.io`, kind: 'registry' })
    expect(gh.requests.length).toBeGreaterThanOrEqual(2)
    for (const entry of gh.requests) expect(entry.userAgent).toBe(USER_AGENT)
  })

  it('sends no credentials of its own: only the registry token a caller puts in the headers', async () => {
    const wire = new Wire()
    try {
      const { http } = client()
      await http.request({ url: `${gh.serverUrl}/users/alice`, kind: 'page' })
      await http.request({ url: `${gh.registryUrl}/v2/`, kind: 'registry', headers: { authorization: 'Bearer pull-token' } })
      const authorization = (path: string) => wire.sent.find((request) => request.path === path)?.headers.authorization
      expect(authorization('/users/alice')).toBeUndefined()
      expect(authorization('/registry/v2/')).toBe('Bearer pull-token')
    } finally {
      wire.close()
    }
  })
})

describe('conditional requests', () => {
  it('revalidates a repeated GET with If-None-Match and serves the remembered body on 304', async () => {
    const { http } = client()
    const first = await http.request({ url: `${gh.serverUrl}/alice`, kind: 'page' })
    const second = await http.request({ url: `${gh.serverUrl}/alice`, kind: 'page' })
    const entries = logged('/alice')
    expect(entries.map((entry) => entry.status)).toEqual([200, 304])
    expect(entries[0]?.ifNoneMatch).toBeUndefined()
    expect(entries[1]?.ifNoneMatch).toMatch(/^W\/"/)
    expect(second.status).toBe(200)
    expect(second.text()).toBe(first.text())
    expect(second.fromCache).toBe(true)
    expect(http.stats().notModified).toBe(1)
  })
})

describe('abort', () => {
  it('rejects at once with an already aborted signal and sends nothing', async () => {
    const { http } = client()
    const controller = new AbortController()
    controller.abort()
    await expect(
      http.request({ url: `${gh.serverUrl}/alice`, kind: 'page', signal: controller.signal })
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(gh.requests).toHaveLength(0)
  })

  it('stops a backoff wait when the signal aborts', async () => {
    gh.inject({ path: '/alice', status: 500 })
    const controller = new AbortController()
    const { http } = client({
      sleep: async (_ms, signal) => {
        controller.abort()
        signal?.throwIfAborted()
      }
    })
    await expect(
      http.request({ url: `${gh.serverUrl}/alice`, kind: 'page', signal: controller.signal })
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(logged('/alice')).toHaveLength(1)
  })

  it('leaves the queue when aborted while waiting for a slot', async () => {
    gh.inject({ path: '/users/alice', delayMs: 100, times: 1 })
    const { http } = client({ concurrency: 1 })
    const busy = http.request({ url: `${gh.serverUrl}/users/alice`, kind: 'page' })
    const controller = new AbortController()
    const queued = http.request({ url: `${gh.serverUrl}/users/acme`, kind: 'page', signal: controller.signal })
    controller.abort()
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' })
    await busy
    expect(logged('/users/acme')).toHaveLength(0)
    // The slot is free again.
    expect((await http.request({ url: `${gh.serverUrl}/users/acme`, kind: 'page' })).status).not.toBe(0)
  })
})
