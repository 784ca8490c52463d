/**
 * Reading response bodies within a cap (SPEC 12): a page, an API answer or a manifest is written by a
 * stranger or a failing service, so a body larger than its kind's cap is not understood rather than
 * held in memory. The body is streamed and reading stops at the cap, with or without a
 * `content-length`, and after decompression (fetch decodes gzip/br/deflate, so the bytes counted are
 * the decoded ones: a small compressed answer cannot expand past the cap).
 */
import type { RequestKind } from '../ports.js'

const MB = 1024 * 1024

/** Largest body read per request kind (pages 10 MB, API 20 MB, registry manifests 4 MB). */
export const BODY_CAPS: Readonly<Record<RequestKind, number>> = {
  page: 10 * MB,
  rest: 20 * MB,
  graphql: 20 * MB,
  upload: 20 * MB,
  registry: 4 * MB
}

/** A response body over its cap: the answer is not understood (never retried: it would be as large). */
export class BodyTooLarge extends Error {
  constructor(
    readonly url: string,
    readonly limit: number
  ) {
    super(`the answer of ${url} is larger than ${limit} bytes: not understood`)
    this.name = 'BodyTooLarge'
  }
}

/**
 * The whole body of `reply`, or `BodyTooLarge` once more than `limit` bytes arrived (the rest is
 * not downloaded). A `content-length` over the cap on an unencoded body is refused before reading.
 */
/** What `readCapped` needs of a fetch Response (the global one, or undici's through the proxy). */
export interface StreamedReply {
  headers: { get(name: string): string | null }
  body: {
    getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> }
    cancel(reason?: unknown): Promise<void>
  } | null
}

export async function readCapped(reply: StreamedReply, url: string, limit: number): Promise<Uint8Array> {
  const declared = Number(reply.headers.get('content-length') ?? Number.NaN)
  const encoded = (reply.headers.get('content-encoding') ?? 'identity') !== 'identity'
  if (!encoded && Number.isFinite(declared) && declared > limit) {
    await reply.body?.cancel().catch(() => undefined)
    throw new BodyTooLarge(url, limit)
  }
  if (reply.body === null) return new Uint8Array()
  const reader = reply.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done || value === undefined) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw new BodyTooLarge(url, limit)
    }
    chunks.push(value)
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0]
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}
