/**
 * The fake GitHub's git remote: real git clients over smart HTTP against `git http-backend`, with
 * github.com's token rule. git runs asynchronously here: the server lives in this same process.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import { startSample } from './helpers.js'

const run = promisify(execFile)

const gitEnv = {
  PATH: process.env.PATH ?? '',
  HOME: os.tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid'
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, env: gitEnv, encoding: 'utf8' })).stdout.trim()
}

const basic = (token: string): string => Buffer.from(`x-access-token:${token}`).toString('base64')
const withToken = (token: string): string[] => ['-c', `http.extraheader=AUTHORIZATION: basic ${basic(token)}`]

describe('fake GitHub git remote (smart HTTP)', () => {
  let gh: FakeGitHub
  let scratch: string
  let remote: string

  beforeAll(async () => {
    gh = await startSample()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'fake-git-client-'))
    remote = `${gh.serverUrl}/backage-demo/backage.git`
  })

  afterAll(async () => {
    const repository = gh.gitRepository
    await gh.stop()
    rmSync(scratch, { recursive: true, force: true })
    expect(existsSync(repository)).toBe(false) // stop() removes the repositories
  })

  it('refuses a client without credentials with a Basic challenge, as github.com does', async () => {
    await expect(git(scratch, 'ls-remote', remote)).rejects.toThrow(/terminal prompts disabled|Authentication failed|401/)
    const logged = gh.requests.filter((entry) => entry.kind === 'git')
    expect(logged.length).toBeGreaterThan(0)
    expect(logged.every((entry) => entry.status === 401)).toBe(true)

    const response = await fetch(`${remote}/info/refs?service=git-upload-pack`, { headers: { authorization: 'Bearer test-token' } })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="GitHub"')
  })

  it('accepts a push with the token as an extra header and lands it in the bare repository', async () => {
    const work = path.join(scratch, 'work')
    await git(scratch, 'init', '--quiet', '--initial-branch=main', work)
    writeFileSync(path.join(work, 'hello.txt'), 'hello over http\n')
    await git(work, 'add', '-A')
    await git(work, 'commit', '--quiet', '-m', 'first')
    const commit = await git(work, 'rev-parse', 'HEAD')

    const before = gh.requests.length
    await git(work, ...withToken('test-token'), 'push', '--quiet', remote, 'main:refs/heads/pushed')
    const pushed = gh.requests.slice(before)
    expect(pushed.map((entry) => entry.kind)).toEqual(pushed.map(() => 'git'))
    expect(pushed.some((entry) => entry.method === 'POST' && entry.path.endsWith('/git-receive-pack') && entry.status === 200)).toBe(true)
    expect(pushed.every((entry) => entry.status === 200)).toBe(true)

    expect(await git(gh.gitRepository, 'rev-parse', 'refs/heads/pushed')).toBe(commit)
    expect(await git(gh.gitRepository, 'show', 'refs/heads/pushed:hello.txt')).toBe('hello over http')
    expect(await git(scratch, ...withToken('another-token'), 'ls-remote', remote, 'refs/heads/pushed')).toBe(`${commit}\trefs/heads/pushed`)

    const clone = path.join(scratch, 'clone')
    await git(scratch, ...withToken('test-token'), 'clone', '--quiet', '--branch', 'pushed', remote, clone)
    expect(await git(clone, 'rev-parse', 'HEAD')).toBe(commit)
  })

  it('reads gzip request bodies, as git sends large negotiations', async () => {
    // A protocol v2 `ls-refs` request: a pkt-line command, then a flush packet.
    const request = Buffer.from('0014command=ls-refs\n0000')
    const post = async (body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> => {
      const response = await fetch(`${remote}/git-upload-pack`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: {
          authorization: `Basic ${basic('test-token')}`,
          'content-type': 'application/x-git-upload-pack-request',
          'git-protocol': 'version=2',
          ...headers
        }
      })
      return { status: response.status, text: await response.text() }
    }
    const plain = await post(request, {})
    const gzipped = await post(gzipSync(request), { 'content-encoding': 'gzip' })
    expect(plain.status).toBe(200)
    expect(plain.text).toContain('refs/heads/pushed')
    expect(gzipped).toEqual(plain)
  })

  it('answers 404 for a repository other than the scenario one', async () => {
    const response = await fetch(`${gh.serverUrl}/someone/else.git/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Basic ${basic('test-token')}` }
    })
    expect(response.status).toBe(404)
    expect(gh.requests.at(-1)).toMatchObject({ kind: 'git', status: 404 })
  })
})
