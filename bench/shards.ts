/**
 * Shards (SPEC 13.2): throughput of a matrix of 1, 2, 4 and 8 shards, and the time of a merge.
 *
 * Throughput: every shard runs the real refresh stage on its own copy of one base database against
 * the fake GitHub (no latency, no jitter) and writes its delta; the pages it asked are counted and
 * paced at a simulated 1 page per second, as a runner would be, so a matrix takes as long as its
 * busiest shard. Packages per hour = packages refreshed by all shards / that time. Linear would be N
 * times one shard; what is lost is the imbalance of the owners' hash split.
 *
 * Merge: 8 deltas of 12,500 refreshed packages each (5 versions, over a base that holds all 100,000),
 * applied to the base as the merge job does. Prints nothing.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { FakeGitHub } from '../test-support/fake-github/server.js'
import { syntheticScenario } from '../test-support/sample-scenario.js'
import { HttpClient } from '../src/github/http.js'
import { fakeGitHubApi } from '../test-support/github-api.js'
import { createImageSizer } from '../src/github/registry.js'
import { Store } from '../src/store/store.js'
import { refreshStage, type RefreshDeps } from '../src/pipeline/refresh.js'
import { ownersOfShard } from '../src/pipeline/shard.js'
import type { PackageRefresh, PackageRef, VersionObservation } from '../src/types.js'
import type { Scenario } from '../test-support/scenario.js'

/** What github.com tolerates from one runner (the figure). */
export const PAGES_PER_SECOND = 1

export interface ShardThroughput {
  shards: number
  packages: number
  /** Pages of the busiest shard: the matrix's wall time at PAGES_PER_SECOND. */
  busiestPages: number
  totalPages: number
  packagesPerHour: number
}

export async function benchShardThroughput(options: {
  owners: number
  packagesPerOwner: number
  versionsPerPackage: number
  shardCounts: number[]
}): Promise<ShardThroughput[]> {
  const scenario = syntheticScenario(options)
  const gh = await FakeGitHub.start({ scenario })
  const dir = mkdtempSync(path.join(tmpdir(), 'backage-bench-shards-'))
  try {
    const base = path.join(dir, 'base.db')
    const seed = Store.open(base)
    const at = new Date().toISOString()
    for (const owner of scenario.owners) seed.upsertOwner({ login: owner.login, id: owner.id, type: owner.type }, at)
    seed.close()
    const results: ShardThroughput[] = []
    for (const count of options.shardCounts) {
      let packages = 0
      let busiestPages = 0
      let totalPages = 0
      for (let index = 1; index <= count; index++) {
        const file = path.join(dir, `shard-${index}-of-${count}.db`)
        copyFileSync(base, file)
        const store = Store.open(file)
        try {
          store.captureChanges()
          const owners = ownersOfShard(store.listOwners(), { index, count })
          const before = gh.requests.length
          const report = await refreshStage(deps(gh, scenario, store), owners.map((owner) => ({ login: owner.login, reason: 'queue' as const })))
          const pages = gh.requests.slice(before).filter((request) => request.kind === 'page').length
          store.writeDelta(path.join(dir, `delta-${index}-of-${count}.db`), { shard: `${index}/${count}` })
          packages += report.refreshed.length
          totalPages += pages
          busiestPages = Math.max(busiestPages, pages)
        } finally {
          store.close()
        }
      }
      results.push({ shards: count, packages, busiestPages, totalPages, packagesPerHour: (packages / (busiestPages / PAGES_PER_SECOND)) * 3600 })
    }
    return results
  } finally {
    await gh.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The refresh stage's ports, as run.ts builds them (pacing left to the simulation). */
function deps(gh: FakeGitHub, scenario: Scenario, store: Store): RefreshDeps {
  const http = new HttpClient({ userAgent: 'backage-action-bench', concurrency: 4, pageJitterMs: 0 })
  return {
    http,
    sizer: createImageSizer(http, gh.registryUrl),
    api: fakeGitHubApi(gh).api,
    store,
    serverUrl: gh.serverUrl,
    concurrency: 4,
    signal: new AbortController().signal,
    now: () => new Date(),
    optOut: [],
    log: { info: () => undefined, warning: () => undefined, debug: () => undefined }
  }
}

export interface MergeBenchResult {
  shards: number
  packagesPerShard: number
  seconds: number
  deltaBytes: number
}

/** Packages `i` of the merge bench: ten per owner, owner ids from 1,000. */
function benchRef(i: number): { ref: PackageRef; ownerId: number } {
  const owner = Math.floor(i / 10)
  return { ref: { ownerType: 'users', owner: `owner-${owner}`, type: 'npm', name: `pkg-${i}`, repo: 'repo' }, ownerId: 1_000 + owner }
}

function reading(i: number, day: string, grow: number): PackageRefresh {
  const { ref, ownerId } = benchRef(i)
  const versions: VersionObservation[] = Array.from({ length: 5 }, (_, v) => ({
    id: i * 10 + v + 1,
    name: `1.0.${v}`,
    tags: v === 4 ? ['latest'] : [],
    downloads: 100 * (v + 1) + grow
  }))
  return {
    ref,
    ownerId,
    day,
    at: `${day}T04:00:00.000Z`,
    downloads: 1_500 + i + grow * 5,
    windows: { day: 3 + grow, week: 20 + grow, month: 90 + grow },
    lastPublished: '2026-01-01T00:00:00.000Z',
    versions,
    versionsComplete: true,
    versionCount: 5,
    versionsCursor: 0,
    versionsPassStartedAt: null,
    versionsPassComplete: false,
    problems: []
  }
}

export function benchMerge(options: { shards: number; packagesPerShard: number }): MergeBenchResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'backage-bench-merge-'))
  const total = options.shards * options.packagesPerShard
  try {
    const base = path.join(dir, 'base.db')
    const seed = Store.open(base)
    seed.batch(() => {
      for (let i = 0; i < total; i++) seed.savePackageRefresh(reading(i, '2026-03-01', 0), 1)
    })
    seed.close()
    const deltas: string[] = []
    let deltaBytes = 0
    for (let k = 0; k < options.shards; k++) {
      const file = path.join(dir, `shard-${k}.db`)
      copyFileSync(base, file)
      const store = Store.open(file)
      store.captureChanges()
      store.batch(() => {
        for (let i = k; i < total; i += options.shards) store.savePackageRefresh(reading(i, '2026-03-02', 7), 2)
      })
      const delta = path.join(dir, `delta-${k}.db`)
      store.writeDelta(delta, { shard: `${k + 1}/${options.shards}` })
      store.close()
      deltas.push(delta)
      deltaBytes += statSync(delta).size
    }
    const target = path.join(dir, 'merge.db')
    copyFileSync(base, target)
    const started = performance.now()
    const store = Store.open(target)
    for (const delta of deltas) store.applyDelta(delta)
    store.close()
    return { shards: options.shards, packagesPerShard: options.packagesPerShard, seconds: (performance.now() - started) / 1000, deltaBytes }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
