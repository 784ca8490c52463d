/**
 * Refresh throughput (SPEC 9): the real refresh stage, HTTP client (default pacing and jitter),
 * parsers and store against the fake GitHub with a per-request latency. Prints nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { FakeGitHub } from '../test-support/fake-github/server.js'
import { syntheticScenario } from '../test-support/sample-scenario.js'
import { HttpClient } from '../src/github/http.js'
import { fakeGitHubApi } from '../test-support/github-api.js'
import { createImageSizer } from '../src/github/registry.js'
import { Store } from '../src/store/store.js'
import { refreshStage } from '../src/pipeline/refresh.js'

export interface RefreshBenchOptions {
  latencyMs: number
  concurrency: number
  owners: number
  packagesPerOwner: number
  versionsPerPackage: number
}

export interface RefreshBenchResult {
  packages: number
  seconds: number
  packagesPerMinute: number
  /** Requests per refreshed package by kind; `page` is split into listing, package, versions and tagged. */
  requestsPerPackage: Record<string, number>
}

export async function benchRefresh(options: RefreshBenchOptions): Promise<RefreshBenchResult> {
  const scenario = syntheticScenario({
    owners: options.owners,
    packagesPerOwner: options.packagesPerOwner,
    versionsPerPackage: options.versionsPerPackage
  })
  const gh = await FakeGitHub.start({ scenario, latencyMs: options.latencyMs })
  const dir = mkdtempSync(path.join(tmpdir(), 'backage-bench-refresh-'))
  const store = Store.open(path.join(dir, 'bench.db'))
  try {
    const at = new Date().toISOString()
    for (const owner of scenario.owners) store.upsertOwner({ login: owner.login, id: owner.id, type: owner.type }, at)
    const http = new HttpClient({ userAgent: 'backage-action-bench', concurrency: options.concurrency })
    const started = performance.now()
    const report = await refreshStage(
      {
        http,
        sizer: createImageSizer(http, gh.registryUrl),
        api: fakeGitHubApi(gh).api,
        store,
        serverUrl: gh.serverUrl,
        concurrency: options.concurrency,
        signal: new AbortController().signal,
        now: () => new Date(),
        optOut: [],
        log: { info: () => undefined, warning: () => undefined, debug: () => undefined }
      },
      scenario.owners.map((owner) => ({ login: owner.login, reason: 'queue' as const }))
    )
    const seconds = (performance.now() - started) / 1000
    const packages = report.refreshed.length
    const counts: Record<string, number> = {}
    for (const request of gh.requests) {
      const kind = request.kind === 'page' ? `page:${pageKind(request.path)}` : request.kind
      counts[kind] = (counts[kind] ?? 0) + 1
    }
    const requestsPerPackage = Object.fromEntries(
      Object.entries(counts)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([kind, n]) => [kind, packages > 0 ? n / packages : 0])
    )
    return { packages, seconds, packagesPerMinute: seconds > 0 ? (packages / seconds) * 60 : 0, requestsPerPackage }
  } finally {
    store.close()
    await gh.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

function pageKind(requestPath: string): string {
  if (requestPath.includes('/versions?')) return requestPath.includes('version_type') ? 'tagged' : 'versions'
  if (requestPath.includes('/package/')) return 'package'
  if (requestPath.includes('tab=packages') || /\/orgs\/[^/]+\/packages\?/.test(requestPath)) return 'listing'
  return 'other'
}
