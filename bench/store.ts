/**
 * Database size benchmark (SPEC 9): a synthetic history written through the public Store API, then
 * the compact file size per package per day, the zstd snapshot ratio, and the time of the two reads
 * the render stage makes (`snapshots()`, `counts()`). Deterministic (seeded).
 *
 * The history imitates real packages: the package total grows most days; the newest version gains
 * downloads most days and older versions ever more rarely (version history is stored only on change).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Store } from '../src/store/store.js'
import { compressDatabase } from '../src/store/snapshot.js'
import { dayString } from '../src/store/days.js'
import type { PackageRefresh, PackageType, VersionObservation } from '../src/types.js'
import { seededRandom } from '../test-support/sample-scenario.js'

export interface StoreBenchOptions {
  packages?: number
  days?: number
  versionsPerPackage?: number
}

export interface StoreBenchResult {
  packages: number
  days: number
  versionsPerPackage: number
  /** Size of the vacuumed database file divided by packages × days. */
  bytesPerPackagePerDay: number
  /** The same without the tables of SPEC 10 (chart bars, changes log): what they cost is the difference. */
  bytesPerPackagePerDayWithoutApi: number
  /** Compressed snapshot bytes / raw (vacuumed) bytes. */
  snapshotRatio: number
  rawBytes: number
  compressedBytes: number
  /** Wall time of writing the history, and of one `snapshots()` read of everything. */
  writeSeconds: number
  snapshotsMs: number
  /** Wall time of one `counts()` (the index totals). */
  countsMs: number
}

/** Probability that a version gains downloads on a given day, newest version first. */
const CHANGE_ODDS = [0.9, 0.5, 0.2, 0.1, 0.05]
const TYPES: PackageType[] = ['container', 'npm', 'maven', 'nuget', 'rubygems']

export async function benchStore(options: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const packages = options.packages ?? 10_000
  const days = options.days ?? 90
  const versionsPerPackage = options.versionsPerPackage ?? 5
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backage-bench-store-'))
  const random = seededRandom(20260301) // the same history every run
  const firstDay = 20_454 // 2026-01-01
  const store = Store.open(path.join(dir, 'bench.db'))
  try {
    const totals = new Float64Array(packages)
    const versionTotals = new Float64Array(packages * versionsPerPackage)
    const started = performance.now()
    for (let d = 0; d < days; d++) {
      const day = dayString(firstDay + d)
      // One transaction per day of refreshes, as a run batches its writes.
      store.batch(() => {
        for (let p = 0; p < packages; p++) {
          const versions: VersionObservation[] = []
          for (let v = 0; v < versionsPerPackage; v++) {
            const slot = p * versionsPerPackage + v
            const age = versionsPerPackage - 1 - v
            if (random() < (CHANGE_ODDS[age] ?? 0.02)) versionTotals[slot] = (versionTotals[slot] ?? 0) + 1 + Math.floor(random() * 40)
            versions.push({
              id: 1_000_000 + slot,
              name: `${1 + Math.floor(v / 3)}.${v % 3}.0`,
              tags: v === versionsPerPackage - 1 ? ['latest'] : [],
              downloads: versionTotals[slot] ?? 0
            })
          }
          const daily = Math.floor(random() * 50)
          // GitHub's 30-day chart ends on the day before the run's UTC day; its own PRNG-free counts
          // keep the history above identical to the one measured before the chart was stored.
          const chart = Array.from({ length: 30 }, (_, i) => {
            const chartDay = firstDay + d - 30 + i
            return { date: dayString(chartDay), count: (p * 31 + chartDay * 17) % 50 }
          })
          totals[p] = (totals[p] ?? 0) + daily
          const refresh: PackageRefresh = {
            ref: {
              ownerType: p % 3 === 0 ? 'orgs' : 'users',
              owner: `owner-${Math.floor(p / 20)}`,
              type: TYPES[p % TYPES.length] ?? 'npm',
              name: `package-${p}`,
              repo: p % 4 === 0 ? null : `repo-${Math.floor(p / 5)}`
            },
            ownerId: 10_000 + Math.floor(p / 20),
            day,
            at: `${day}T12:00:00.000Z`,
            downloads: totals[p] ?? 0,
            windows: { day: daily, week: daily * 7, month: daily * 30 },
            lastPublished: null,
            versions,
            versionsComplete: true,
            versionCount: versionsPerPackage,
            versionsCursor: 0,
            versionsPassStartedAt: null,
            versionsPassComplete: false,
            problems: [],
            chart
          }
          store.savePackageRefresh(refresh, d + 1)
        }
      })
    }
    const writeSeconds = (performance.now() - started) / 1000

    const readStarted = performance.now()
    store.snapshots()
    const snapshotsMs = performance.now() - readStarted
    const countsStarted = performance.now()
    store.counts()
    const countsMs = performance.now() - countsStarted

    const copy = path.join(dir, 'vacuumed.db')
    const snapshot = await compressDatabase(store, { copyTo: copy })
    const rawBytes = statSync(copy).size
    const withoutApi = new DatabaseSync(copy)
    try {
      withoutApi.exec('DROP TABLE package_chart; DROP TABLE changes; VACUUM')
    } finally {
      withoutApi.close()
    }
    return {
      packages,
      days,
      versionsPerPackage,
      bytesPerPackagePerDay: rawBytes / (packages * days),
      bytesPerPackagePerDayWithoutApi: statSync(copy).size / (packages * days),
      snapshotRatio: snapshot.data.byteLength / rawBytes,
      rawBytes,
      compressedBytes: snapshot.data.byteLength,
      writeSeconds,
      snapshotsMs,
      countsMs
    }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
