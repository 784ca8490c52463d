/** `release: false`: the Actions cache is where the database survives, and the next run restores it. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { saveToCache } from '../../src/pipeline/save.js'
import { restoreStage } from '../../src/pipeline/restore.js'
import { Store } from '../../src/store/store.js'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import type { GitHubApi } from '../../src/github/octokit.js'
import { folderCache, recordingLog, startGitHub, storeWithHistory } from '../store/loop-support.js'

describe('saveToCache', () => {
  let gh: FakeGitHub
  let api: GitHubApi
  let dir: string
  beforeAll(async () => {
    ;({ gh, api } = await startGitHub())
    dir = mkdtempSync(path.join(os.tmpdir(), 'backage-cache-only-'))
  })
  afterAll(async () => {
    await gh.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps the database between runs without any snapshot release', async () => {
    const cache = folderCache(path.join(dir, 'cache'), () => new Date().toISOString())
    const store = storeWithHistory(path.join(dir, 'run1.db'), 5)
    const before = store.snapshots()
    await saveToCache(store, cache, recordingLog())
    store.close()
    expect(cache.saved).toBe(1)
    expect(gh.releases).toHaveLength(0)

    const next = path.join(dir, 'run2', 'backage.db')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(path.dirname(next), { recursive: true })
    const restored = await restoreStage({ releases: api, dbPath: next, cache, log: recordingLog() })
    expect(restored.source).toBe('cache')
    const reopened = Store.open(next)
    expect(reopened.snapshots()).toEqual(before)
    reopened.close()
  })
})
