/**
 * SPEC 2.3 without a checkout: GITHUB_WORKSPACE is an empty folder, so the bundled action clones and
 * pushes `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}.git` over HTTP with the token, here against the
 * fake GitHub's `git http-backend`, which (like github.com) answers 401 to a request without it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { commitCount, createSandbox, git, readBranch, runAction, type Sandbox } from '../../test-support/e2e.js'

describe('the bundled action without a checkout', () => {
  let gh: FakeGitHub
  let sandbox: Sandbox

  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario: sampleScenario() })
    sandbox = createSandbox()
  })

  afterAll(async () => {
    await gh.stop()
    sandbox.dispose()
  })

  it('pushes the index branch to the server URL of the repository, authenticated with the token', async () => {
    const workspace = path.join(sandbox.root, 'empty-workspace')
    mkdirSync(workspace)
    const token = 'test-token-c0ffee'
    const run = await runAction({ gh, workspace, inputs: { token, discover: 'none', release: 'false' } })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)

    const commit = run.outputs['index-commit'] ?? ''
    expect(commit).toMatch(/^[0-9a-f]{40}$/)
    const remote = gh.gitRepository
    expect(commitCount(remote, 'index')).toBe(1)
    const files = readBranch(remote, 'index')
    expect(files.has('backage-demo/backage/badge-kit.json')).toBe(true)
    expect(JSON.parse(files.get('backage-demo/backage/badge-kit.json') ?? '{}')).toMatchObject({ owner: 'backage-demo' })
    // The pushed commit is the one reported, and nothing else was pushed (no main, no temp refs).
    expect(git(remote, 'for-each-ref', '--format=%(objectname) %(refname)')).toBe(`${commit} refs/heads/index`)

    const gitRequests = gh.requests.filter((entry) => entry.kind === 'git')
    expect(gitRequests.some((entry) => entry.status === 200 && entry.path.endsWith('/git-receive-pack'))).toBe(true)
    expect(gitRequests.filter((entry) => entry.status !== 200)).toEqual([])
    expect(gitRequests.every((entry) => entry.path.startsWith('/backage-demo/backage.git/'))).toBe(true)

    // The token (and its Basic form) never shows in the step's log, apart from the `::add-mask::`
    // command that tells the runner to mask it (the runner consumes it). The workspace stays empty.
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
    const shown = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
    expect(run.stdout).toContain(`::add-mask::${token}\n`)
    for (const secret of [token, basic]) {
      expect(shown).not.toContain(secret)
      expect(run.stderr).not.toContain(secret)
    }
    expect(readdirSync(workspace)).toEqual([])
  })

  it('a second run on a fresh machine fetches the branch over HTTP before pushing', async () => {
    const workspace = path.join(sandbox.root, 'empty-workspace-2')
    mkdirSync(workspace)
    const before = gh.requests.length
    const run = await runAction({ gh, workspace, inputs: { discover: 'none', release: 'false' } })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const commit = run.outputs['index-commit'] ?? ''
    expect(git(gh.gitRepository, 'rev-parse', 'refs/heads/index')).toBe(commit)
    expect(commitCount(gh.gitRepository, 'index')).toBe(1) // squash
    const gitRequests = gh.requests.slice(before).filter((entry) => entry.kind === 'git')
    expect(gitRequests.some((entry) => entry.method === 'POST' && entry.path.endsWith('/git-upload-pack') && entry.status === 200)).toBe(true)
    expect(gitRequests.filter((entry) => entry.status !== 200)).toEqual([])
  })

  it('refuses the default branch of the repository, read over HTTP with the token, before scraping', async () => {
    // Give the fake's repository a default branch with content (a fresh one has an unborn HEAD).
    const seed = path.join(sandbox.root, 'seed-main')
    git(sandbox.root, 'init', '--quiet', '--initial-branch=main', seed)
    writeFileSync(path.join(seed, 'README.md'), 'the project\n')
    git(seed, 'add', 'README.md')
    git(seed, 'commit', '--quiet', '-m', 'main')
    git(seed, 'push', '--quiet', gh.gitRepository, 'main:refs/heads/main')
    const main = git(gh.gitRepository, 'rev-parse', 'refs/heads/main')

    const workspace = path.join(sandbox.root, 'empty-workspace-3')
    mkdirSync(workspace)
    const before = gh.requests.length
    const run = await runAction({ gh, workspace, inputs: { discover: 'none', release: 'false', 'index-branch': 'main' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('index-branch "main" is the default branch of')
    expect(git(gh.gitRepository, 'rev-parse', 'refs/heads/main')).toBe(main)
    // Only git spoke to the server: no page, API or release request was made.
    expect(gh.requests.slice(before).filter((entry) => entry.kind !== 'git')).toEqual([])
  })
})
