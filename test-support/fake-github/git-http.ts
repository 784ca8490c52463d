/**
 * The fake GitHub's git remote (SPEC 2.3, 8): the scenario repository served over git's smart HTTP
 * protocol at `/{owner}/{repo}.git/...`, by running the real `git http-backend` as a CGI per request
 * against a bare repository in a temp folder. Like github.com, every git request needs
 * `Authorization: Basic base64(x-access-token:TOKEN)`; without it the answer is 401 with a Basic
 * challenge, which is what makes a client without credentials fail.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import * as os from 'node:os'
import * as path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { header, type FakeRequest } from './exchange.js'

/** `/{owner}/{repo}.git` or anything below it. */
export function isGitPath(pathname: string): boolean {
  return /^\/[^/]+\/[^/]+\.git(\/|$)/.test(pathname)
}

/** The token of `Authorization: Basic base64(x-access-token:TOKEN)`, or null. */
export function basicToken(authorization: string | undefined): string | null {
  const match = /^basic\s+(\S+)$/i.exec(authorization?.trim() ?? '')
  if (!match) return null
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0 || decoded.slice(0, colon) !== 'x-access-token') return null
  const token = decoded.slice(colon + 1)
  return token === '' ? null : token
}

/** Bare repositories under one temp folder (made on first use), served by `git http-backend`. */
export class GitHttpRemote {
  private root: string | null = null

  /** The bare repository of `owner/name` (created, empty with HEAD on main, when first asked for). */
  repository(repository: { owner: string; name: string }): string {
    this.root ??= mkdtempSync(path.join(os.tmpdir(), 'fake-github-git-'))
    const dir = path.join(this.root, repository.owner, `${repository.name}.git`)
    if (!existsSync(dir)) {
      mkdirSync(path.dirname(dir), { recursive: true })
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir], { env: gitEnv(), stdio: 'ignore' })
      // Pushes over HTTP are refused unless enabled (REMOTE_USER alone would do; be explicit).
      execFileSync('git', ['config', 'http.receivepack', 'true'], { cwd: dir, env: gitEnv(), stdio: 'ignore' })
      // github.com refuses pushes of objects `git fsck` rejects.
      execFileSync('git', ['config', 'receive.fsckObjects', 'true'], { cwd: dir, env: gitEnv(), stdio: 'ignore' })
    }
    return dir
  }

  /**
   * Answers one git request for `repository` on `res` and resolves to the status sent. Paths of
   * other repositories answer 404, as github.com does for a repository one cannot see.
   */
  async serve(request: FakeRequest, res: ServerResponse, repository: { owner: string; name: string }): Promise<number> {
    const prefix = `/${repository.owner}/${repository.name}.git`
    const pathname = decodeURIComponent(request.url.pathname)
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return plain(res, 404, 'Repository not found.\n')
    const token = basicToken(header(request, 'authorization'))
    if (token === null) {
      return plain(res, 401, 'Invalid username or token. Password authentication is not supported for Git operations.\n', {
        'www-authenticate': 'Basic realm="GitHub"'
      })
    }
    this.repository(repository)
    let body = request.body
    if ((header(request, 'content-encoding') ?? '').toLowerCase() === 'gzip') body = gunzipSync(body)
    const protocol = header(request, 'git-protocol')
    const env: NodeJS.ProcessEnv = {
      ...gitEnv(),
      GIT_PROJECT_ROOT: this.root ?? '',
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: pathname,
      QUERY_STRING: request.url.search.replace(/^\?/, ''),
      REQUEST_METHOD: request.method,
      CONTENT_TYPE: header(request, 'content-type') ?? '',
      CONTENT_LENGTH: String(body.length),
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: '127.0.0.1',
      ...(protocol === undefined ? {} : { GIT_PROTOCOL: protocol })
    }
    return runCgi(['http-backend'], env, body, res)
  }

  /** Removes every repository (the fake's stop()). */
  dispose(): void {
    if (this.root) rmSync(this.root, { recursive: true, force: true })
    this.root = null
  }
}

/** git isolated from the machine's system and global config (credential helpers, hooks). */
function gitEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull }
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): number {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
  res.end(text)
  return status
}

/**
 * Runs `git ARGS` as a CGI: `body` on stdin, then the `Header: value` lines it prints (with
 * `Status:` giving the status, 200 by default) become the response head and the rest is streamed.
 */
function runCgi(args: string[], env: NodeJS.ProcessEnv, body: Buffer, res: ServerResponse): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => (stderr += chunk))
    child.stdin.on('error', () => {}) // the backend may answer (an error) before reading everything
    child.stdin.end(body)

    let head: Buffer | null = Buffer.alloc(0)
    let status = 200
    child.stdout.on('data', (chunk: Buffer) => {
      if (head === null) {
        res.write(chunk)
        return
      }
      head = Buffer.concat([head, chunk])
      const end = headEnd(head)
      if (end === null) return
      const headers: Record<string, string> = {}
      for (const line of head.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':')
        if (colon <= 0) continue
        const name = line.slice(0, colon).trim().toLowerCase()
        const value = line.slice(colon + 1).trim()
        if (name === 'status') status = Number.parseInt(value, 10) || 500
        else headers[name] = value
      }
      res.writeHead(status, headers)
      const rest = head.subarray(end.at + end.length)
      head = null
      if (rest.length > 0) res.write(rest)
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (head !== null) {
        // No complete head: the backend failed before answering.
        status = 500
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        res.end(`git ${args.join(' ')} exited with ${code}: ${stderr}`)
      } else res.end()
      resolve(status)
    })
  })
}

/** Where the CGI head ends (`\r\n\r\n` or `\n\n`), or null while it has not ended yet. */
function headEnd(buffer: Buffer): { at: number; length: number } | null {
  const crlf = buffer.indexOf('\r\n\r\n')
  const lf = buffer.indexOf('\n\n')
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 }
  if (lf >= 0) return { at: lf, length: 2 }
  return null
}
