/**
 * Throughput and scale-out figures (SPEC 13.3, 13.4), printed by `npm run bench`:
 * - `benchIncremental`: a full render + commit + push of `count` packages into a bare origin, then
 *   from a fresh workspace the previous tip fetched shallow (its own figure) and a publish where 5 %
 *   of the owners changed (so 5 % of the packages): only their folders rendered, the others kept;
 *   then 5 % of the packages changed across every owner, where nothing can be kept.
 * - `benchHistory`: a database of `packages` packages written day by day for two simulated years
 *   with plain SQL (the Store API would take too long for this size), its snapshot after one year,
 *   and after two years before and after thinning (thinning cannot act within the first 400 days).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { publishIndex } from '../src/publish/git.js'
import { ownerFolder, renderIndexFiles } from '../src/render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../src/render/readme.js'
import { compressDatabase } from '../src/store/snapshot.js'
import { dayString } from '../src/store/days.js'
import { Store } from '../src/store/store.js'
import type { PackageSnapshot } from '../src/types.js'
import { seededRandom } from '../test-support/sample-scenario.js'
import { syntheticSnapshots } from './render.js'

const RENDER = {
  date: '2026-10-03',
  readmeTemplate: DEFAULT_README_TEMPLATE,
  placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'backage', branch: 'index' }
}
const AUTHOR = { name: 'bench', email: 'bench@example.com' }

export interface IncrementalFigures {
  fullSeconds: number
  fullPeakRssMb: number
  files: number
  fetchSeconds: number
  incrementalSeconds: number
  incrementalPeakRssMb: number
  changedPackages: number
  renderedFiles: number
  /** The same 5 % of packages spread over every owner (one in 20 of each): no folder can be kept. */
  spreadSeconds: number
}

/** Peak RSS of this process while `work` runs (sampled every 50 ms), and its wall time. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  const started = performance.now()
  try {
    const value = await work()
    return { value, seconds: (performance.now() - started) / 1000, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 1024 / 1024 }
  } finally {
    clearInterval(timer)
  }
}

export async function benchIncremental(count: number): Promise<IncrementalFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'backage-bench-incr-'))
  try {
    const origin = join(dir, 'origin.git')
    execFileSync('git', ['init', '--quiet', '--bare', origin])
    const first = join(dir, 'first')
    execFileSync('git', ['init', '--quiet', first])
    const snapshots = syntheticSnapshots(count)
    let files = 0
    const full = await measured(() =>
      publishIndex({
        workspace: first,
        remote: origin,
        branch: 'index',
        history: 'squash',
        files: (function* () {
          for (const file of renderIndexFiles(snapshots, RENDER)) {
            files++
            yield file
          }
        })(),
        message: 'full',
        author: AUTHOR
      })
    )

    // The next run: 1 owner in 20 changed (every package of it: 5 % of the packages).
    const owners = [...new Set(snapshots.map((s) => s.owner))]
    const changedOwners = new Set(owners.filter((_, i) => i % 20 === 0))
    const next: PackageSnapshot[] = snapshots.map((s) => (changedOwners.has(s.owner) ? { ...s, downloads: s.downloads + 1, date: '2026-10-03' } : s))
    const unchangedOwners = new Set(owners.filter((o) => !changedOwners.has(o)))
    const workspace = join(dir, 'next')
    execFileSync('git', ['init', '--quiet', workspace])
    const fetchStarted = performance.now()
    execFileSync('git', ['fetch', '--quiet', '--no-tags', '--refmap=', '--depth=1', origin, 'refs/heads/index'], { cwd: workspace })
    const fetchSeconds = (performance.now() - fetchStarted) / 1000
    let renderedFiles = 0
    const incremental = await measured(() =>
      publishIndex({
        workspace,
        remote: origin,
        branch: 'index',
        history: 'squash',
        files: (function* () {
          for (const file of renderIndexFiles(next, { ...RENDER, skipOwners: unchangedOwners })) {
            renderedFiles++
            yield file
          }
        })(),
        keep: [...unchangedOwners].map(ownerFolder),
        message: 'incremental',
        author: AUTHOR
      })
    )
    if (!incremental.value.changed) throw new Error('benchIncremental: the incremental publish changed nothing')

    const spreadWorkspace = join(dir, 'spread')
    execFileSync('git', ['init', '--quiet', spreadWorkspace])
    execFileSync('git', ['fetch', '--quiet', '--no-tags', '--refmap=', '--depth=1', origin, 'refs/heads/index'], { cwd: spreadWorkspace })
    const spread = next.map((s, i) => (i % 20 === 1 ? { ...s, downloads: s.downloads + 1 } : s))
    const spreadRun = await measured(() =>
      publishIndex({ workspace: spreadWorkspace, remote: origin, branch: 'index', history: 'squash', files: renderIndexFiles(spread, RENDER), message: 'spread', author: AUTHOR })
    )
    return {
      fullSeconds: full.seconds,
      fullPeakRssMb: full.peakRssMb,
      files,
      fetchSeconds,
      incrementalSeconds: incremental.seconds,
      incrementalPeakRssMb: incremental.peakRssMb,
      changedPackages: next.filter((s) => changedOwners.has(s.owner)).length,
      renderedFiles,
      spreadSeconds: spreadRun.seconds
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface HistoryFigures {
  packages: number
  /** After one year: vacuumed bytes per package per day, and the zstd snapshot. */
  yearBytesPerPackageDay: number
  yearSnapshotBytes: number
  /** After two years, before and after thinning. */
  twoYearsBeforeBytes: number
  twoYearsAfterBytes: number
  twoYearsBeforeSnapshot: number
  twoYearsAfterSnapshot: number
  thinnedRows: number
  thinSeconds: number
}

