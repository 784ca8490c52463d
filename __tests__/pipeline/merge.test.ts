/**
 * The merge stage (SPEC 13.2) on real delta files in a folder and a real store: outputs summed over
 * the shards, a missing or unusable delta is a warning and an incomplete run (never a loss), deltas of
 * another workflow run are not this run's, and different shard counts are an error before anything is
 * applied.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { Store } from '../../src/store/store.js'
import { folderHandover } from '../../src/pipeline/handover.js'
import { mergeStage } from '../../src/pipeline/merge.js'
import { handOverShard } from '../../src/pipeline/shard.js'
import type { RefreshReport } from '../../src/pipeline/refresh.js'
import type { PackageRef } from '../../src/types.js'
import { recordingLog } from '../store/loop-support.js'
import { refresh, tmpDir, version } from '../store/refresh-builder.js'

let tmp: ReturnType<typeof tmpDir>
beforeEach(() => {
  tmp = tmpDir('backage-merge-')
})
afterEach(() => tmp.dispose())

const lib: PackageRef = { ownerType: 'users', owner: 'bob', type: 'npm', name: 'lib', repo: 'lib' }

function report(refs: PackageRef[], owners: string[], complete = true): RefreshReport {
  return {
    owners: owners.map((login) => ({ login, packages: refs.length, downloads: 10 })),
    refreshed: refs,
    stale: [],
    failedOwners: [],
    retired: { owners: [], packages: [] },
    complete,
    stopReason: complete ? null : 'time budget of 1 min (max-duration) reached'
  }
}

/** A shard run: a copy of the (empty) base, one package saved, its delta handed over to `folder`. */
async function shardRun(folder: string, index: number, count: number, ref: PackageRef, runId = 'run-7', done = true): Promise<void> {
  const file = path.join(tmp.dir, `shard-${index}-${count}-${runId}.db`)
  const store = Store.open(file)
  store.captureChanges()
  store.savePackageRefresh(refresh({ ref, ownerId: ref.owner === 'bob' ? 7 : 42, versions: [version(1, 600, ['latest'])] }), 1)
  await handOverShard({
    store,
    shard: { index, count },
    handover: folderHandover(folder),
    dataDir: path.join(tmp.dir, `data-${index}-${runId}`),
    report: report([ref], [ref.owner], done),
    restoredFrom: 'none',
    runId,
    now: new Date('2026-03-01T10:00:00Z'),
    log: recordingLog()
  })
  store.close()
}

async function merge(folder: string): Promise<{ result: Awaited<ReturnType<typeof mergeStage>>; log: ReturnType<typeof recordingLog>; names: string[] }> {
  const store = Store.open(path.join(tmp.dir, 'merge.db'))
  const log = recordingLog()
  try {
    const result = await mergeStage({ store, handover: folderHandover(folder), dataDir: path.join(tmp.dir, 'merge-data'), restoredFrom: 'none', runId: 'run-7', log })
    return { result, log, names: store.snapshots().map((p) => p.name).sort() }
  } finally {
    store.close()
  }
}

describe('mergeStage', () => {
  it('applies every shard and sums what they report', async () => {
    const folder = path.join(tmp.dir, 'shards')
    await shardRun(folder, 1, 2, { ...lib, owner: 'acme', ownerType: 'orgs', name: 'alpine' })
    await shardRun(folder, 2, 2, lib)
    const { result, log, names } = await merge(folder)
    expect(names).toEqual(['alpine', 'lib'])
    expect(result.report.refreshed.map((ref) => ref.name)).toEqual(['alpine', 'lib'])
    expect(result.report.owners.map((owner) => owner.login)).toEqual(['acme', 'bob'])
    expect(result.report.complete).toBe(true)
    expect(log.at('warning')).toEqual([])
  })

  it('warns of a missing shard, of one from another workflow run and of a stopped one: incomplete, the rest applied', async () => {
    const folder = path.join(tmp.dir, 'shards')
    await shardRun(folder, 1, 3, lib, 'run-6') // an earlier workflow run's, left in the folder
    await shardRun(folder, 3, 3, { ...lib, name: 'other' }, 'run-7', false)
    const { result, log, names } = await merge(folder)
    expect(names).toEqual(['other'])
    expect(result.missing).toEqual(['1/3', '2/3'])
    expect(result.report.complete).toBe(false)
    expect(result.report.stopReason).toBe(
      'shard 1/3 handed over no delta; shard 2/3 handed over no delta; shard 3/3: time budget of 1 min (max-duration) reached'
    )
    expect(log.at('warning')).toEqual([
      expect.stringContaining('shard 1/3: delta backage-shard-1-of-3.db not applied (it was written by workflow run run-6, not by this one (run-7))'),
      'shard 2/3 handed over no delta (it failed or was cancelled): its owners keep their previous numbers'
    ])
  })

  it('does not apply a file that is not a delta', async () => {
    const folder = path.join(tmp.dir, 'shards')
    mkdirSync(folder, { recursive: true })
    writeFileSync(path.join(folder, 'backage-shard-1-of-1.db'), 'not a database at all, just text that is long enough to look like one')
    const { result, log } = await merge(folder)
    expect(result.missing).toEqual(['1/1'])
    expect(log.at('warning')[0]).toContain('shard 1/1: delta backage-shard-1-of-1.db not applied')
  })

  it('refuses deltas of different shard counts before applying any', async () => {
    const folder = path.join(tmp.dir, 'shards')
    await shardRun(folder, 1, 2, lib)
    await shardRun(folder, 1, 3, { ...lib, name: 'other' })
    await expect(merge(folder)).rejects.toThrow('name different shard counts (2, 3)')
    const store = Store.open(path.join(tmp.dir, 'merge.db'))
    expect(store.snapshots()).toEqual([])
    store.close()
  })

  it('finds nothing to merge in an empty folder: a warning, incomplete', async () => {
    const { result, log } = await merge(path.join(tmp.dir, 'nothing-here'))
    expect(result.report.complete).toBe(false)
    expect(log.at('warning')).toEqual([expect.stringContaining('no shard delta found in the folder')])
  })
})

