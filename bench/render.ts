/**
 * Render and commit time for `count` synthetic packages (SPEC 9): the whole index tree rendered
 * and published as the first commit of a bare repository in a temporary directory.
 *
 * Publishing streams: `renderIndexFiles` makes each file as `publishIndex` asks for it, so render
 * and commit are interleaved and cannot be timed apart in one pass. The figures are therefore:
 * - `renderMs`: rendering alone, the generator drained without git (every file made and dropped);
 * - `commitMs`: the real publish, render and commit together (the time a run spends), so the
 *   commit's own share is about `commitMs - renderMs`;
 * - `peakRssMb`: the peak RSS of this process over both passes (sampled every 100 ms). The
 *   `git fast-import` child is a separate process and not counted.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publishIndex } from '../src/publish/git.js'
import { renderIndexFiles } from '../src/render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../src/render/readme.js'
import type { ApiOptions } from '../src/render/api/files.js'
import { pasteBadges } from '../src/render/api/paste.js'
import { rawBaseUrl } from '../src/render/paths.js'
import { historyKey } from '../src/store/api-history.js'
import { dayNumber } from '../src/store/days.js'
import { PACKAGE_TYPES, type PackageHistory, type PackageSnapshot, type VersionSnapshot } from '../src/types.js'

/** Deterministic packages: 20 per owner, 4 per repo, 1 in 10 without a repo, 3 to 6 versions each. */
export function syntheticSnapshots(count: number): PackageSnapshot[] {
  const snapshots: PackageSnapshot[] = []
  for (let i = 0; i < count; i++) {
    const owner = `owner-${Math.floor(i / 20)}`
    const name = i % 7 === 0 ? `scope/package-${i}` : `package-${i}`
    const type = PACKAGE_TYPES[i % PACKAGE_TYPES.length] ?? 'container'
    const versions: VersionSnapshot[] = Array.from({ length: 3 + (i % 4) }, (_, v) => ({
      id: 1000 * i + v,
      name: type === 'container' ? `sha256:${(i * 31 + v).toString(16).padStart(64, '0')}` : `1.${v}.0`,
      date: '2026-10-02',
      size: type === 'container' ? 1_000_000 * (v + 1) + i : -1,
      downloads: (i * 7 + v * 13) % 100_000,
      downloadsMonth: -1,
      downloadsWeek: -1,
      downloadsDay: -1,
      tags: v === 2 ? ['latest', `1.${v}`] : v === 1 ? [`1.${v}`] : []
    }))
    snapshots.push({
      ownerType: i % 3 === 0 ? 'orgs' : 'users',
      type,
      ownerId: 1 + Math.floor(i / 20),
      owner,
      repo: i % 10 === 9 ? name : `repo-${Math.floor(i / 4)}`,
      name,
      date: '2026-10-02',
      downloads: (i * 7919) % 5_000_000,
      downloadsMonth: (i * 31) % 100_000,
      downloadsWeek: (i * 17) % 20_000,
      downloadsDay: (i * 3) % 3_000,
      versions,
      stale: i % 50 === 0 ? { downloads: '2026-10-01' } : {}
    })
  }
  return snapshots
}

/**
 * The static API of SPEC 10 for the synthetic packages: the first owner is the instance's own (its
 * badges are drawn as SVG too), every package has `historyDays` of daily bars and totals ending on
 * the render day, and one package in twenty changed in the last week.
 */
