import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import type { GitHubApi } from '../../src/github/octokit.js'
import { saveStage, type SaveSummary } from '../../src/pipeline/save.js'
import { SNAPSHOT_ASSET_NAME, parseChecksumLine, sha256Hex } from '../../src/store/snapshot.js'
import { createActionsCache } from '../../src/store/cache.js'
import type { Store } from '../../src/store/store.js'
import { tmpDir } from '../store/refresh-builder.js'
import { folderCache, recordingLog, seedRelease, startGitHub, storeWithHistory } from '../store/loop-support.js'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { fakeGitHubApi } from '../../test-support/github-api.js'

let gh: FakeGitHub
let api: GitHubApi
let tmp: ReturnType<typeof tmpDir>
let store: Store

const summary: SaveSummary = { owners: 1, repos: 1, packages: 1, refreshed: 1, stale: 0, complete: true }

beforeEach(async () => {
  ;({ gh, api } = await startGitHub())
  tmp = tmpDir('backage-save-test-')
  store = storeWithHistory(path.join(tmp.dir, 'live.db'), 3)
})

afterEach(async () => {
  store.close()
  await gh.stop()
  tmp.dispose()
})

const at = (time: string): Date => new Date(`2026-03-03T${time}.000Z`)

describe('saveStage', () => {
  it('publishes the snapshot as a non-latest release with the asset and its checksum in the notes', async () => {
    const log = recordingLog()
    const { tag, release } = await saveStage({ store, releases: api, keepReleases: 3, now: at('10:20:30'), summary, log })
    expect(tag).toBe('snapshot-20260303-102030')
    expect(release.tag_name).toBe(tag)
    const published = gh.releases.find((candidate) => candidate.tag_name === tag)
    expect(published?.make_latest).toBe('false')
    const asset = published?.assets.find((candidate) => candidate.name === SNAPSHOT_ASSET_NAME)
    expect(asset).toBeDefined()
    expect(parseChecksumLine(published?.body ?? '')).toBe(sha256Hex(asset?.data ?? new Uint8Array()))
    expect(published?.body).toMatch(/owners: 1\n- repos: 1\n- packages: 1/)
  })

  it('adds -2 on a tag collision', async () => {
    await api.createRelease({ tag: 'snapshot-20260303-102030', name: 'same second', body: '' })
    const { tag } = await saveStage({ store, releases: api, keepReleases: 5, now: at('10:20:30'), summary, log: recordingLog() })
    expect(tag).toBe('snapshot-20260303-102030-2')
  })

  it('prunes snapshot releases beyond keepReleases, with their tags, and never other releases', async () => {
    await api.createRelease({ tag: 'v1.0.0', name: 'the repository’s own release', body: '' })
    const tags: string[] = []
    for (const time of ['01:00:00', '02:00:00', '03:00:00', '04:00:00']) {
      tags.push((await saveStage({ store, releases: api, keepReleases: 2, now: at(time), summary, log: recordingLog() })).tag)
    }
    expect(gh.releases.map((release) => release.tag_name).sort()).toEqual(['snapshot-20260303-030000', 'snapshot-20260303-040000', 'v1.0.0'])
    expect(gh.tags.has('snapshot-20260303-010000')).toBe(false)
    expect(gh.tags.has('v1.0.0')).toBe(true)
    expect(tags).toHaveLength(4)
  })

  it('deletes the half-made release when the upload fails, leaving the previous one', async () => {
    const first = await saveStage({ store, releases: api, keepReleases: 1, now: at('01:00:00'), summary, log: recordingLog() })
    gh.inject({ path: /^\/uploads\//, status: 404, times: 1 })
    await expect(saveStage({ store, releases: api, keepReleases: 1, now: at('02:00:00'), summary, log: recordingLog() })).rejects.toThrow()
    expect(gh.releases.map((release) => release.tag_name)).toEqual([first.tag])
    expect(gh.releases[0]?.assets).toHaveLength(1)
    // It was a draft: its tag never existed, so no watcher saw half a snapshot.
    expect(gh.tags.has('snapshot-20260303-020000')).toBe(false)
  })

  it('writes a draft and publishes it only once the asset is uploaded', async () => {
    const { release } = await saveStage({ store, releases: api, keepReleases: 1, now: at('01:00:00'), summary, log: recordingLog() })
    const writes = gh.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path.split('?')[0]}`)
    expect(writes).toEqual([
      'POST /api/repos/backage-demo/backage/releases',
      `POST /uploads/repos/backage-demo/backage/releases/${release.id}/assets`,
      `PATCH /api/repos/backage-demo/backage/releases/${release.id}`
    ])
    expect(release.draft).toBe(false)
    expect(gh.releases.map((candidate) => [candidate.draft, candidate.make_latest])).toEqual([[false, 'false']])
    expect(gh.tags.has(release.tag_name)).toBe(true)
  })

  it('deletes the draft when publishing it fails', async () => {
    // Octokit's retry plugin tries a 500 four times in all: every attempt fails.
    gh.inject({ path: /^\/api\/repos\/backage-demo\/backage\/releases\/\d+$/, status: 500, times: 4 })
    await expect(saveStage({ store, releases: api, keepReleases: 1, now: at('01:00:00'), summary, log: recordingLog() })).rejects.toThrow(/PATCH .*HTTP 500/)
    gh.clearFaults()
    expect(gh.releases).toEqual([])
  })

  it('deletes drafts left by killed runs (created before this run started), not one an overlapping run is writing', async () => {
    seedRelease(gh, 'snapshot-20260303-000000', '2026-03-03T00:00:00Z', { draft: true })
    seedRelease(gh, 'snapshot-20260303-045000', '2026-03-03T04:50:00Z', { draft: true })
    const log = recordingLog()
    const runStartedAt = at('04:45:00')
    const { tag } = await saveStage({ store, releases: api, keepReleases: 3, now: at('05:00:00'), runStartedAt, summary, log })
    expect(gh.releases.map((release) => release.tag_name).sort()).toEqual(['snapshot-20260303-045000', tag])
    expect(log.at('info')).toContain('deleted draft release left by an interrupted run snapshot-20260303-000000')
  })

  it('prunes by created_at, not by tag: a snapshot tagged 2099 but created first goes first', async () => {
    seedRelease(gh, 'snapshot-20991231-000000', '2026-03-01T00:00:00Z')
    seedRelease(gh, 'snapshot-20260302-000000', '2026-03-02T00:00:00Z')
    const { tag } = await saveStage({ store, releases: api, keepReleases: 2, now: at('05:00:00'), summary, log: recordingLog() })
    expect(gh.releases.map((release) => release.tag_name).sort()).toEqual(['snapshot-20260302-000000', tag])
  })

  it('never prunes the snapshot this run restored from', async () => {
    seedRelease(gh, 'snapshot-20260301-000000', '2026-03-01T00:00:00Z')
    seedRelease(gh, 'snapshot-20260302-000000', '2026-03-02T00:00:00Z')
    const { tag } = await saveStage({
      store,
      releases: api,
      keepReleases: 1,
      now: at('05:00:00'),
      summary,
      restoredFrom: 'snapshot-20260301-000000',
      log: recordingLog()
    })
    expect(gh.releases.map((release) => release.tag_name).sort()).toEqual(['snapshot-20260301-000000', tag])
  })

  it('defers pruning to a later run when the API budget is down to its reserve', async () => {
    const limited = await FakeGitHub.start({ scenario: sampleScenario(), rateLimit: { rest: 70 } })
    try {
      const { api: limitedApi, budget } = fakeGitHubApi(limited, { reserve: { rest: 50, graphql: 50 } })
      for (let day = 1; day <= 30; day++) {
        seedRelease(limited, `snapshot-202601${String(day).padStart(2, '0')}-000000`, `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`)
      }
      const log = recordingLog()
      const { tag } = await saveStage({ store, releases: limitedApi, keepReleases: 3, now: at('05:00:00'), summary, log })
      // The snapshot itself is out; the reserve (50 of 70) was not spent on pruning.
      expect(limited.releases.some((release) => release.tag_name === tag)).toBe(true)
      expect(budget.stats().rateLimit.rest?.remaining).toBeGreaterThanOrEqual(50)
      const left = limited.releases.length
      expect(left).toBeGreaterThan(3)
      expect(left).toBeLessThan(31)
      expect(log.at('notice')).toEqual([expect.stringMatching(/^API budget down to its reserve: deleting \d+ old or draft snapshot releases is left to a later run$/)])
      // The oldest went first; the newest two seeded ones are kept whatever happens.
      expect(limited.releases.some((release) => release.tag_name === 'snapshot-20260101-000000')).toBe(false)
      expect(limited.releases.some((release) => release.tag_name === 'snapshot-20260130-000000')).toBe(true)
    } finally {
      await limited.stop()
    }
  })

  it('saves to the cache too, when there is one', async () => {
    const cache = folderCache(path.join(tmp.dir, 'cache'), () => '2026-03-03T05:00:00.000Z')
    await saveStage({ store, releases: api, keepReleases: 1, now: at('05:00:00'), summary, cache, log: recordingLog() })
    expect(cache.saved).toBe(1)
  })

  it('the Actions cache without its service is a debug line, not an error', async () => {
    const saved = { cache: process.env.ACTIONS_CACHE_URL, results: process.env.ACTIONS_RESULTS_URL }
    delete process.env.ACTIONS_CACHE_URL
    delete process.env.ACTIONS_RESULTS_URL
    try {
      const log = recordingLog()
      const cache = createActionsCache({ runId: '1', log, dir: path.join(tmp.dir, 'actions-cache') })
      await saveStage({ store, releases: api, keepReleases: 1, now: at('06:00:00'), summary, cache, log })
      expect(await cache.restore(path.join(tmp.dir, 'x.db'))).toBeNull()
      expect(log.at('debug').some((line) => line.includes('cache service not available'))).toBe(true)
      expect([...log.at('warning'), ...log.at('error')]).toEqual([])
    } finally {
      if (saved.cache !== undefined) process.env.ACTIONS_CACHE_URL = saved.cache
      if (saved.results !== undefined) process.env.ACTIONS_RESULTS_URL = saved.results
    }
  })
})
