/**
 * What the action refuses (SPEC 12), end to end through dist/index.js: each case fails the run
 * before any request to GitHub and before any push or deletion, naming the input, file, folder or
 * branch and what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { createSandbox, git, runAction, type ActionRun, type Sandbox } from '../../test-support/e2e.js'

describe('the bundled action refuses', () => {
  let gh: FakeGitHub
  let sandbox: Sandbox
  let requestsBefore = 0

  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario: sampleScenario() })
    sandbox = createSandbox({ 'owners.txt': 'acme-labs\n' })
  })

  afterAll(async () => {
    await gh.stop()
    sandbox.dispose()
  })

  const refs = (): string => git(sandbox.origin, 'for-each-ref', '--format=%(objectname) %(refname)')

  async function refused(inputs: Record<string, string>, env: Record<string, string> = {}, workspace = sandbox.newWorkspace()): Promise<ActionRun> {
    requestsBefore = gh.requests.length
    const before = refs()
    const run = await runAction({ gh, workspace, inputs: { discover: 'none', ...inputs }, env })
    expect(run.code).toBe(1)
    expect(gh.requests.slice(requestsBefore)).toEqual([]) // not one request to GitHub
    expect(refs()).toBe(before) // nothing pushed, nothing deleted
    expect(gh.releases).toEqual([])
    return run
  }

  it('index-branch = the branch being built (GITHUB_REF_NAME)', async () => {
    const run = await refused({ 'index-branch': 'release-1' }, { GITHUB_REF_NAME: 'release-1', GITHUB_REF_TYPE: 'branch' })
    expect(run.stdout).toContain('input "index-branch" is "release-1", the branch this workflow runs on (GITHUB_REF_NAME)')
  })

  it('index-branch = the default branch of the repository, read with git from the remote', async () => {
    const run = await refused({ 'index-branch': 'main' }, { GITHUB_REF_NAME: 'feature' })
    expect(run.stdout).toMatch(/index-branch "main" is the default branch of origin: the index would replace its history\. Set the input index-branch/)
  })

  it('an existing branch it did not write', async () => {
    const seed = sandbox.newWorkspace()
    git(seed, 'checkout', '--quiet', '--orphan', 'site')
    writeFileSync(path.join(seed, 'index.html'), '<h1>my site</h1>\n')
    git(seed, 'add', 'index.html')
    git(seed, 'commit', '--quiet', '-m', 'site')
    git(seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/gh-pages')
    const run = await refused({ 'index-branch': 'gh-pages' })
    expect(run.stdout).toMatch(/index-branch "gh-pages" already exists on origin and was not written by backage-action/)
    expect(run.stdout).toContain('delete the branch "gh-pages" if it is an old index you no longer need')
  })

  it('an owners-file outside the workspace, without echoing it', async () => {
    const run = await refused({ 'owners-file': '../../../../../../../../etc/passwd' })
    expect(run.stdout).toContain('input "owners-file" is "../../../../../../../../etc/passwd": it is outside the workspace')
    expect(run.stdout + run.summary).not.toContain('root:')
  })

  it('an optout-file that is a folder or a link out of the workspace', async () => {
    const workspace = sandbox.newWorkspace()
    mkdirSync(path.join(workspace, 'lists'))
    const folder = await refused({ 'optout-file': 'lists' }, {}, workspace)
    expect(folder.stdout).toContain('input "optout-file" is "lists": it is not a regular file')
    symlinkSync('/etc/passwd', path.join(workspace, 'optout.txt'))
    const link = await refused({}, {}, workspace)
    expect(link.stdout).toContain('input "optout-file" is "optout.txt": it leads outside the workspace (to /etc/passwd)')
    expect(link.stdout + link.summary).not.toContain('root:')
  })

  it('a dry-run folder that holds other files, leaving them as they were', async () => {
    const runnerTemp = path.join(sandbox.root, 'runner-temp-foreign')
    const foreign = path.join(runnerTemp, 'backage-index')
    mkdirSync(foreign, { recursive: true })
    writeFileSync(path.join(foreign, 'notes.txt'), 'mine\n')
    requestsBefore = gh.requests.length
    const run = await runAction({ gh, workspace: sandbox.newWorkspace(), runnerTemp, inputs: { 'dry-run': 'true', discover: 'none' } })
    expect(run.code).toBe(1)
    expect(gh.requests.slice(requestsBefore)).toEqual([])
    expect(run.stdout).toContain(`the index folder ${foreign} is not empty and holds no .backage-index file`)
    expect(readdirSync(runnerTemp)).toEqual(['backage-index'])
    expect(readdirSync(foreign)).toEqual(['notes.txt'])
    expect(readFileSync(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine\n')
  })
})
