/**
 * The polite client for what no library covers (SPEC 5.5): github.com pages and the container
 * registry. Pacing, jitter, retries, ETag revalidation and the User-Agent are decided here; GitHub's
 * APIs go through Octokit (`octokit.ts`). Both reach the network through `proxyFetch`, so proxies
 * are honoured alike. Answers every HTTP status as data; throws only on abort, `BudgetExhausted`,
 * or a network failure that outlived its retries.
 */
import type { Http, HttpRequest, HttpResponse, PageKind, RequestKind } from '../ports.js'
import { Slots } from '../concurrency.js'
import { BODY_CAPS, BodyTooLarge, readCapped } from './body.js'
import { proxyFetch } from './proxy.js'

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

export interface HttpStats {
  /** HTTP requests sent, retries included. */
  requests: Record<PageKind, number>
  retries: number
  /** 304 answers served from the in-memory ETag cache. */
  notModified: number
}

/** A response; `fromCache` when a 304 was answered with the remembered body. */
export interface ClientResponse extends HttpResponse {
  fromCache: boolean
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export interface HttpClientOptions {
  /** Names the action and the repository running it, sent on every request. */
  userAgent: string
  /** Parallel page requests, 1..10. */
  concurrency: number
  maxRetries?: number
  timeoutMs?: number
  /** Backoff base: attempt n waits about base * 2^n (+ jitter). */
  baseDelayMs?: number
  /** Longest wait the client accepts for `retry-after` / `x-ratelimit-reset` (default 5 min). */
  maxWaitMs?: number
  /** Upper bound of the random pause before each page request (default 250 ms). */
  pageJitterMs?: number
  /** Parallel registry requests (default 4). */
  registryConcurrency?: number
  sleep?: Sleep
  random?: () => number
  now?: () => number
  log?: (message: string) => void
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const ETAG_CACHE_BYTES = 32 * 1024 * 1024
const ETAG_MAX_ENTRY_BYTES = 2 * 1024 * 1024
const SECONDARY_LIMIT_MIN_WAIT_MS = 60_000

/** `retry-after` in seconds or as an HTTP date, in ms from now. */
function retryAfterMs(headers: Record<string, string>, now: number): number | null {
  const raw = headers['retry-after']?.trim()
  if (!raw) return null
  if (/^\d+$/.test(raw)) return Number(raw) * 1000
  const date = Date.parse(raw)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

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

function isRateLimited403(status: number, headers: Record<string, string>, body: string): boolean {
  if (status !== 403) return false
  return headers['x-ratelimit-remaining'] === '0' || /secondary rate limit/i.test(body)
}

export class HttpClient implements Http {
  private readonly options: Required<HttpClientOptions>
  private readonly pageSlots: Slots
  private readonly registrySlots: Slots
  private readonly cache = new EtagCache()
  private readonly counters: HttpStats = { requests: { page: 0, registry: 0 }, retries: 0, notModified: 0 }

  constructor(options: HttpClientOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 10) {
      throw new RangeError(`concurrency must be an integer from 1 to 10, got ${options.concurrency}`)
    }
    this.options = {
      maxRetries: 4,
      timeoutMs: 30_000,
      baseDelayMs: 1000,
      maxWaitMs: 5 * 60_000,
      pageJitterMs: 250,
      registryConcurrency: 4,
      sleep: abortableSleep,
      random: Math.random,
      now: Date.now,
      log: () => undefined,
      ...definedOnly(options),
      userAgent: options.userAgent,
      concurrency: options.concurrency
    }
    this.pageSlots = new Slots(options.concurrency)
    this.registrySlots = new Slots(this.options.registryConcurrency)
  }

  stats(): HttpStats {
    return { requests: { ...this.counters.requests }, retries: this.counters.retries, notModified: this.counters.notModified }
  }

  async request(req: HttpRequest): Promise<ClientResponse> {
    const slots = req.kind === 'page' ? this.pageSlots : this.registrySlots
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
      throw new BudgetExhausted(req.kind, new Date(now + wait), `HTTP ${status} asks to wait ${Math.round(wait / 1000)} s (${req.url})`)
    }
    return wait
  }

  /** One attempt: fetch with timeout, ETag revalidation and counting. */
  private async send(req: HttpRequest): Promise<ClientResponse> {
    const method = (req.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent }
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value
    const cacheKey = method === 'GET' && req.body === undefined ? `${req.url}\n${headers.accept ?? ''}` : null
    const cached = cacheKey === null ? undefined : this.cache.get(cacheKey)
    if (cached && headers['if-none-match'] === undefined) headers['if-none-match'] = cached.etag

    const timeout = AbortSignal.timeout(this.options.timeoutMs)
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
    this.counters.requests[req.kind]++
    // A copy typed over a plain ArrayBuffer, which is what fetch's BodyInit accepts.
    const payload = req.body === undefined || typeof req.body === 'string' ? req.body : new Uint8Array(req.body)
    const reply = await proxyFetch(req.url, { method, headers, body: payload, signal, redirect: 'follow' })
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
