/**
 * Response bodies are read within a cap (SPEC 12): the polite client against hand-written loopback
 * answers (an endless page, a declared length, a gzip bomb), never reading much past the cap.
 */
import { describe, expect, it } from '@jest/globals'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { client } from './http-support.js'
import { BODY_CAPS, BodyTooLarge } from '../../src/github/body.js'

describe('body caps (SPEC 12)', () => {
  const MB = 1024 * 1024
  /** A loopback server whose answers the test writes by hand; counts what it managed to send. */
  async function bodyServer(
    answer: (res: ServerResponse) => void
  ): Promise<{ url: string; close: () => Promise<void> }> {
    const server: Server = createServer((_req, res) => answer(res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`
    return {
      url,
      close: async () => {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
    }
  }

  it('caps pages at 10 MB, API answers at 20 MB and registry manifests at 4 MB', () => {
    expect(BODY_CAPS).toEqual({ page: 10 * MB, rest: 20 * MB, graphql: 20 * MB, upload: 20 * MB, registry: 4 * MB })
  })

  it('stops reading an endless page without content-length past 10 MB, without retrying', async () => {
    let sent = 0
    let requests = 0
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const endless = await bodyServer((res) => {
      requests++
      res.writeHead(200, { 'content-type': 'text/html' })
      const pump = (): void => {
        // Writes until the client stops reading (a 50 MB page would exhaust memory).
        while (sent < 200 * MB && res.write(chunk)) sent += chunk.length
        if (sent < 200 * MB) res.once('drain', pump)
      }
      pump()
    })
    try {
      const { http, waits } = client()
      await expect(http.request({ url: endless.url, kind: 'page' })).rejects.toBeInstanceOf(BodyTooLarge)
      expect(requests).toBe(1)
      expect(waits).toEqual([])
      expect(sent).toBeLessThan(100 * MB)
    } finally {
      await endless.close()
    }
  })

  it('refuses a declared content-length over the cap, and counts decompressed bytes of a gzip body', async () => {
    const zipped = gzipSync(Buffer.alloc(5 * MB)) // about 5 KB on the wire
    const server = await bodyServer((res) => {
      if (res.req.url === '/big?gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(zipped.length) })
        res.end(zipped)
      } else {
        res.writeHead(200, { 'content-length': String(5 * MB) })
        res.end(Buffer.alloc(5 * MB))
      }
    })
    try {
      const { http } = client()
      await expect(http.request({ url: server.url, kind: 'registry' })).rejects.toMatchObject({ name: 'BodyTooLarge', limit: 4 * MB })
      await expect(http.request({ url: `${server.url}?gzip`, kind: 'registry' })).rejects.toMatchObject({ name: 'BodyTooLarge' })
      // The same answers fit the page cap, and an explicit cap (an asset's stated size) wins.
      expect((await http.request({ url: `${server.url}?gzip`, kind: 'page' })).body.byteLength).toBe(5 * MB)
      await expect(http.request({ url: server.url, kind: 'page', maxBytes: 1000 })).rejects.toMatchObject({ limit: 1000 })
    } finally {
      await server.close()
    }
  })
})
