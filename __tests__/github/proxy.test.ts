/**
 * Self-hosted runners behind a proxy (SPEC 5.5): page requests and API calls go through the proxy
 * that `http_proxy`/`https_proxy` names for their scheme, unless `no_proxy` lists the host. The
 * toolkit bypasses proxies for loopback addresses, so the requests name non-loopback hosts
 * (`pages.example`, `api.example`) and the test's CONNECT proxy maps them to the fake on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { HttpClient } from '../../src/github/http.js'
import { proxyFor } from '../../src/github/proxy.js'
import { fakeGitHubApi } from '../../test-support/github-api.js'

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']

/** A CONNECT proxy that records each target and tunnels it to 127.0.0.1 on the same port. */
class TunnelProxy {
  readonly targets: string[] = []
  private constructor(
    private readonly server: Server,
    readonly url: string
  ) {}

  static async start(): Promise<TunnelProxy> {
    const server = createServer((_req, res) => res.writeHead(405).end('CONNECT only'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const proxy = new TunnelProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    server.on('connect', (req, client: Socket, head: Buffer) => {
      const target = req.url ?? ''
      proxy.targets.push(target)
      const port = Number(target.split(':')[1] ?? '80')
      const upstream = connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    return proxy
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise((resolve) => this.server.close(resolve))
  }
}

let gh: FakeGitHub
let forHttp: TunnelProxy
let forHttps: TunnelProxy
const saved: Record<string, string | undefined> = {}

beforeAll(async () => {
  for (const name of PROXY_VARIABLES) saved[name] = process.env[name]
  gh = await FakeGitHub.start({ scenario: sampleScenario() })
  forHttp = await TunnelProxy.start()
  forHttps = await TunnelProxy.start()
})
afterEach(() => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})
afterAll(async () => {
  await gh.stop()
  await forHttp.stop()
  await forHttps.stop()
})

function useProxies(noProxy = ''): void {
  for (const name of PROXY_VARIABLES) delete process.env[name]
  process.env.http_proxy = forHttp.url
  process.env.https_proxy = forHttps.url
  if (noProxy) process.env.no_proxy = noProxy
}

const port = (): string => new URL(gh.url).port

describe('proxies', () => {
  it('sends an http:// page request through http_proxy, not https_proxy', async () => {
    useProxies()
    const http = new HttpClient({ userAgent: 'backage-action/1.0 (+test)', concurrency: 1, pageJitterMs: 0, maxRetries: 0 })
    const response = await http.request({ url: `http://pages.example:${port()}/acme-labs`, kind: 'page' })
    expect(response.status).toBe(200)
    expect(response.text()).toContain('<h1>acme-labs</h1>')
    expect(forHttp.targets).toEqual([`pages.example:${port()}`])
    expect(forHttps.targets).toEqual([])
    expect(gh.requests.map((r) => r.path)).toContain('/acme-labs')
  })

  it('sends an https:// page request through https_proxy', async () => {
    useProxies()
    const before = forHttp.targets.length
    const http = new HttpClient({ userAgent: 'backage-action/1.0 (+test)', concurrency: 1, pageJitterMs: 0, maxRetries: 0 })
    // The tunnel reaches the plain-HTTP fake, so TLS fails after the proxy has been asked: that is enough.
    await expect(http.request({ url: `https://pages.example:${port()}/acme-labs`, kind: 'page' })).rejects.toThrow()
    expect(forHttps.targets).toEqual([`pages.example:${port()}`])
    expect(forHttp.targets).toHaveLength(before)
  })

  it('sends Octokit API calls through the same proxy', async () => {
    useProxies()
    const before = forHttp.targets.length
    const apiHost = `http://api.example:${port()}`
    const { api } = fakeGitHubApi({ apiUrl: `${apiHost}/api`, graphqlUrl: `${apiHost}/api/graphql`, scenario: gh.scenario })
    expect(await api.getOwner('acme-labs')).toMatchObject({ login: 'acme-labs', type: 'Organization' })
    expect(forHttp.targets.slice(before)).toEqual([`api.example:${port()}`])
  })

  it('goes direct for no_proxy hosts and loopback addresses', () => {
    useProxies('.internal.example,ghe.corp')
    expect(proxyFor('http://pages.example/x')).toBe(`${forHttp.url}/`)
    expect(proxyFor('https://pages.example/x')).toBe(`${forHttps.url}/`)
    expect(proxyFor('https://ghe.corp/api/v3')).toBeNull()
    expect(proxyFor('https://cache.internal.example/x')).toBeNull()
    expect(proxyFor(`${gh.url}/acme-labs`)).toBeNull()
  })
})
