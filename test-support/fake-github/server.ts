/**
 * The fake GitHub (SPEC 8): one node:http server on 127.0.0.1 serving REST and GraphQL under `/api`
 * (github.com layout: REST `/api`, GraphQL `/api/graphql`, uploads `/uploads`; Enterprise layout:
 * REST `/api/v3`, GraphQL `/api/graphql`, uploads `/api/uploads`), the github.com HTML pages at the root, release uploads and downloads, and the container registry
 * under `/registry`, and the scenario repository over git's smart HTTP (`git-http.ts`), all from a
 * `Scenario`. Latency, faults, rate limits and ETags are applied here,
 * around routes that only map a request to a reply.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Scenario } from '../scenario.js'
import { conditional, header, jsonReply, notFoundHtml, notFoundJson, type BaseUrls, type FakeRequest, type Reply } from './exchange.js'
import { FaultBook, faultReply, type Fault } from './faults.js'
import { GitHttpRemote, isGitPath } from './git-http.js'
import { executeGraphql } from './graphql.js'
import { pageRoute } from './pages.js'
import { RateBucket } from './rate-limit.js'
import { registryRoute } from './registry.js'
import { ReleaseStore, type FakeRelease } from './releases.js'
import { restAccounts } from './rest.js'

export type { Fault } from './faults.js'
export type { FakeAsset, FakeRelease } from './releases.js'

export interface FakeGitHubOptions {
  scenario: Scenario
  /** Added to every response, in milliseconds. */
  latencyMs?: number
  /** Per-hour primary limits; default 5000 each. */
  rateLimit?: { rest?: number; graphql?: number }
  /**
   * Where the APIs live: `github.com` (REST at `/api` standing for api.github.com, GraphQL at its
   * `/graphql`) or `enterprise` (GitHub Enterprise Server: REST `/api/v3`, GraphQL `/api/graphql`).
   */
  layout?: FakeLayout
}

export type FakeLayout = 'github.com' | 'enterprise'

export type RequestKind = 'rest' | 'graphql' | 'page' | 'registry' | 'upload' | 'download' | 'git'

export interface RequestLogEntry {
  method: string
  /** Path with query, as received. */
  path: string
  kind: RequestKind
  status: number
  userAgent: string | undefined
  ifNoneMatch?: string
}

export class FakeGitHub {
  readonly url: string
  readonly serverUrl: string
  readonly apiUrl: string
  /** GITHUB_GRAPHQL_URL of this layout. */
  readonly graphqlUrl: string
  readonly uploadsUrl: string
  readonly registryUrl: string
  readonly layout: FakeLayout
  /** Tests may mutate or replace it between runs (downloads grow, packages vanish). */
  scenario: Scenario
  readonly requests: RequestLogEntry[] = []

  private readonly server: Server
  private readonly latencyMs: number
  private readonly faults = new FaultBook()
  private readonly store = new ReleaseStore()
  private readonly git = new GitHttpRemote()
  private readonly core: RateBucket
  private readonly graphqlBucket: RateBucket

