/**
 * One run (SPEC 3): restore → owners → plan → refresh → render → publish → save. Stages after
 * refresh always run, also after a graceful stop; a failure in one owner or package never aborts
 * the run. Returns what main.ts turns into outputs and the job summary.
 */
import { mkdirSync } from 'node:fs'
import * as path from 'node:path'
import type { Settings } from '../settings.js'
import { errorMessage, type Log } from '../log.js'
import { HttpClient } from '../github/http.js'
import { createApi } from '../github/api.js'
import { createImageSizer } from '../github/registry.js'
import { Store } from '../store/store.js'
import { restoreStage } from './restore.js'
import { saveStage, saveToCache } from './save.js'
import { gatherOwners } from './owners.js'
import { planOwners, planOwnersFromStore } from './plan.js'
import { packageLabel, refreshStage, type RefreshReport } from './refresh.js'
import { publishStage } from './publish.js'
import { createActionsCache } from '../store/cache.js'
import type { PasteBadge } from '../render/api/paste.js'

export interface StageTiming {
  stage: string
  ms: number
}

export interface RunResult {
  ownersRefreshed: number
  packagesRefreshed: number
  refresh: RefreshReport
  indexCommit: string
  indexChanged: boolean
  /** Where the index was written in a dry run, else null. */
  indexDir: string | null
  releaseTag: string
  complete: boolean
  /** Why the run stopped early, when it did. */
  stopReason: string | null
  counts: { owners: number; repos: number; packages: number }
  restoredFrom: string
  requests: Record<string, number>
  rateLimit: Record<string, { remaining: number; limit: number } | undefined>
  timings: StageTiming[]
  /** Stage failures after refresh (publish, release): reported, the run fails at the end. */
  errors: string[]
  ownerFileProblems: string[]
  /** Ready-to-paste badges of the repository owner's packages (SPEC 10.3). */
  badges: PasteBadge[]
}

export interface RunDeps {
  log: Log
  now?: () => Date
  /** Overrides where a dry run writes the index (CLI `--out`). */
  indexDir?: string
  /** Aborting it stops the refresh gracefully (SIGTERM/SIGINT handlers in main.ts). */
  stop?: AbortSignal
  /** Use @actions/cache for the database (only inside Actions). */
  useCache?: boolean
  /** Restore from snapshot releases (default true); the CLI keeps its database locally instead. */
  restore?: boolean
}

export const USER_AGENT_PRODUCT = 'backage-action/1.0'

