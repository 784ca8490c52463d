/**
 * The one polite HTTP client (SPEC 5.5): every request of a run goes through here, so pacing,
 * retries, the REST/GraphQL budgets, the User-Agent and where the token may go are decided in one
 * place. Answers every HTTP status as data; throws only on abort, `BudgetExhausted`, or a network
 * failure that outlived its retries.
 */
import type { Http, HttpRequest, HttpResponse, RequestKind } from '../ports.js'
import { Slots } from '../concurrency.js'
import { BODY_CAPS, BodyTooLarge, readCapped } from './body.js'

export type BudgetResource = RequestKind

/**
 * The API budget (or the server's patience) is used up: the run should stop gracefully, not fail.
 * `resource` is `rest` or `graphql` for the hourly budgets; another kind when that kind of request
 * was told to wait longer than the client is willing to (a long `retry-after`).
 */
export class BudgetExhausted extends Error {
  constructor(
    readonly resource: BudgetResource,
    readonly resetAt: Date | null,
    detail: string
  ) {
    super(`${resource} budget exhausted${resetAt ? ` until ${resetAt.toISOString()}` : ''}: ${detail}`)
    this.name = 'BudgetExhausted'
  }
}

export interface RateLimitState {
  remaining: number
  limit: number
  resetAt: Date | null
}

export interface HttpStats {
  /** HTTP requests sent, retries included. */
  requests: Record<RequestKind, number>
  retries: number
  /** 304 answers served from the in-memory ETag cache. */
  notModified: number
  rateLimit: { rest?: RateLimitState; graphql?: RateLimitState }
}

/** A response; `fromCache` when a 304 was answered with the remembered body. */
export interface ClientResponse extends HttpResponse {
  fromCache: boolean
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export interface HttpClientOptions {
  /** Names the action and the repository running it, sent on every request. */
  userAgent: string
  token?: string
  /** Parallel page requests, 1..10. */
  concurrency: number
  /**
   * REST base URL: the token is sent only to its origin (and the matching `uploads.` host) on
   * rest/graphql/upload requests. Defaults to GITHUB_API_URL; without either, the request kind alone decides.
   */
  apiUrl?: string
  maxRetries?: number
  timeoutMs?: number
  /** Requests kept in hand per budget; below it the client throws `BudgetExhausted`. */
  reserve?: { rest: number; graphql: number }
  /** Backoff base: attempt n waits about base * 2^n (+ jitter). */
  baseDelayMs?: number
  /** Longest wait the client accepts for `retry-after` / `x-ratelimit-reset` (default 5 min). */
  maxWaitMs?: number
  /** Upper bound of the random pause before each page request (default 250 ms). */
  pageJitterMs?: number
  /** Parallel API (rest/graphql/upload) and registry requests each (default 4). */
  apiConcurrency?: number
  sleep?: Sleep
  random?: () => number
  now?: () => number
  log?: (message: string) => void
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const ETAG_CACHE_BYTES = 32 * 1024 * 1024
const ETAG_MAX_ENTRY_BYTES = 2 * 1024 * 1024
const SECONDARY_LIMIT_MIN_WAIT_MS = 60_000

/** Real waiting, interrupted by the signal with its reason (as fetch does). */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

interface CachedBody {
  etag: string
  headers: Record<string, string>
  body: Uint8Array
}

/** GET bodies by URL (+ Accept), least recently used dropped first, bounded in bytes. */
class EtagCache {
  private readonly entries = new Map<string, CachedBody>()
  private bytes = 0

  get(key: string): CachedBody | undefined {
    const entry = this.entries.get(key)
    if (entry) {
      this.entries.delete(key)
      this.entries.set(key, entry)
    }
    return entry
  }

  set(key: string, entry: CachedBody): void {
    this.delete(key)
    if (entry.body.byteLength > ETAG_MAX_ENTRY_BYTES) return
    this.entries.set(key, entry)
    this.bytes += entry.body.byteLength
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= ETAG_CACHE_BYTES) break
      this.entries.delete(oldest)
      this.bytes -= old.body.byteLength
    }
  }

  private delete(key: string): void {
    const old = this.entries.get(key)
    if (!old) return
    this.entries.delete(key)
    this.bytes -= old.body.byteLength
  }
}

function responseOf(status: number, headers: Record<string, string>, body: Uint8Array, url: string, fromCache: boolean): ClientResponse {
  return { status, headers, body, url, fromCache, text: () => new TextDecoder().decode(body) }
}

function headersOf(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {}
  headers.forEach((value, name) => {
    result[name.toLowerCase()] = value
  })
  return result
}

function intHeader(headers: Record<string, string>, name: string): number | null {
  const raw = headers[name]
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return null
  return Number(raw)
}