/** Probability that a version's numbers change on a given day, newest version first (as store.ts). */
const CHANGE_ODDS = [0.9, 0.5, 0.2, 0.1, 0.05]

/** Writes `days` more days of history for `packages` packages of 5 versions, from `firstDay`. */
function writeDays(path: string, packages: number, firstDay: number, days: number, random: () => number, totals: Float64Array): void {
  const db = new DatabaseSync(path)
  try {
    db.exec('PRAGMA synchronous = OFF') // a bench file: no need to survive a crash
    const daily = db.prepare('INSERT INTO package_days (pkg, day, downloads, d_month, d_week, d_day) VALUES (?, ?, ?, ?, ?, ?)')
    const version = db.prepare('INSERT INTO version_days (pkg, id, day, downloads, d_month, d_week, d_day) VALUES (?, ?, ?, ?, NULL, NULL, NULL)')
    for (let d = firstDay; d < firstDay + days; d++) {
      db.exec('BEGIN')
      for (let p = 0; p < packages; p++) {
        const today = Math.floor(random() * 50)
        daily.run(p + 1, d, (totals[p * 6] = (totals[p * 6] ?? 0) + today), today * 30, today * 7, today)
        for (let v = 0; v < 5; v++) {
          if (random() >= (CHANGE_ODDS[4 - v] ?? 0.02)) continue
          const slot = p * 6 + 1 + v
          version.run(p + 1, 1_000_000 + p * 5 + v, d, (totals[slot] = (totals[slot] ?? 0) + 1 + Math.floor(random() * 40)))
        }
      }
      db.exec('COMMIT')
    }
  } finally {
    db.close()
  }
}

/** Vacuumed bytes and zstd snapshot bytes of the database at `path`. */
async function sizes(path: string, copy: string): Promise<{ raw: number; snapshot: number }> {
  const store = Store.open(path)
  try {
    const compressed = await compressDatabase(store, { copyTo: copy })
    return { raw: statSync(copy).size, snapshot: compressed.data.byteLength }
  } finally {
    store.close()
    rmSync(copy, { force: true })
  }
}

export async function benchHistory(packages: number): Promise<HistoryFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'backage-bench-history-'))
  try {
    const path = join(dir, 'history.db')
    Store.open(path).close() // the schema
    const random = seededRandom(20260301)
    const totals = new Float64Array(packages * 6)
    const firstDay = 20_454 // 2026-01-01
    writeDays(path, packages, firstDay, 365, random, totals)
    const year = await sizes(path, join(dir, 'copy.db'))
    writeDays(path, packages, firstDay + 365, 365, random, totals)
    const before = await sizes(path, join(dir, 'copy.db'))
    const store = Store.open(path)
    const started = performance.now()
    const thinned = store.thinHistory(dayString(firstDay + 730), Number.MAX_SAFE_INTEGER)
    const thinSeconds = (performance.now() - started) / 1000
    store.close()
    const after = await sizes(path, join(dir, 'copy.db'))
    return {
      packages,
      yearBytesPerPackageDay: year.raw / (packages * 365),
      yearSnapshotBytes: year.snapshot,
      twoYearsBeforeBytes: before.raw,
      twoYearsAfterBytes: after.raw,
      twoYearsBeforeSnapshot: before.snapshot,
      twoYearsAfterSnapshot: after.snapshot,
      thinnedRows: thinned.deleted,
      thinSeconds
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** Prints the figures of this file beside their targets, one line each (called by run.ts). */
export async function reportScale(line: (label: string, value: string) => void, quick: boolean): Promise<void> {
  for (const count of quick ? [1_000] : [10_000, 100_000]) {
    const r = await benchIncremental(count)
    const n = count.toLocaleString('en-US')
    line(`publish: ${n} packages, full render+commit+push`, `${r.fullSeconds.toFixed(1)} s (target ≤ 90 s), ${r.files} files, peak RSS ${r.fullPeakRssMb.toFixed(0)} MB`)
    line(`publish: ${n} packages, fetch of the previous tip (depth 1)`, `${r.fetchSeconds.toFixed(1)} s (not in the target)`)
    line(
      `publish: ${n} packages, 5 % changed, render+commit+push`,
      `${r.incrementalSeconds.toFixed(1)} s (target ≤ 15 s), ${r.changedPackages} packages of 5 % of the owners changed, ${r.renderedFiles} files rendered, peak RSS ${r.incrementalPeakRssMb.toFixed(0)} MB`
    )
    line(`publish: ${n} packages, 5 % changed spread over every owner`, `${r.spreadSeconds.toFixed(1)} s (target ≤ 15 s; every owner re-rendered, only changed blobs written)`)
  }
  const packages = quick ? 500 : 10_000
  const h = await benchHistory(packages)
  const per100k = 100_000 / packages
  line(
    `database: one year of ${packages.toLocaleString('en-US')} packages`,
    `${h.yearBytesPerPackageDay.toFixed(1)} bytes/package/day, snapshot ${mb(h.yearSnapshotBytes)} (×${per100k} for 100,000: ${mb(h.yearSnapshotBytes * per100k)}, target < 1.5 GB)`
  )
  line(
    `database: two years of ${packages.toLocaleString('en-US')} packages, before → after thinning`,
    `raw ${mb(h.twoYearsBeforeBytes)} → ${mb(h.twoYearsAfterBytes)}, snapshot ${mb(h.twoYearsBeforeSnapshot)} → ${mb(h.twoYearsAfterSnapshot)} ` +
      `(×${per100k}: ${mb(h.twoYearsAfterSnapshot * per100k)}), ${h.thinnedRows} rows thinned in ${h.thinSeconds.toFixed(1)} s`
  )
}
