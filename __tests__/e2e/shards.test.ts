/**
 * Shards over a job matrix (SPEC 13.2), end to end through dist/index.js: two shard jobs and a merge
 * job per workflow run, handing deltas over through a folder (BACKAGE_SHARDS_DIR), against the fake
 * GitHub and a real bare remote. The matrix publishes the same numbers as one unsharded run of the same
 * world; a shard that fails leaves its owners at their previous numbers; merging twice changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { createSandbox, readBranch, runAction, type ActionRun, type Sandbox } from '../../test-support/e2e.js'

// By FNV-1a of their ids (91000001..91000004): shard 1/2 takes backage-demo and octo-dev, 2/2 the orgs.
const SHARD_1 = ['backage-demo', 'octo-dev']
const SHARD_2 = ['acme-labs', 'pixel-forge']
const inputs = { discover: 'none', owners: 'acme-labs, octo-dev, pixel-forge' }

interface PackageNumbers {
  downloads: unknown
  month: unknown
  week: unknown
  day: unknown
  versions: unknown
}

/** Per package file `OWNER/REPO/PACKAGE.json` of the index: totals, windows and version ids. */
function packageNumbers(origin: string): Map<string, PackageNumbers> {
  const numbers = new Map<string, PackageNumbers>()
  for (const [name, content] of readBranch(origin, 'index')) {
    const parts = name.split('/')
    // Package files only: not the aggregates (`.json`), nor the API's `~` files (SPEC 10.2).
    if (parts.length !== 3 || !name.endsWith('.json') || parts.some((part) => part.startsWith('.') || part.startsWith('~'))) continue
    const object = JSON.parse(content) as Record<string, unknown>
    numbers.set(name, {
      downloads: object.raw_downloads,
      month: object.raw_downloads_month,
      week: object.raw_downloads_week,
      day: object.raw_downloads_day,
      versions: (object.version as { id: number }[]).map((version) => version.id)
    })
  }
  return numbers
}

