/**
 * Caps on problems end to end (SPEC 12): an owners file of 100,000 bad lines gives at most 10
 * warning annotations, at most 50 listed lines in the log and the job summary plus a count of the
 * rest, and a summary under 1 MiB; the run itself goes on with the good lines.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { createSandbox, readBranch, runAction, type Sandbox } from '../../test-support/e2e.js'

describe('caps on problems, end to end', () => {
  let gh: FakeGitHub
  let sandbox: Sandbox

  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario: sampleScenario() })
    const bad = Array.from({ length: 100_000 }, (_, i) => `bad login ${i}!`).join('\n')
    sandbox = createSandbox({ 'owners.txt': `pixel-forge\n${bad}\n` })
  })

  afterAll(async () => {
    await gh.stop()
    sandbox.dispose()
  })

  it('100,000 bad owner lines: 10 annotations, 50 lines, a count, a small summary', async () => {
    const run = await runAction({ gh, workspace: sandbox.newWorkspace(), inputs: { discover: 'none', release: 'false' } })
    expect(run.code).toBe(0)
    const annotations = run.stdout.split('\n').filter((line) => /^::(warning|error|notice)/.test(line))
    expect(annotations.length).toBeLessThanOrEqual(10)
    expect(annotations[0]).toContain('owners.txt:2: "bad login 0!" is not a GitHub login')
    expect(run.stdout.match(/is not a GitHub login/g)?.length).toBeLessThanOrEqual(50)
    expect(run.stdout).toMatch(/… and \d+ more warnings and notices not shown/)

    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
    expect(run.summary.match(/is not a GitHub login/g)).toHaveLength(50)
    expect(run.summary).toContain('… and 99950 more (the first 50 are listed)')
    // The good line was read: pixel-forge is in the index.
    expect(readBranch(sandbox.origin, 'index').has('pixel-forge/.json')).toBe(true)
  })
})
