/**
 * One run (SPEC 3): restore → owners → plan → refresh → snapshot release → render and push the
 * index. Stages after refresh always run, also after a graceful stop; a failure in one owner or
 * package never aborts the run. A restore that fails (history exists but cannot be read) aborts it
 * before any scraping; a failed snapshot release skips the push. Returns what main.ts turns into
 * outputs and the job summary.
 */
import { mkdirSync } from 'node:fs'
import * as path from 'node:path'
import type { Settings } from '../settings.js'
import { errorMessage, type Log } from '../log.js'
import { utcDay } from '../types.js'
import { HttpClient } from '../github/http.js'
import { PageSaver } from '../github/save-pages.js'
import { createGitHubApi } from '../github/octokit.js'
import { ApiBudget } from '../github/api-budget.js'
import { createImageSizer } from '../github/registry.js'
import { Store } from '../store/store.js'
import { restoreStage } from './restore.js'
import { saveStage, saveToCache } from './save.js'
import { gatherOwners } from './owners.js'
import { planOwners, planOwnersFromStore } from './plan.js'
import { refreshStage, type RefreshReport } from './refresh.js'
import { checkPublishTarget, publishStage } from './publish.js'
import { createActionsCache } from '../store/cache.js'
import type { PasteBadge } from '../render/api/paste.js'
import { createHandover } from './handover.js'
import { handOverShard, ownersOfShard, shardOwners } from './shard.js'
import { mergeStage } from './merge.js'

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
  /** The name a shard run's delta was handed over under (SPEC 13.2); empty otherwise. */
  shardArtifact: string
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
  /** Save every github.com page fetched into this folder (CLI `--save-pages`, for bug reports). */
  savePages?: string
}

export const USER_AGENT_PRODUCT = 'backage-action/1.0'

const STAGE_TITLES: Record<string, string> = {
  check: 'Check where the index will be published',
  restore: 'Restore the database from the newest snapshot release',
  owners: 'Gather owners (files, input, discovery)',
  plan: 'Plan the batch',
  refresh: 'Refresh owners and packages',
  publish: 'Render and publish the index',
  release: 'Publish the database snapshot release',
  cache: 'Save the database to the Actions cache'
}