export async function runPipeline(settings: Settings, deps: RunDeps): Promise<RunResult> {
  const { log } = deps
  const now = deps.now ?? (() => new Date())
  const timings: StageTiming[] = []
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now()
    try {
      return await work()
    } finally {
      timings.push({ stage, ms: Date.now() - started })
    }
  }

  const { owner, name } = settings.env.repository
  const budget = new AbortController()
  const stopReason = { value: null as string | null }
  const stopWith = (reason: string): void => {
    if (budget.signal.aborted) return
    stopReason.value = reason
    log.warning(`stopping gracefully: ${reason}; what was refreshed is saved and published`)
    budget.abort(new Error(reason))
  }
  const deadline = setTimeout(
    () => stopWith(`time budget of ${settings.maxDurationMinutes} min (max-duration) reached`),
    settings.maxDurationMinutes * 60_000
  )
  deadline.unref()
  deps.stop?.addEventListener('abort', () => stopWith(String(deps.stop?.reason ?? 'stop requested')), { once: true })

  const http = new HttpClient({
    userAgent: `${USER_AGENT_PRODUCT} (+${settings.env.serverUrl}/${owner}/${name})`,
    token: settings.token || undefined,
    apiUrl: settings.env.apiUrl,
    concurrency: settings.concurrency,
    // Anonymous REST allows 60 requests an hour: keep only a small reserve then.
    ...(settings.token ? {} : { reserve: { rest: 5, graphql: 0 } }),
    log: (message) => log.debug(message)
  })
  const api = createApi(http, { apiUrl: settings.env.apiUrl, repository: { owner, name } })
  const sizer = createImageSizer(http, settings.registryUrl)

  const dataDir = path.join(settings.env.runnerTemp, 'backage')
  mkdirSync(dataDir, { recursive: true })
  const dbPath = path.join(dataDir, 'backage.db')
  const cache = deps.useCache ? createActionsCache({ runId: settings.env.runId, log }) : undefined

  const restored =
    deps.restore === false
      ? { source: 'local', release: undefined }
      : await timed('restore', () => restoreStage({ releases: api, dbPath, cache, log }))
  const store = Store.open(dbPath)
  const errors: string[] = []
  try {
    const owners = await timed('owners', () =>
      gatherOwners({ settings, api, store, log, now, signal: budget.signal })
    )
    const planned = await timed('plan', async () =>
      planOwners({ owners: planOwnersFromStore(store.listOwners(), store.packageRefreshTimes(), owners.manual), now: now() })
    )
    log.info(`refreshing up to ${planned.length} owners`)
    const refresh = await timed('refresh', () =>
      refreshStage(
        {
          http,
          sizer,
          api,
          store,
          serverUrl: settings.env.serverUrl,
          concurrency: settings.concurrency,
          signal: budget.signal,
          now,
          optOut: owners.optOut,
          log
        },
        planned
      )
    )
    if (!refresh.complete && stopReason.value === null) stopReason.value = 'API budget exhausted'
    // SPEC 2.2: stale packages are excluded (a page whose chart alone failed is both read and stale).
    const staleKeys = new Set(refresh.stale.map((entry) => packageLabel(entry.ref)))
    const packagesRefreshed = refresh.refreshed.filter((ref) => !staleKeys.has(packageLabel(ref))).length
    clearTimeout(deadline)

    const published = await timed('publish', () =>
      publishStage({ settings, store, log, now: now(), indexDir: deps.indexDir, ownOwners: owners.manual }).catch((error: unknown) => {
        errors.push(`publishing the index failed: ${errorMessage(error)}`)
        log.error(errors[errors.length - 1] ?? '')
        return { commit: '', changed: false, indexDir: null, badges: [] }
      })
    )

    const counts = store.counts()
    let releaseTag = ''
    if (settings.release && !settings.dryRun) {
      releaseTag = await timed('release', async () => {
        try {
          const saved = await saveStage({
            store,
            releases: api,
            keepReleases: settings.keepReleases,
            now: now(),
            summary: {
              ...counts,
              refreshed: packagesRefreshed,
              stale: refresh.stale.length,
              complete: refresh.complete && stopReason.value === null
            },
            cache,
            log
          })
          return saved.tag
        } catch (error) {
          errors.push(`publishing the database snapshot failed: ${errorMessage(error)}`)
          log.error(errors[errors.length - 1] ?? '')
          return ''
        }
      })
    } else if (cache && !settings.dryRun) {
      await timed('cache', () => saveToCache(store, cache, log))
    }

    const stats = http.stats()
    return {
      ownersRefreshed: refresh.owners.length,
      packagesRefreshed,
      refresh,
      indexCommit: published.commit,
      indexChanged: published.changed,
      indexDir: published.indexDir,
      releaseTag,
      complete: refresh.complete && stopReason.value === null,
      stopReason: stopReason.value,
      counts,
      restoredFrom: restored.release ? `${restored.source} ${restored.release}` : restored.source,
      requests: { ...stats.requests },
      rateLimit: {
        rest: stats.rateLimit.rest && { remaining: stats.rateLimit.rest.remaining, limit: stats.rateLimit.rest.limit },
        graphql: stats.rateLimit.graphql && {
          remaining: stats.rateLimit.graphql.remaining,
          limit: stats.rateLimit.graphql.limit
        }
      },
      timings,
      errors,
      ownerFileProblems: owners.problems,
      badges: published.badges
    }
  } finally {
    clearTimeout(deadline)
    store.close()
  }
}