/** `retry-after` in seconds or as an HTTP date, in ms from now. */
function retryAfterMs(headers: Record<string, string>, now: number): number | null {
  const raw = headers['retry-after']?.trim()
  if (!raw) return null
  if (/^\d+$/.test(raw)) return Number(raw) * 1000
  const date = Date.parse(raw)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

function isRateLimited403(status: number, headers: Record<string, string>, body: string): boolean {
  if (status !== 403) return false
  return headers['x-ratelimit-remaining'] === '0' || /secondary rate limit/i.test(body)
}

function budgetOf(kind: RequestKind): 'rest' | 'graphql' | null {
  return kind === 'rest' || kind === 'graphql' ? kind : null
}

/** The origins the token may be sent to: the API's and, for `api.HOST`, `uploads.HOST`. */
function tokenOrigins(apiUrl: string | undefined): Set<string> | null {
  if (!apiUrl) return null
  try {
    const api = new URL(apiUrl)
    const origins = new Set([api.origin])
    if (api.hostname.startsWith('api.')) {
      origins.add(`${api.protocol}//uploads.${api.hostname.slice(4)}${api.port ? `:${api.port}` : ''}`)
    }
    return origins
  } catch {
    return null
  }
}

export class HttpClient implements Http {
  private readonly options: Required<Omit<HttpClientOptions, 'token' | 'apiUrl'>> & { token?: string }
  private readonly trustedOrigins: Set<string> | null
  private readonly pageSlots: Slots
  private readonly apiSlots: Slots
  private readonly registrySlots: Slots
  private readonly cache = new EtagCache()
  private readonly budgets: { rest?: RateLimitState; graphql?: RateLimitState } = {}
  private readonly counters: HttpStats = {
    requests: { page: 0, rest: 0, graphql: 0, registry: 0, upload: 0 },
    retries: 0,
    notModified: 0,
    rateLimit: {}
  }

  constructor(options: HttpClientOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 10) {
      throw new RangeError(`concurrency must be an integer from 1 to 10, got ${options.concurrency}`)
    }
    this.options = {
      maxRetries: 4,
      timeoutMs: 30_000,
      reserve: { rest: 50, graphql: 50 },
      baseDelayMs: 1000,
      maxWaitMs: 5 * 60_000,
      pageJitterMs: 250,
      apiConcurrency: 4,
      sleep: abortableSleep,
      random: Math.random,
      now: Date.now,
      log: () => undefined,
      ...definedOnly(options),
      userAgent: options.userAgent,
      concurrency: options.concurrency
    }
    this.trustedOrigins = tokenOrigins(options.apiUrl ?? process.env.GITHUB_API_URL)
    this.pageSlots = new Slots(options.concurrency)
    this.apiSlots = new Slots(this.options.apiConcurrency)
    this.registrySlots = new Slots(this.options.apiConcurrency)
  }

  stats(): HttpStats {
    return {
      requests: { ...this.counters.requests },
      retries: this.counters.retries,
      notModified: this.counters.notModified,
      rateLimit: {
        rest: this.budgets.rest && { ...this.budgets.rest },
        graphql: this.budgets.graphql && { ...this.budgets.graphql }
      }
    }
  }

  async request(req: HttpRequest): Promise<ClientResponse> {
    const slots = req.kind === 'page' ? this.pageSlots : req.kind === 'registry' ? this.registrySlots : this.apiSlots
    await slots.acquire(req.signal)
    try {
      if (req.kind === 'page' && this.options.pageJitterMs > 0) {
        await this.options.sleep(Math.floor(this.options.random() * this.options.pageJitterMs), req.signal)
      }
      return await this.withRetries(req)
    } finally {
      slots.release()
    }
  }

  private async withRetries(req: HttpRequest): Promise<ClientResponse> {
    const { maxRetries } = this.options
    for (let attempt = 0; ; attempt++) {
      this.checkBudget(req.kind, req.useReserve === true)
      let response: ClientResponse
      try {
        response = await this.send(req)
      } catch (error) {
        if (req.signal?.aborted) throw req.signal.reason
        if (attempt >= maxRetries || error instanceof BodyTooLarge) throw error
        this.options.log(`${req.kind} ${req.url}: ${describe(error)}; retry ${attempt + 1}/${maxRetries}`)
        await this.pause(req, this.backoffMs(attempt))
        continue
      }
      this.observeBudget(req.kind, response.headers)
      const wait = this.retryWait(req, response, attempt)
      if (wait === null || attempt >= maxRetries) return response
      this.options.log(`${req.kind} ${req.url}: HTTP ${response.status}; retry ${attempt + 1}/${maxRetries} in ${wait} ms`)
      await this.pause(req, wait)
    }
  }

  private async pause(req: HttpRequest, ms: number): Promise<void> {
    this.counters.retries++
    await this.options.sleep(ms, req.signal)
  }

  private backoffMs(attempt: number): number {
    const base = this.options.baseDelayMs
    return Math.round(base * 2 ** attempt + this.options.random() * base)
  }

  /** How long to wait before retrying this answer, or null when it is final (success, 404, ...). */
  private retryWait(req: HttpRequest, response: ClientResponse, attempt: number): number | null {
    const { status, headers } = response
    const rateLimited = isRateLimited403(status, headers, status === 403 ? response.text() : '')
    if (!RETRY_STATUSES.has(status) && !rateLimited) return null
    const now = this.options.now()
    let wait = retryAfterMs(headers, now)
    if (wait === null && headers['x-ratelimit-remaining'] === '0') {
      const reset = intHeader(headers, 'x-ratelimit-reset')
      if (reset !== null) wait = Math.max(0, reset * 1000 - now) + 1000
    }
    if (wait === null) {
      wait = this.backoffMs(attempt)
      // GitHub asks for at least a minute after a secondary rate limit without retry-after.
      if (rateLimited) wait = Math.max(wait, SECONDARY_LIMIT_MIN_WAIT_MS)
    }
    if (wait > this.options.maxWaitMs) {
      const resource = budgetOf(req.kind) ?? req.kind
      throw new BudgetExhausted(resource, new Date(now + wait), `HTTP ${status} asks to wait ${Math.round(wait / 1000)} s (${req.url})`)
    }
    return wait
  }

  private checkBudget(kind: RequestKind, useReserve: boolean): void {
    const resource = budgetOf(kind)
    if (!resource) return
    const known = this.budgets[resource]
    if (!known) return
    if (known.resetAt && known.resetAt.getTime() <= this.options.now()) {
      delete this.budgets[resource]
      return
    }
    const reserve = useReserve ? 0 : this.options.reserve[resource]
    if (known.remaining <= reserve) {
      throw new BudgetExhausted(resource, known.resetAt, `${known.remaining} of ${known.limit} left, reserve ${reserve}`)
    }
    // Count the request now so parallel requests do not all pass the check on the same number.
    known.remaining--
  }

  private observeBudget(kind: RequestKind, headers: Record<string, string>): void {
    const resource = budgetOf(kind)
    if (!resource) return
    const named = headers['x-ratelimit-resource']
    if (named !== undefined && named !== (resource === 'rest' ? 'core' : 'graphql')) return
    const remaining = intHeader(headers, 'x-ratelimit-remaining')
    const limit = intHeader(headers, 'x-ratelimit-limit')
    if (remaining === null || limit === null) return
    const reset = intHeader(headers, 'x-ratelimit-reset')
    const resetAt = reset === null ? null : new Date(reset * 1000)
    const known = this.budgets[resource]
    const sameWindow = known && known.resetAt?.getTime() === resetAt?.getTime()
    // Answers can arrive out of order within one window: the lowest number is the freshest.
    this.budgets[resource] = { remaining: sameWindow ? Math.min(known.remaining, remaining) : remaining, limit, resetAt }
  }

  private mayCarryToken(req: HttpRequest): boolean {
    if (!this.options.token) return false
    if (req.kind !== 'rest' && req.kind !== 'graphql' && req.kind !== 'upload') return false
    if (!this.trustedOrigins) return true
    try {
      return this.trustedOrigins.has(new URL(req.url).origin)
    } catch {
      return false
    }
  }

  /** One attempt: fetch with timeout, ETag revalidation and counting. */
  private async send(req: HttpRequest): Promise<ClientResponse> {
    const method = (req.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent }
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value
    if (this.mayCarryToken(req) && headers.authorization === undefined) {
      headers.authorization = `Bearer ${this.options.token}`
    }
    const cacheKey = method === 'GET' && req.body === undefined ? `${req.url}\n${headers.accept ?? ''}` : null
    const cached = cacheKey === null ? undefined : this.cache.get(cacheKey)
    if (cached && headers['if-none-match'] === undefined) headers['if-none-match'] = cached.etag

    // Snapshot uploads and downloads move megabytes: the whole transfer gets a longer limit.
    const bulk = req.kind === 'upload' || headers.accept === 'application/octet-stream'
    const timeout = AbortSignal.timeout(bulk ? this.options.timeoutMs * 10 : this.options.timeoutMs)
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
    this.counters.requests[req.kind]++
    // A copy typed over a plain ArrayBuffer, which is what fetch's BodyInit accepts.
    const payload = req.body === undefined || typeof req.body === 'string' ? req.body : new Uint8Array(req.body)
    const reply = await fetch(req.url, { method, headers, body: payload, signal, redirect: 'follow' })
    const body = await readCapped(reply, req.url, req.maxBytes ?? BODY_CAPS[req.kind])
    const replyHeaders = headersOf(reply.headers)

    if (reply.status === 304 && cached) {
      this.counters.notModified++
      return responseOf(200, { ...cached.headers, ...replyHeaders }, cached.body, reply.url || req.url, true)
    }
    const etag = replyHeaders.etag
    if (cacheKey !== null && reply.status === 200 && etag) {
      this.cache.set(cacheKey, { etag, headers: replyHeaders, body })
    }
    return responseOf(reply.status, replyHeaders, body, reply.url || req.url, false)
  }
}

/** Drops keys set to `undefined`, so they do not override the defaults. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : ''
    return `${error.name}: ${error.message}${cause}`
  }
  return String(error)
}
