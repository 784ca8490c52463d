/**
 * The closed loop fails closed (SPEC 3, 7, 12), end to end through dist/index.js: when history
 * exists but cannot be restored, or the snapshot release cannot be written, the run fails before it
 * pushes or deletes anything; snapshots are ordered by `created_at`, drafts of killed runs go, and the
 * snapshot a run restored from survives its pruning.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { createSandbox, git, runAction, type ActionRun, type Sandbox } from '../../test-support/e2e.js'
import { seedRelease } from '../store/loop-support.js'

describe('the closed loop, end to end', () => {
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

  const indexTip = (): string => git(sandbox.origin, 'rev-parse', 'refs/heads/index')
  /** Every release with its tag, draft flag and asset bytes' length: what a failed run must not change. */
  const releases = (): string[] =>
    gh.releases.map((r) => `${r.id} ${r.tag_name} draft=${r.draft} ${r.assets.map((a) => a.data.byteLength).join(',')}`)

  /** Runs the action and returns the run plus the requests it made that scrape (pages, GraphQL). */
  async function run(inputs: Record<string, string> = {}): Promise<{ run: ActionRun; scraped: number }> {
    const from = gh.requests.length
    const result = await runAction({ gh, workspace: sandbox.newWorkspace(), inputs: { discover: 'none', ...inputs } })
    const scraped = gh.requests.slice(from).filter((request) => request.kind === 'page' || request.kind === 'graphql').length
    return { run: result, scraped }
  }

  it('first run: no snapshot release at all, so it starts empty and publishes', async () => {
    const { run: first } = await run()
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('no snapshot release yet: first run')
    expect(gh.releases).toHaveLength(1)
  })

  it('every snapshot answered by storage as a 200 HTML page: fails before scraping, pushes and deletes nothing', async () => {
    const tip = indexTip()
    const before = releases()
    const tag = gh.releases[0]?.tag_name ?? 'none'
    for (const release of gh.releases) for (const asset of release.assets) asset.storageFault = 'html-200'
    try {
      const { run: failed, scraped } = await run({ 'keep-releases': '1' })
      expect(failed.code).toBe(1)
      expect(failed.stdout).toContain(`release ${tag}: corrupt snapshot (checksum)`)
      expect(failed.stdout).toContain('delete these releases')
      expect(scraped).toBe(0)
      expect(failed.outputs['index-commit'] ?? '').toBe('')
    } finally {
      for (const release of gh.releases) for (const asset of release.assets) delete asset.storageFault
    }
    expect(indexTip()).toBe(tip)
    expect(releases()).toEqual(before)
  })

  it('the release list cannot be read: fails before scraping, pushes and deletes nothing', async () => {
    const tip = indexTip()
    const before = releases()
    gh.inject({ path: /^\/api\/repos\/backage-demo\/backage\/releases\?/, status: 404 })
    try {
      const { run: failed, scraped } = await run()
      expect(failed.code).toBe(1)
      expect(failed.stdout).toContain('The release list could not be read')
      expect(scraped).toBe(0)
    } finally {
      gh.clearFaults()
    }
    expect(indexTip()).toBe(tip)
    expect(releases()).toEqual(before)
  })

  it('a failed snapshot upload skips the push and fails the run; the next run restores the last release', async () => {
    const tip = indexTip()
    const before = releases()
    const last = gh.releases.at(-1)?.tag_name ?? 'none'
    const pkg = gh.scenario.owners.find((o) => o.login === 'backage-demo')?.packages[0]
    if (pkg === undefined) throw new Error('the sample has no backage-demo package')
    pkg.total += 5000 // numbers the index would show, but no snapshot could reproduce
    gh.inject({ path: /^\/uploads\//, status: 404 })
    try {
      const { run: failed } = await run()
      expect(failed.code).toBe(1)
      expect(failed.stdout).toContain('publishing the database snapshot failed, so the index was not pushed')
    } finally {
      gh.clearFaults()
    }
    expect(indexTip()).toBe(tip)
    expect(releases()).toEqual(before)

    const { run: next } = await run()
    expect(next.code).toBe(0)
    expect(next.stdout).toContain(`database restored from release ${last}`)
    expect(indexTip()).not.toBe(tip)
  })

  it('orders by created_at: a 2099 tag is neither restored nor kept; a killed run’s draft is deleted', async () => {
    const genuine = [...gh.releases].sort((a, b) => b.id - a.id).find((release) => !release.draft)
    if (genuine === undefined) throw new Error('no snapshot release')
    const asset = genuine.assets[0]
    if (asset === undefined) throw new Error('no snapshot asset')
    // A sound snapshot (the genuine one's bytes and notes) under a far-future tag, created long ago.
    const future = seedRelease(gh, 'snapshot-20991231-000000', '2020-01-01T00:00:00Z')
    future.body = genuine.body
    future.assets = [{ ...asset, id: 4_900_001 }]
    const draft = seedRelease(gh, 'snapshot-20200101-000000', new Date(Date.now() - 3 * 3600_000).toISOString(), { draft: true })

    const { run: next } = await run({ 'keep-releases': '1' })
    expect(next.code).toBe(0)
    expect(next.stdout).toContain(`database restored from release ${genuine.tag_name}`)
    const tags = gh.releases.map((release) => release.tag_name).sort()
    // The new snapshot is kept (keep-releases 1), and so is the one it restored from; the rest goes.
    expect(tags).toEqual([genuine.tag_name, next.outputs['release-tag']].sort())
    expect(gh.releases.some((release) => release.id === draft.id)).toBe(false)
  })
})
