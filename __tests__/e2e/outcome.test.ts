/**
 * The run's outcome end to end (SPEC 2.2, 12): the bundled action (dist/index.js) against the fake
 * GitHub and a real bare git remote. `complete` is false when every page tried failed, and a SIGTERM
 * that arrives after the refresh finished does not make it false; `packages` and `stale` count what
 * the merge decided, and a stale package's published object carries `stale`.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { createSandbox, readBranch, runAction, type Sandbox } from '../../test-support/e2e.js'

type Json = Record<string, unknown>

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setUp(): Promise<{ gh: FakeGitHub; sandbox: Sandbox }> {
  const gh = await FakeGitHub.start({ scenario: sampleScenario() })
  const sandbox = createSandbox({ 'owners.txt': 'octo-dev\n' })
  cleanups.push(
    () => gh.stop(),
    () => sandbox.dispose()
  )
  return { gh, sandbox }
}

/** The public packages of the owners this run refreshes: the repository owner and owners.txt. */
function packagesOf(gh: FakeGitHub, logins: string[]): number {
  return gh.scenario.owners.filter((o) => logins.includes(o.login)).flatMap((o) => o.packages.filter((p) => !p.private)).length
}

describe('the run outcome, end to end', () => {
  it('every package page not understood: complete=false, packages=0, every package stale with a marker', async () => {
    const { gh, sandbox } = await setUp()
    gh.inject({ path: /\/package\//, layoutChanged: true })
    const run = await runAction({ gh, workspace: sandbox.newWorkspace(), inputs: { discover: 'none' } })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const expected = packagesOf(gh, ['backage-demo', 'octo-dev'])
    expect(run.outputs).toMatchObject({ complete: 'false', packages: '0', stale: String(expected) })
    expect(run.stdout).toMatch(/none of the \d+ package pages tried was understood/)

    // Never read: published with −1, and `stale` says no number was ever read (null), never a zero.
    const files = readBranch(sandbox.origin, 'index')
    const utils = JSON.parse(files.get('octo-dev/octo-utils/octo-utils.json') ?? '{}') as Json
    expect(utils).toMatchObject({ raw_downloads: -1, raw_downloads_month: -1 })
    expect(utils.stale).toEqual({ downloads: null, downloads_month: null, downloads_week: null, downloads_day: null })
  })

  it('a SIGTERM after the refresh finished leaves complete=true, and the run still saves and publishes', async () => {
    const { gh, sandbox } = await setUp()
    // The snapshot upload comes after the refresh: slowed down, the run is still going when the signal comes.
    gh.inject({ path: /^\/uploads\//, delayMs: 3000 })
    const run = await runAction({
      gh,
      workspace: sandbox.newWorkspace(),
      inputs: { discover: 'none' },
      kill: { when: 'refresh finished', signal: 'SIGTERM' }
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('received SIGTERM after the refresh finished')
    const expected = packagesOf(gh, ['backage-demo', 'octo-dev'])
    expect(run.outputs).toMatchObject({ complete: 'true', packages: String(expected), stale: '0' })
    expect(run.outputs['release-tag']).toMatch(/^snapshot-/)
  })

  it('a SIGTERM during the refresh makes complete=false', async () => {
    const { gh, sandbox } = await setUp()
    gh.inject({ path: /\/package\//, delayMs: 300 })
    const run = await runAction({
      gh,
      workspace: sandbox.newWorkspace(),
      inputs: { discover: 'none' },
      kill: { when: /refreshing up to/, signal: 'SIGTERM' }
    })
    expect(run.code).toBe(0)
    expect(run.outputs.complete).toBe('false')
    expect(run.stdout).toContain('received SIGTERM')
  })
})
