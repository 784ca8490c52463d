import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import type { GitHubApi } from '../../src/github/octokit.js'
import { saveStage, type SaveSummary } from '../../src/pipeline/save.js'
import { SNAPSHOT_ASSET_NAME, parseChecksumLine, sha256Hex } from '../../src/store/snapshot.js'
import { createActionsCache } from '../../src/store/cache.js'
import type { Store } from '../../src/store/store.js'
import { tmpDir } from '../store/refresh-builder.js'
import { folderCache, recordingLog, startGitHub, storeWithHistory } from '../store/loop-support.js'

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
