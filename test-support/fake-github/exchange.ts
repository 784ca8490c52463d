/**
 * The fake GitHub's request/reply vocabulary: each route is a function from a parsed request to a
 * reply, so routes stay free of node:http details and the server applies latency, faults, rate limits
 * and ETags in one place.
 */
import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

export interface FakeRequest {
  method: string
  /** Path with query exactly as received (what faults and the request log match on). */
  path: string
  /** The absolute URL (base = the server), for building Link headers. */
  url: URL
  /**
   * The path the routes match on: as received, except that the Enterprise layout's `/api/v3/...`
   * and `/api/uploads/...` are mapped to the github.com layout's `/api/...` and `/uploads/...`.
   */
  route: string
  headers: IncomingHttpHeaders
  body: Buffer
}

export interface Reply {
  status: number
  headers: Record<string, string>
  body: string | Uint8Array
}

/** The base URLs every route may need to render links. */
export interface BaseUrls {
  /** http://127.0.0.1:PORT (also GITHUB_SERVER_URL). */
  url: string
  apiUrl: string
  /** Where release assets are uploaded (`upload_url` starts with it). */
  uploadsUrl: string
  registryUrl: string
}

export const DOCS = 'https://docs.github.com/rest'

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value)
  }
}

export function htmlReply(status: number, html: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html }
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: '' }
}

export function notFoundJson(): Reply {
  return jsonReply(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })
}

export function notFoundHtml(): Reply {
  return htmlReply(404, '<!DOCTYPE html><html><head><title>Page not found · GitHub</title></head><body><h1>404</h1><p>This is not the web page you are looking for.</p></body></html>')
}

/** First value of a request header (lower-case name). */
export function header(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** `Authorization: Bearer X` or `token X` with a non-empty X. */
export function hasToken(request: FakeRequest): boolean {
  return /^(bearer|token)\s+\S+/i.test(header(request, 'authorization') ?? '')
}

/** Path segments, still percent-encoded (so a `%2F` inside a package name stays one segment). */
export function rawSegments(pathname: string): string[] {
  return pathname.split('/').filter((segment) => segment !== '')
}

export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

/** Case-insensitive login comparison, as GitHub resolves logins. */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** A weak ETag over the body bytes: stable for identical content, like GitHub's. */
export function etagOf(body: string | Uint8Array): string {
  return `W/"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`
}

/** Adds an ETag to a 200 GET reply and answers 304 when `If-None-Match` names it. */
export function conditional(request: FakeRequest, reply: Reply): Reply {
  if (request.method !== 'GET' || reply.status !== 200) return reply
  const etag = etagOf(reply.body)
  const ifNoneMatch = header(request, 'if-none-match')
  const named = (ifNoneMatch ?? '').split(',').map((value) => value.trim())
  if (ifNoneMatch !== undefined && (named.includes(etag) || named.includes('*'))) {
    return emptyReply(304, { etag })
  }
  return { ...reply, headers: { ...reply.headers, etag } }
}

/** A small stable hash (FNV-1a, 32 bit) for deterministic ids and digests of the fake world. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
