/**
 * The shard run (SPEC 13.2): which owners a `shard: K/N` run refreshes, what it reads of the owner
 * inputs (no discovery, no id lookups: owners without an id wait for the merge job), and the hand-over
 * of its delta: the rows it changed, with its refresh report, so that the merge job's outputs are the
 * sums over the shards. A shard publishes nothing; the delta is all it leaves.
 */
import * as path from 'node:path'
import type { Settings } from '../settings.js'
import type { Log } from '../log.js'
import { isOwnerInShard, type Shard } from '../domain/shard.js'
import type { Store } from '../store/store.js'
import { readOwnerInputs, type OwnersStageResult } from './owners.js'
import type { RefreshReport } from './refresh.js'
import { deltaFileName, freshFolder, type DeltaHandover } from './handover.js'

/** The owners a run plans from: all of them, or those of its shard. */
export function ownersOfShard<T extends { id: number | null }>(owners: T[], shard: Shard | null): T[] {
  return shard === null ? owners : owners.filter((owner) => isOwnerInShard(owner.id, shard))
}

/** The owners stage of a shard: the manual owners and opt-outs from the inputs and files, nothing stored. */
export function shardOwners(settings: Settings, log: Log): OwnersStageResult {
  const { manual, optOut, problems } = readOwnerInputs(settings)
  for (const problem of problems) log.warning(problem)
  return { manual, optOut, problems, removed: 0 }
}

export interface HandOverDeps {
  store: Store
  shard: Shard
  handover: DeltaHandover
  /** The run's data folder (RUNNER_TEMP/backage): the delta is written in a folder of its own there. */
  dataDir: string
  report: RefreshReport
  restoredFrom: string
  /** GITHUB_RUN_ID: the merge takes only deltas of its own workflow run (a folder keeps older ones). */
  runId: string
  now: Date
  log: Log
}

/** Writes the delta and hands it over; returns the name it goes by (the `shard-artifact` output). */
export async function handOverShard(deps: HandOverDeps): Promise<string> {
  const { store, shard, log } = deps
  const file = path.join(freshFolder(path.join(deps.dataDir, 'shard-delta')), deltaFileName(shard))
  const counts = store.writeDelta(file, {
    shard: `${shard.index}/${shard.count}`,
    base: deps.restoredFrom,
    run_id: deps.runId,
    created_at: deps.now.toISOString(),
    report: JSON.stringify(deps.report)
  })
  const rows = Object.values(counts.rows).reduce((sum, n) => sum + n, 0)
  const deleted = Object.values(counts.deleted).reduce((sum, n) => sum + n, 0)
  log.info(`shard ${shard.index}/${shard.count}: delta of ${counts.rows.packages ?? 0} packages, ${rows} rows and ${deleted} deletions`)
  const name = await deps.handover.put(shard, file)
  log.info(`shard ${shard.index}/${shard.count}: delta handed over to ${deps.handover.where} as ${name}`)
  return name
}