  private constructor(server: Server, options: FakeGitHubOptions) {
    const { port } = server.address() as AddressInfo
    this.server = server
    this.url = `http://127.0.0.1:${port}`
    this.serverUrl = this.url
    this.layout = options.layout ?? 'github.com'
    this.apiUrl = this.layout === 'enterprise' ? `${this.url}/api/v3` : `${this.url}/api`
    this.graphqlUrl = `${this.url}/api/graphql`
    this.uploadsUrl = this.layout === 'enterprise' ? `${this.url}/api/uploads` : `${this.url}/uploads`
    this.registryUrl = `${this.url}/registry`
    this.scenario = options.scenario
    this.latencyMs = options.latencyMs ?? 0
    this.core = new RateBucket('core', options.rateLimit?.rest ?? 5000)
    this.graphqlBucket = new RateBucket('graphql', options.rateLimit?.graphql ?? 5000)
  }

  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const server = createServer({ keepAlive: true })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const gh = new FakeGitHub(server, options)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      gh.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(`fake GitHub failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      })
    })
    return gh
  }

  /** The repository's releases (newest last), with uploaded asset bytes. */
  get releases(): FakeRelease[] {
    return this.store.releases
  }

  /** Tags of the repository created by releases (and not deleted through the refs API). */
  get tags(): ReadonlySet<string> {
    return this.store.tags
  }

  /**
   * The bare repository behind `${serverUrl}/{owner}/{repo}.git` for `scenario.repository` (made,
   * empty, on first use), for reading what was pushed with plain git.
   */
  get gitRepository(): string {
    return this.git.repository(this.scenario.repository)
  }

  inject(fault: Fault): void {
    this.faults.add(fault)
  }

  clearFaults(): void {
    this.faults.clear()
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    await closed
    this.git.dispose()
  }

  private get urls(): BaseUrls {
    return { url: this.url, apiUrl: this.apiUrl, uploadsUrl: this.uploadsUrl, registryUrl: this.registryUrl }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const path = req.url ?? '/'
    const url = new URL(path, this.url)
    const { kind, route } = this.layout === 'enterprise' ? enterpriseRoute(url.pathname) : { kind: classify(url.pathname), route: url.pathname }
    const request: FakeRequest = { method: req.method ?? 'GET', path, url, route, headers: req.headers, body: Buffer.concat(chunks) }
    if (this.latencyMs > 0) await sleep(this.latencyMs)
    const delay = this.faults.takeDelay(path)
    if (delay > 0) await sleep(delay)
    if (kind === 'git') {
      const status = await this.git.serve(request, res, this.scenario.repository)
      this.requests.push({ method: request.method, path, kind, status, userAgent: header(request, 'user-agent') })
      return
    }
    const reply = await this.reply(request, kind)
    const ifNoneMatch = header(request, 'if-none-match')
    this.requests.push({
      method: request.method,
      path,
      kind,
      status: reply.status,
      userAgent: header(request, 'user-agent'),
      ...(ifNoneMatch === undefined ? {} : { ifNoneMatch })
    })
    res.writeHead(reply.status, reply.headers)
    res.end(request.method === 'HEAD' ? undefined : reply.body)
  }

  private async reply(request: FakeRequest, kind: RequestKind): Promise<Reply> {
    const bucket = kind === 'rest' ? this.core : kind === 'graphql' ? this.graphqlBucket : undefined
    const fault = this.faults.takeStatus(request.path)
    if (fault) {
      const reply = faultReply(fault, kind !== 'page' && kind !== 'download')
      return bucket ? withHeaders(reply, bucket.headers()) : reply
    }
    if (!bucket) return conditional(request, this.route(request, kind))
    if (request.route === '/api/rate_limit') return this.rateLimitReply()
    if (bucket.exhausted()) {
      return withHeaders(
        jsonReply(403, {
          message: `API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.`,
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
          status: '403'
        }),
        bucket.headers()
      )
    }
    if (kind === 'graphql') {
      if (request.method !== 'POST') return withHeaders(notFoundJson(), bucket.headers())
      if (!/^(bearer|token)\s+\S+/i.test(header(request, 'authorization') ?? '')) {
        return jsonReply(401, { message: 'This endpoint requires you to be authenticated.', documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql', status: '401' })
      }
      bucket.consume(1) // one point per query, counted before it runs so `rateLimit` reports it
      const reply = await executeGraphql(request.body, { scenario: this.scenario, urls: this.urls, rate: bucket.state() })
      return withHeaders(reply, bucket.headers())
    }
    const reply = conditional(request, this.route(request, kind))
    // A 304 does not count against the primary rate limit (GitHub's documented behaviour).
    if (reply.status !== 304) bucket.consume(1)
    return withHeaders(reply, bucket.headers())
  }

  private route(request: FakeRequest, kind: RequestKind): Reply {
    const { scenario, urls } = this
    switch (kind) {
      case 'rest':
        return this.store.api(request, scenario, urls) ?? restAccounts(request, scenario, urls) ?? notFoundJson()
      case 'upload':
        return this.store.upload(request, scenario, urls) ?? notFoundJson()
      case 'download':
        return this.store.storage(request) ?? this.store.browserDownload(request, scenario, urls) ?? notFoundHtml()
      case 'registry':
        return registryRoute(request, scenario, urls) ?? jsonReply(404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] })
      case 'page':
        return pageRoute(request, scenario, urls, { layoutChanged: (path) => this.faults.takeLayoutChange(path) })
      case 'graphql':
      case 'git':
        return notFoundJson() // answered in reply() and handle()
    }
  }

  private rateLimitReply(): Reply {
    const resource = (bucket: RateBucket) => bucket.state()
    const core = resource(this.core)
    return jsonReply(200, { resources: { core, graphql: resource(this.graphqlBucket) }, rate: core }, this.core.headers())
  }
}

function classify(pathname: string): RequestKind {
  if (pathname === '/api/graphql') return 'graphql'
  if (pathname === '/api' || pathname.startsWith('/api/')) return 'rest'
  if (pathname.startsWith('/uploads/')) return 'upload'
  if (isGitPath(pathname)) return 'git'
  if (pathname.startsWith('/storage/') || /^\/[^/]+\/[^/]+\/releases\/download\//.test(pathname)) return 'download'
  if (pathname === '/registry' || pathname.startsWith('/registry/')) return 'registry'
  return 'page'
}

/**
 * The Enterprise layout mapped onto the routes: `/api/v3/X` is REST `X`, `/api/uploads/X` the
 * uploads, `/api/graphql` GraphQL; any other `/api/...` path (among them `/api/v3/graphql`, where
 * a client that derives GraphQL from the REST base would post) is a REST 404.
 */
function enterpriseRoute(pathname: string): { kind: RequestKind; route: string } {
  if (pathname === '/api/graphql') return { kind: 'graphql', route: pathname }
  if (pathname.startsWith('/api/uploads/')) return { kind: 'upload', route: pathname.slice('/api'.length) }
  const v3 = /^\/api\/v3(\/.*)?$/.exec(pathname)
  if (v3 && v3[1] !== '/graphql') return { kind: 'rest', route: `/api${v3[1] ?? ''}` }
  if (pathname === '/api' || pathname.startsWith('/api/')) return { kind: 'rest', route: '/api/not-in-this-layout' }
  // github.com's upload host has no counterpart at the root here: such a request is a page 404.
  if (pathname.startsWith('/uploads/')) return { kind: 'page', route: '/uploads/not-in-this-layout' }
  return { kind: classify(pathname), route: pathname }
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } }
}
