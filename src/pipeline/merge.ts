/**
 * The merge stage (SPEC 13.2): fetches every shard's delta of this workflow run, checks they name
 * one shard count, and applies them to the restored database (a package refreshed by two shards keeps
 * the later reading; applying again changes nothing). A shard without a usable delta is a warning and
 * makes the run incomplete, never a loss: its owners keep their previous numbers. What the shards
 * reported is combined into the run's report; discovery, the release and the index follow as in SPEC 3.
 */
import * as path from 'node:path'
import type { Log } from '../log.js'
import { errorMessage } from '../log.js'
import type { Store } from '../store/store.js'
import { readDeltaInfo } from '../store/delta-apply.js'
import type { RefreshReport } from './refresh.js'
import { freshFolder, type DeltaHandover, type HandedDelta } from './handover.js'
import { combineReports, reportFromJson } from './shard-report.js'

export interface MergeDeps {
  store: Store
  handover: DeltaHandover
  /** The run's data folder: fetched deltas go to a folder of their own there. */
  dataDir: string
  /** The release the database was restored from, to notice deltas made on another base. */
  restoredFrom: string
  /** GITHUB_RUN_ID: deltas of other workflow runs (left in a shared folder) are not this run's shards. */
  runId: string
  log: Log
}

export interface MergeResult {
  report: RefreshReport
  /** The shard count read from the deltas' names; null when none was found. */
  shards: number | null
  applied: string[]
  missing: string[]
}

export async function mergeStage(deps: MergeDeps): Promise<MergeResult> {
  const { store, handover, log } = deps
  const deltas = await handover.fetchAll(freshFolder(path.join(deps.dataDir, 'shard-deltas')))
  const counts = [...new Set(deltas.map((delta) => delta.shard.count))].sort((a, b) => a - b)
  if (counts.length > 1) {
    throw new Error(
      `the shard deltas in ${handover.where} name different shard counts (${counts.join(', ')}): ` +
        deltas.map((delta) => delta.name).join(', ') + '; every shard of one matrix must say K/N with the same N'
    )
  }
  const total = counts[0] ?? null
  if (total === null) {
    log.warning(`no shard delta found in ${handover.where}: every owner keeps its previous numbers`)
    return { report: combineReports([], ['(all)']), shards: null, applied: [], missing: ['(all)'] }
  }

  const byIndex = new Map<number, HandedDelta>()
  for (const delta of deltas) byIndex.set(delta.shard.index, delta)
  const reports: { label: string; report: RefreshReport }[] = []
  const missing: string[] = []
  for (let index = 1; index <= total; index++) {
    const label = `${index}/${total}`
    const delta = byIndex.get(index)
    if (delta === undefined) {
      log.warning(`shard ${label} handed over no delta (it failed or was cancelled): its owners keep their previous numbers`)
      missing.push(label)
      continue
    }
    try {
      // Checked before anything is written: a delta that is not this shard's is not applied at all.
      const info = readDeltaInfo(delta.file)
      if (info.shard !== label) throw new Error(`it says it is shard ${info.shard ?? '?'}`)
      if (info.run_id !== deps.runId) throw new Error(`it was written by workflow run ${info.run_id ?? '?'}, not by this one (${deps.runId})`)
      const report = reportFromJson(info.report ?? '')
      if (report === null) throw new Error('its report cannot be read')
      if (info.base !== deps.restoredFrom) {
        log.notice(`shard ${label} started from ${info.base ?? '?'}, this merge from ${deps.restoredFrom}: later readings win`)
      }
      const applied = store.applyDelta(delta.file)
      reports.push({ label, report })
      log.info(
        `shard ${label}: applied ${applied.packages} packages` +
          (applied.keptNewer > 0 ? `, ${applied.keptNewer} kept at a later reading already stored` : '')
      )
    } catch (error) {
      log.warning(`shard ${label}: delta ${delta.name} not applied (${errorMessage(error)}): its owners keep their previous numbers`)
      missing.push(label)
    }
  }
  return { report: combineReports(reports, missing), shards: total, applied: reports.map((r) => r.label), missing }
}
