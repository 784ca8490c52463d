import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { zstdCompressSync } from 'node:zlib'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import type { GitHubApi } from '../../src/github/octokit.js'
import { restoreStage } from '../../src/pipeline/restore.js'
import { saveStage, type SaveSummary } from '../../src/pipeline/save.js'
import { checksumLine, sha256Hex } from '../../src/store/snapshot.js'
import { Store } from '../../src/store/store.js'
import { tmpDir } from '../store/refresh-builder.js'
import { folderCache, recordingLog, startGitHub, storeWithHistory } from '../store/loop-support.js'

let gh: FakeGitHub
let api: GitHubApi
let tmp: ReturnType<typeof tmpDir>

const summary: SaveSummary = { owners: 1, repos: 1, packages: 1, refreshed: 1, stale: 0, complete: true }

beforeEach(async () => {
  ;({ gh, api } = await startGitHub())
  tmp = tmpDir('backage-restore-test-')
})

afterEach(async () => {
  await gh.stop()
  tmp.dispose()
})

/** Publishes a database with `days` days of history as a snapshot release taken at `time`. */
async function publish(name: string, days: number, time: string): Promise<{ tag: string; downloads: number }> {
  const store = storeWithHistory(path.join(tmp.dir, `${name}.db`), days)
  try {
    const { tag } = await saveStage({ store, releases: api, keepReleases: 10, now: new Date(`2026-03-10T${time}Z`), summary, log: recordingLog() })
    return { tag, downloads: store.snapshots()[0]?.downloads ?? -1 }
  } finally {
    store.close()
  }
}

function downloadsIn(dbPath: string): number | undefined {
  const store = Store.open(dbPath)
  try {
    return store.snapshots()[0]?.downloads
  } finally {
    store.close()
  }
}

describe('restoreStage', () => {
  it('starts empty on the first run (no snapshot release; other releases ignored)', async () => {
    await api.createRelease({ tag: 'v1.0.0', name: 'own release', body: checksumLine('a'.repeat(64)) })
    const dbPath = path.join(tmp.dir, 'run.db')
    writeFileSync(dbPath, 'left over from an earlier local run')
    const log = recordingLog()
    expect(await restoreStage({ releases: api, dbPath, log })).toEqual({ source: 'empty', skipped: [] })
    expect(existsSync(dbPath)).toBe(false)
    expect(log.at('warning')).toEqual([])
  })

  it('round-trips: the newest snapshot release comes back with the same read model', async () => {
    const source = storeWithHistory(path.join(tmp.dir, 'source.db'), 4)
    const { tag } = await saveStage({ store: source, releases: api, keepReleases: 3, now: new Date('2026-03-10T01:00:00Z'), summary, log: recordingLog() })
    const dbPath = path.join(tmp.dir, 'run.db')
    const result = await restoreStage({ releases: api, dbPath, log: recordingLog() })
    expect(result).toEqual({ source: 'release', release: tag, skipped: [] })
    const restored = Store.open(dbPath)
    try {
      expect(restored.snapshots()).toEqual(source.snapshots())
      expect(restored.listPackages()).toEqual(source.listPackages())
    } finally {
      restored.close()
      source.close()
    }
  })

  it('falls back to the previous release when the newest asset is corrupt, with a warning', async () => {
    const older = await publish('older', 2, '01:00:00')
    const newer = await publish('newer', 5, '02:00:00')
    // Damage the newest asset in storage: its bytes no longer match the checksum of the notes.
    const damaged = gh.releases.find((release) => release.tag_name === newer.tag)?.assets[0]
    if (damaged === undefined) throw new Error('no asset to damage')
    damaged.data = new Uint8Array(damaged.data.byteLength).fill(7)

    const log = recordingLog()
    const dbPath = path.join(tmp.dir, 'run.db')
    const result = await restoreStage({ releases: api, dbPath, log })
    expect(result.source).toBe('release')
    expect(result.release).toBe(older.tag)
    expect(result.skipped).toEqual([{ tag: newer.tag, reason: expect.stringContaining('checksum') }])
    expect(log.at('warning').some((line) => line.includes(newer.tag))).toBe(true)
    expect(downloadsIn(dbPath)).toBe(older.downloads)
  })

  it('skips a snapshot that matches its checksum but fails the integrity check', async () => {
    const older = await publish('older', 2, '01:00:00')
    const newer = await publish('newer', 5, '02:00:00')
    const release = gh.releases.find((candidate) => candidate.tag_name === newer.tag)
    const asset = release?.assets[0]
    if (release === undefined || asset === undefined) throw new Error('no release to damage')
    asset.data = new Uint8Array(zstdCompressSync(Buffer.from('SQLite format 3\0 but nothing after it'.repeat(200))))
    release.body = `damaged\n${checksumLine(sha256Hex(asset.data))}\n`

    const result = await restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), log: recordingLog() })
    expect(result.release).toBe(older.tag)
    expect(result.skipped).toEqual([{ tag: newer.tag, reason: expect.stringContaining('integrity') }])
  })

  it('starts empty, with a warning, when every snapshot is unusable', async () => {
    const only = await publish('only', 2, '01:00:00')
    const release = gh.releases.find((candidate) => candidate.tag_name === only.tag)
    if (release === undefined) throw new Error('no release')
    release.body = 'notes without a checksum'
    const log = recordingLog()
    const result = await restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), log })
    expect(result).toEqual({ source: 'empty', skipped: [{ tag: only.tag, reason: expect.stringContaining('sha256') }] })
    expect(log.at('warning').some((line) => line.includes('empty database'))).toBe(true)
  })

  it('uses the cache when it is not older than the newest snapshot release', async () => {
    const released = await publish('released', 2, '01:00:00')
    const cached = storeWithHistory(path.join(tmp.dir, 'cached.db'), 6, 5000)
    const cachedDownloads = cached.snapshots()[0]?.downloads
    cached.checkpoint()
    const cacheDir = path.join(tmp.dir, 'cache')
    const newerCache = folderCache(cacheDir, () => '2026-03-10T01:00:05.000Z')
    await newerCache.save(path.join(tmp.dir, 'cached.db'))
    cached.close()

    const dbPath = path.join(tmp.dir, 'run.db')
    expect(await restoreStage({ releases: api, dbPath, cache: newerCache, log: recordingLog() })).toEqual({ source: 'cache', skipped: [] })
    expect(downloadsIn(dbPath)).toBe(cachedDownloads)

    // The same cache entry, older than the release: the release wins.
    const olderCache = folderCache(cacheDir, () => '2026-03-10T00:59:59.000Z')
    await olderCache.save(path.join(tmp.dir, 'cached.db'))
    const secondPath = path.join(tmp.dir, 'run2.db')
    expect(await restoreStage({ releases: api, dbPath: secondPath, cache: olderCache, log: recordingLog() })).toEqual({
      source: 'release',
      release: released.tag,
      skipped: []
    })
    expect(downloadsIn(secondPath)).toBe(released.downloads)
  })

  it('passes over a damaged cache with a warning', async () => {
    const released = await publish('released', 2, '01:00:00')
    const cacheDir = path.join(tmp.dir, 'cache')
    const junk = path.join(tmp.dir, 'junk.db')
    writeFileSync(junk, 'not a database at all, just some bytes '.repeat(300))
    const cache = folderCache(cacheDir, () => '2026-03-11T00:00:00.000Z')
    await cache.save(junk)
    const log = recordingLog()
    const result = await restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), cache, log })
    expect(result).toEqual({ source: 'release', release: released.tag, skipped: [] })
    expect(log.at('warning').some((line) => line.startsWith('cached database skipped'))).toBe(true)
  })
})