describe('a two-shard matrix plus merge, end to end', () => {
  let single: { gh: FakeGitHub; sandbox: Sandbox }
  let matrix: { gh: FakeGitHub; sandbox: Sandbox; shardsDir: string }

  beforeAll(async () => {
    single = { gh: await FakeGitHub.start({ scenario: sampleScenario() }), sandbox: createSandbox() }
    const sandbox = createSandbox()
    matrix = { gh: await FakeGitHub.start({ scenario: sampleScenario() }), sandbox, shardsDir: path.join(sandbox.root, 'shards') }
  })

  afterAll(async () => {
    for (const world of [single, matrix]) {
      await world.gh.stop()
      world.sandbox.dispose()
    }
  })

  /** One job of a workflow run of the matrix world: a fresh runner, the shared folder, the run's id. */
  const job = (runId: string, extra: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> =>
    runAction({
      gh: matrix.gh,
      workspace: matrix.sandbox.newWorkspace(),
      inputs: { ...inputs, ...extra },
      env: { GITHUB_RUN_ID: runId, BACKAGE_SHARDS_DIR: matrix.shardsDir, ...env }
    })

  const ok = (run: ActionRun): ActionRun => {
    expect([run.code, run.stderr]).toEqual([0, ''])
    return run
  }

  it('outside Actions without BACKAGE_SHARDS_DIR, a shard fails before any request, saying why', async () => {
    const from = matrix.gh.requests.length
    const run = await runAction({ gh: matrix.gh, workspace: matrix.sandbox.newWorkspace(), inputs: { ...inputs, shard: '1/2' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('BACKAGE_SHARDS_DIR')
    expect(matrix.gh.requests.length).toBe(from)
  })

  it('the first workflow run only discovers: shards know no owner ids yet, the merge resolves them', async () => {
    const shard1 = ok(await job('101', { shard: '1/2' }))
    const shard2 = ok(await job('101', { shard: '2/2' }))
    for (const [shard, run] of [[1, shard1], [2, shard2]] as const) {
      expect(run.outputs).toMatchObject({ owners: '0', packages: '0', 'index-commit': '', 'release-tag': '', 'shard-artifact': path.join(matrix.shardsDir, `backage-shard-${shard}-of-2.db`) })
      expect(existsSync(path.join(matrix.shardsDir, `backage-shard-${shard}-of-2.db`))).toBe(true)
    }
    expect(matrix.gh.releases).toHaveLength(0) // shards publish nothing
    const merge = ok(await job('101', { mode: 'merge' }))
    expect(merge.outputs).toMatchObject({ owners: '0', packages: '0', complete: 'true', 'shard-artifact': '' })
    expect(merge.outputs['index-commit']).toMatch(/^[0-9a-f]{40}$/)
    expect(matrix.gh.releases).toHaveLength(1)
  })

  it('the second workflow run publishes the same numbers as one unsharded run of the same world', async () => {
    const reference = ok(await runAction({ gh: single.gh, workspace: single.sandbox.newWorkspace(), inputs }))

    const shard1 = ok(await job('102', { shard: '1/2' }))
    const shard2 = ok(await job('102', { shard: '2/2' }))
    expect(shard1.outputs.owners).toBe(String(SHARD_1.length))
    expect(shard2.outputs.owners).toBe(String(SHARD_2.length))
    for (const login of SHARD_1) expect(shard1.stdout).toContain(`${login}: `)
    for (const login of SHARD_2) expect(shard1.stdout).not.toContain(`${login}: `)
    const merge = ok(await job('102', { mode: 'merge' }))

    // The merge's outputs are the sums over the shards, and those of the unsharded run.
    expect(Number(merge.outputs.packages)).toBe(Number(shard1.outputs.packages) + Number(shard2.outputs.packages))
    expect(merge.outputs).toMatchObject({
      owners: reference.outputs.owners,
      packages: reference.outputs.packages,
      stale: reference.outputs.stale,
      complete: 'true'
    })
    const sharded = packageNumbers(matrix.sandbox.origin)
    const whole = packageNumbers(single.sandbox.origin)
    // The sample's 12 public packages (a private one is not listed).
    expect(whole.size).toBe(12)
    expect(sharded).toEqual(whole)
  })

  it('a shard that fails leaves its owners at their previous numbers; merging twice changes nothing', async () => {
    const before = packageNumbers(matrix.sandbox.origin)
    for (const owner of matrix.gh.scenario.owners) for (const pkg of owner.packages) pkg.total += 1000

    ok(await job('103', { shard: '1/2' }))
    // Shard 2's job fails before it can hand anything over (its folder is a file); its delta of the
    // previous workflow run is still in the folder and must not be taken for this run's.
    const blocked = path.join(matrix.sandbox.root, 'not-a-folder')
    writeFileSync(blocked, '')
    const failed = await job('103', { shard: '2/2' }, { BACKAGE_SHARDS_DIR: blocked })
    expect(failed.code).toBe(1)
    expect(failed.outputs['shard-artifact']).toBe('')

    const merge = ok(await job('103', { mode: 'merge' }))
    expect(merge.outputs.complete).toBe('false')
    expect(merge.stdout).toContain('shard 2/2: delta backage-shard-2-of-2.db not applied (it was written by workflow run 102')
    const after = packageNumbers(matrix.sandbox.origin)
    expect([...after.keys()]).toEqual([...before.keys()])
    for (const [file, numbers] of after) {
      const owner = file.split('/')[0] ?? ''
      const previous = before.get(file) as PackageNumbers
      if (SHARD_2.includes(owner)) expect([file, numbers]).toEqual([file, previous])
      else expect([file, numbers.downloads]).toEqual([file, (previous.downloads as number) + 1000])
    }

    const again = ok(await job('103', { mode: 'merge' }))
    expect(again.outputs).toMatchObject({ owners: merge.outputs.owners, packages: merge.outputs.packages, complete: 'false' })
    expect(packageNumbers(matrix.sandbox.origin)).toEqual(after)
  })
})
