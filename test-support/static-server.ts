/**
 * A tiny static file server for an index folder (the site's tests, `npm run demo`, `npm run serve`):
 * 127.0.0.1 only, GET and HEAD, and, like GitHub Pages, no dot-files, so a page that works here
 * does not depend on a file Pages would drop (SPEC 6.4). URL paths are percent-decoded once, so
 * `tools%252Fcli.json` serves the file `tools%2Fcli.json` as Pages and raw URLs do (SPEC 10).
 */
import { createReadStream, realpathSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.xml': 'application/xml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT/`, ending in `/`. */
  url: string
  close(): Promise<void>
}

/** The file a URL path names inside `root`, or null (outside, dot-file, not decodable, missing). */
export function resolveFile(root: string, urlPath: string): string | null {
  const parts = urlPath.split('/').slice(1)
  if (parts.at(-1) === '') parts[parts.length - 1] = 'index.html'
  let decoded: string[]
  try {
    decoded = parts.map((part) => decodeURIComponent(part))
  } catch {
    return null
  }
  if (decoded.some((part) => part === '' || part.startsWith('.') || /[/\\\0]/.test(part))) return null
  const realRoot = realpathSync(root)
  try {
    const file = realpathSync(path.join(realRoot, ...decoded))
    if (!file.startsWith(realRoot + path.sep) || !statSync(file).isFile()) return null
    return file
  } catch {
    return null
  }
}

export async function serveStatic(root: string, port = 0): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const urlPath = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const file = request.method === 'GET' || request.method === 'HEAD' ? resolveFile(root, urlPath) : null
    if (file === null) {
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405, { 'content-type': 'text/plain' })
      response.end('not found\n')
      return
    }
    response.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff'
    })
    if (request.method === 'HEAD') response.end()
    else createReadStream(file).pipe(response)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

/** How to look at the site of an index folder (printed by `npm run demo`). */
export function siteHowTo(indexDir: string): string[] {
  return [
    'the site of this index (index.html, SPEC 11):',
    `  npm run serve -- ${indexDir}`,
    `  or: cd ${indexDir} && python3 -m http.server 8000   then open http://127.0.0.1:8000/`
  ]
}