export async function runPipeline(settings: Settings, deps: RunDeps): Promise<RunResult> {
  const { log } = deps
  const now = deps.now ?? (() => new Date())
  const startedAt = now()
  const timings: StageTiming[] = []
  // Each stage's lines fold under its title in the Actions log (core.startGroup).
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now()
    log.group?.(STAGE_TITLES[stage] ?? stage)
    try {
      return await work()
    } finally {
      log.groupEnd?.()
      timings.push({ stage, ms: Date.now() - started })
    }
  }

  // A run that could not publish fails before it restores, scrapes, releases or deletes anything.
  // A shard publishes nothing (SPEC 13.2): its delta goes to the merge job, which checks.
  const { shard } = settings
  if (shard === null) await timed('check', () => checkPublishTarget(settings, deps.indexDir))

  const { owner, name } = settings.env.repository
  const budget = new AbortController()
  // Once the refresh has finished, a stop changes nothing of its outcome (SPEC 12): the closing
  // stages run to the end anyway.
  let refreshFinished = false
  const stopWith = (reason: string): void => {
    if (budget.signal.aborted) return
    log.warning(
      refreshFinished
        ? `${reason} after the refresh finished; saving and publishing what was refreshed`
        : `stopping gracefully: ${reason}; what was refreshed is saved and published`
    )
    budget.abort(new Error(reason))
  }
  const deadline = setTimeout(
    () => stopWith(`time budget of ${settings.maxDurationMinutes} min (max-duration) reached`),
    settings.maxDurationMinutes * 60_000
  )
  deadline.unref()
  deps.stop?.addEventListener('abort', () => stopWith(String(deps.stop?.reason ?? 'stop requested')), { once: true })

  const userAgent = `${USER_AGENT_PRODUCT} (+${settings.env.serverUrl}/${owner}/${name})`
  const pageClient = new HttpClient({ userAgent, concurrency: settings.concurrency, log: (message) => log.debug(message) })
  const http = deps.savePages ? new PageSaver(pageClient, deps.savePages) : pageClient
  // Anonymous REST allows 60 requests an hour: keep only a small reserve then.
  const apiBudget = new ApiBudget(settings.token ? { rest: 50, graphql: 50 } : { rest: 5, graphql: 0 })
  const api = createGitHubApi({
    token: settings.token,
    apiUrl: settings.env.apiUrl,
    graphqlUrl: settings.env.graphqlUrl,
    repository: { owner, name },
    userAgent,
    budget: apiBudget,
    log: (message) => log.debug(message)
  })
  const sizer = createImageSizer(http, settings.registryUrl)

  const dataDir = path.join(settings.env.runnerTemp, 'backage')
  mkdirSync(dataDir, { recursive: true })
  const dbPath = path.join(dataDir, 'backage.db')
  const cache = deps.useCache ? createActionsCache({ runId: settings.env.runId, log }) : undefined

  const restored =
    deps.restore === false
      ? { source: 'local', release: undefined }
      : await timed('restore', () => restoreStage({ releases: api, dbPath, cache, log }))
  const store = Store.open(dbPath, { warn: (message) => log.warning(message) })
  const handover = shard !== null || settings.mode === 'merge' ? createHandover(settings.shardsDir, log) : null
  // A shard's delta is the rows it changes from here on (SPEC 13.2).
  if (shard !== null) store.captureChanges()
  const restoredFrom = restored.release ? `${restored.source} ${restored.release}` : restored.source
  const errors: string[] = []
  try {
    const merged =
      handover !== null && settings.mode === 'merge'
        ? await timed('merge', () => mergeStage({ store, handover, dataDir, restoredFrom, runId: settings.env.runId, log }))
        : null
    const owners = await timed('owners', async () =>
      shard !== null ? shardOwners(settings, log) : gatherOwners({ settings, api, store, log, now, signal: budget.signal })
    )
    // A merge plans nothing: the shards refreshed; a shard plans the owners of its part.
    const planned = await timed('plan', async () =>
      merged !== null
        ? []
        : planOwners({
            owners: planOwnersFromStore(ownersOfShard(store.listOwners(), shard), store.packageRefreshTimes(), owners.manual),
            now: now()
          })
    )
    if (merged === null) log.info(`refreshing up to ${planned.length} owners`)
    const refresh = merged !== null ? merged.report : await timed('refresh', () =>
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
    // The outcome is the refresh stage's, decided when its last task finished (SPEC 2.2, 12).
    refreshFinished = true
    clearTimeout(deadline)
    const packagesRefreshed = refresh.refreshed.length
    log.info(
      `refresh finished: ${packagesRefreshed} packages refreshed, ${refresh.stale.length} stale, ` +
        (refresh.complete ? 'complete' : `not complete (${refresh.stopReason ?? 'stopped early'})`)
    )

    // SPEC 3: the snapshot release comes before the push. If it fails, the push is skipped, so the
    // published index never shows numbers that the next run (restoring the newest release) cannot.
    // SPEC 13.4: old per-version history is thinned before the snapshot, at most a minute per run.
    const thinned = store.thinHistory(utcDay(now()), Date.now() + 60_000)
    if (thinned.deleted > 0) log.info(`history: ${thinned.deleted} per-version rows older than 400 days thinned${thinned.complete ? '' : ' (more next run)'}`)
    const counts = store.counts()
    let releaseTag = ''
    let releaseFailed = false
    let shardArtifact = ''
    if (shard !== null && handover !== null) {
      // A shard hands its delta over and publishes nothing: no release, no cache, no push (SPEC 13.2).
      shardArtifact = await timed('handover', () =>
        handOverShard({ store, shard, handover, dataDir, report: refresh, restoredFrom, runId: settings.env.runId, now: now(), log }).catch((error: unknown) => {
          errors.push(`handing the shard's delta over failed: ${errorMessage(error)}`)
          log.error(errors[errors.length - 1] ?? '')
          return ''
        })
      )
    } else if (settings.release && !settings.dryRun) {
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
              complete: refresh.complete
            },
            restoredFrom: restored.release,
            runStartedAt: startedAt,
            cache,
            log
          })
          return saved.tag
        } catch (error) {
          releaseFailed = true
          errors.push(`publishing the database snapshot failed, so the index was not pushed: ${errorMessage(error)}`)
          log.error(errors[errors.length - 1] ?? '')
          return ''
        }
      })
    } else if (cache && !settings.dryRun) {
      await timed('cache', () => saveToCache(store, cache, log))
    }

    const published = releaseFailed || shard !== null
      ? { commit: '', changed: false, indexDir: null, badges: [] }
      : await timed('publish', () =>
          publishStage({ settings, store, log, now: now(), indexDir: deps.indexDir, ownOwners: owners.manual }).catch((error: unknown) => {
            errors.push(`publishing the index failed: ${errorMessage(error)}`)
            log.error(errors[errors.length - 1] ?? '')
            return { commit: '', changed: false, indexDir: null, badges: [] }
          })
        )

    const pages = pageClient.stats()
    const apis = apiBudget.stats()
    return {
      ownersRefreshed: refresh.owners.length,
      packagesRefreshed,
      refresh,
      indexCommit: published.commit,
      indexChanged: published.changed,
      indexDir: published.indexDir,
      releaseTag,
      complete: refresh.complete,
      stopReason: refresh.stopReason,
      counts,
      restoredFrom,
      requests: { ...pages.requests, ...apis.requests },
      rateLimit: {
        rest: apis.rateLimit.rest && { remaining: apis.rateLimit.rest.remaining, limit: apis.rateLimit.rest.limit },
        graphql: apis.rateLimit.graphql && { remaining: apis.rateLimit.graphql.remaining, limit: apis.rateLimit.graphql.limit }
      },
      timings,
      errors,
      shardArtifact,
      ownerFileProblems: owners.problems,
      badges: published.badges
    }
  } finally {
    clearTimeout(deadline)
    store.close()
  }
}