export function syntheticApi(snapshots: readonly PackageSnapshot[], historyDays: number): ApiOptions {
  const end = dayNumber('2026-10-02')
  const rawBase = rawBaseUrl('https://github.com', 'me', 'backage', 'index')
  const timestamp = Date.parse('2026-10-03T04:17:00Z') / 1000
  const byOwner = new Map<string, PackageSnapshot[]>()
  for (const s of snapshots) {
    const group = byOwner.get(s.owner)
    if (group) group.push(s)
    else byOwner.set(s.owner, [s])
  }
  return {
    rawBase,
    serverUrl: 'https://github.com',
    registryHost: 'ghcr.io',
    svgOwners: ['owner-0'],
    timestamp,
    histories: (owner) => {
      const histories = new Map<string, PackageHistory>()
      for (const s of byOwner.get(owner) ?? []) {
        const seed = s.downloads % 97
        const bars = Array.from({ length: historyDays }, (_, i) => [end - historyDays + 1 + i, (seed * 13 + i * 7) % 211] as const)
        const totals = Array.from({ length: historyDays }, (_, i) => [end - historyDays + 1 + i, s.downloads - (historyDays - 1 - i) * seed] as const)
        histories.set(historyKey(s.type, s.name), { bars, totals, priorTotal: null })
      }
      return histories
    },
    changes: snapshots
      .filter((_, i) => i % 20 === 0)
      .map((s, i) => ({ action: 'update', owner: s.owner, repo: s.repo, name: s.name, type: s.type, time: timestamp - (i % 600_000) })),
    paste: pasteBadges(snapshots, 'owner-0', rawBase)
  }
}

export interface RenderBenchResult {
  renderMs: number
  commitMs: number
  files: number
  /** UTF-8 bytes of every file of the index. */
  bytes: number
  peakRssMb: number
}

/** Bytes and files of the whole index, rendered without git (for the simulated year). */
export function indexBytes(count: number, historyDays: number): { files: number; bytes: number; renderMs: number } {
  const snapshots = syntheticSnapshots(count)
  const started = performance.now()
  let files = 0
  let bytes = 0
  for (const [, content] of renderIndexFiles(snapshots, { ...renderOptions, api: syntheticApi(snapshots, historyDays) })) {
    files++
    bytes += Buffer.byteLength(content, 'utf8')
  }
  return { files, bytes, renderMs: performance.now() - started }
}

const renderOptions = {
  date: '2026-10-03',
  readmeTemplate: DEFAULT_README_TEMPLATE,
  placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'backage', branch: 'index' }
}

/** `api`: with the static API of SPEC 10 (30 days of history, a first month), else backage's files only. */
export async function benchRender(count: number, api = false): Promise<RenderBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'backage-bench-render-'))
  let peakRss = process.memoryUsage().rss
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }
  const timer = setInterval(sample, 100)
  try {
    const origin = join(dir, 'origin.git')
    const workspace = join(dir, 'workspace')
    execFileSync('git', ['init', '--quiet', '--bare', origin])
    execFileSync('git', ['init', '--quiet', workspace])
    const snapshots = syntheticSnapshots(count)
    const options = { ...renderOptions, ...(api ? { api: syntheticApi(snapshots, 30) } : {}) }

    // Rendering alone: every file made, its size read (so nothing is optimised away), then dropped.
    const renderStart = performance.now()
    let bytes = 0
    for (const [, content] of renderIndexFiles(snapshots, options)) bytes += Buffer.byteLength(content, 'utf8')
    const renderMs = performance.now() - renderStart
    sample()
    if (bytes === 0) throw new Error('benchRender: nothing rendered')

    // The real publish: files rendered one by one as fast-import takes them.
    let files = 0
    const counted = function* (): Generator<[string, string]> {
      for (const file of renderIndexFiles(snapshots, options)) {
        files++
        yield file
      }
    }
    const commitStart = performance.now()
    await publishIndex({
      workspace,
      remote: origin,
      branch: 'index',
      history: 'squash',
      files: counted(),
      message: 'bench',
      author: { name: 'bench', email: 'bench@example.com' }
    })
    const commitMs = performance.now() - commitStart
    sample()
    return { renderMs, commitMs, files, bytes, peakRssMb: peakRss / 1024 / 1024 }
  } finally {
    clearInterval(timer)
    rmSync(dir, { recursive: true, force: true })
  }
}
