import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { zstdCompressSync } from 'node:zlib'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import type { GitHubApi } from '../../src/github/octokit.js'
import { RestoreFailed, restoreStage } from '../../src/pipeline/restore.js'
import { saveStage, type SaveSummary } from '../../src/pipeline/save.js'
import { SNAPSHOT_ASSET_NAME, checksumLine, sha256Hex } from '../../src/store/snapshot.js'
import { LATEST_SCHEMA_VERSION } from '../../src/store/schema.js'
import type { FakeRelease } from '../../test-support/fake-github/server.js'
import { DatabaseSync } from 'node:sqlite'
import { readFileSync } from 'node:fs'
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

/** The fake's stored release of `tag`. */
function stored(tag: string): FakeRelease {
  const release = gh.releases.find((candidate) => candidate.tag_name === tag)
  if (release === undefined) throw new Error(`no release ${tag}`)
  return release
}

/** What the fake holds, to show that a failed restore deleted nothing. */
const inventory = (): string[] => gh.releases.map((release) => `${release.id} ${release.tag_name} ${release.assets.length}`)

describe('restoreStage', () => {
  it('starts empty on the first run (no snapshot release; other releases ignored, lookalikes with a notice)', async () => {
    await api.createRelease({ tag: 'v1.0.0', name: 'own release', body: checksumLine('a'.repeat(64)) })
    await api.createRelease({ tag: 'snapshot-1.2', name: 'a Java snapshot', body: '' })
    const dbPath = path.join(tmp.dir, 'run.db')
    writeFileSync(dbPath, 'left over from an earlier local run')
    const log = recordingLog()
    expect(await restoreStage({ releases: api, dbPath, log })).toEqual({ source: 'empty', skipped: [] })
    expect(existsSync(dbPath)).toBe(false)
    expect(log.at('warning')).toEqual([])
    expect(log.at('notice')).toEqual([
      'releases that are not database snapshots, ignored: snapshot-1.2 (its tag is not of the form snapshot-YYYYMMDD-HHMMSS)'
    ])

    // Many lookalikes make one notice naming ten of them.
    for (let minor = 3; minor <= 14; minor++) await api.createRelease({ tag: `snapshot-1.${minor}`, name: 'Java', body: '' })
    const many = recordingLog()
    await restoreStage({ releases: api, dbPath, log: many })
    expect(many.at('notice')).toHaveLength(1)
    expect(many.at('notice')[0]).toMatch(/^releases that are not database snapshots, ignored: (snapshot-1\.\d+ \([^)]*\), ){9}snapshot-1\.\d+ \([^)]*\) and 3 more$/)
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
    const damaged = stored(newer.tag).assets[0]
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
    const release = stored(newer.tag)
    const asset = release.assets[0]
    if (asset === undefined) throw new Error('no release to damage')
    asset.data = new Uint8Array(zstdCompressSync(Buffer.from('SQLite format 3\0 but nothing after it'.repeat(200))))
    release.body = `damaged\n${checksumLine(sha256Hex(asset.data))}\n`

    const result = await restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), log: recordingLog() })
    expect(result.release).toBe(older.tag)
    expect(result.skipped).toEqual([{ tag: newer.tag, reason: expect.stringContaining('integrity') }])
  })

  it('fails closed, naming each release, when storage answers 200 with an HTML page for every snapshot', async () => {
    const older = await publish('older', 2, '01:00:00')
    const newer = await publish('newer', 5, '02:00:00')
    for (const release of gh.releases) for (const asset of release.assets) asset.storageFault = 'html-200'
    const before = inventory()
    const dbPath = path.join(tmp.dir, 'run.db')
    writeFileSync(dbPath, 'previous file')

    const failure = await restoreStage({ releases: api, dbPath, log: recordingLog() }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(RestoreFailed)
    const message = (failure as Error).message
    expect(message).toContain(`release ${newer.tag}: corrupt snapshot (checksum)`)
    expect(message).toContain(`release ${older.tag}: corrupt snapshot (checksum)`)
    expect(message).toContain('delete these releases')
    expect(inventory()).toEqual(before)
    expect(readFileSync(dbPath, 'utf8')).toBe('previous file')
  })

  it('fails closed when the release list cannot be read', async () => {
    await publish('only', 2, '01:00:00')
    gh.inject({ path: /^\/api\/repos\/[^/]+\/[^/]+\/releases\?/, status: 500 })
    await expect(restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), log: recordingLog() })).rejects.toThrow(
      /release list could not be read \(GET .*HTTP 500/
    )
  })

  it('fails closed without trying older snapshots when the newest cannot be downloaded', async () => {
    const older = await publish('older', 2, '01:00:00')
    const newer = await publish('newer', 5, '02:00:00')
    const asset = stored(newer.tag).assets[0]
    gh.inject({ path: new RegExp(`^/storage/releases/\\d+/${asset?.id}/`), status: 500 })
    const failure = await restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), log: recordingLog() }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(RestoreFailed)
    expect((failure as Error).message).toContain(`release ${newer.tag}: downloading ${SNAPSHOT_ASSET_NAME} failed`)
    expect((failure as Error).message).not.toContain(older.tag)
    // Octokit retries the 500 (four attempts in all), always at the newest asset, never an older one.
    const downloads = gh.requests.filter((request) => request.kind === 'download')
    expect(downloads).toHaveLength(4)
    expect(new Set(downloads.map((request) => request.path))).toEqual(new Set([expect.stringContaining(`/${asset?.id}/`)]))
  })

  it('fails closed on a snapshot written by a newer version of the action', async () => {
    await publish('older', 2, '01:00:00')
    const newer = await publish('newer', 5, '02:00:00')
    const file = path.join(tmp.dir, 'future.db')
    storeWithHistory(file, 1).close()
    const db = new DatabaseSync(file)
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(LATEST_SCHEMA_VERSION + 1)
    db.close()
    const release = stored(newer.tag)
    const asset = release.assets[0]
    if (asset === undefined) throw new Error('no asset')
    asset.data = new Uint8Array(zstdCompressSync(readFileSync(file)))
    release.body = checksumLine(sha256Hex(asset.data))
    await expect(restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), log: recordingLog() })).rejects.toThrow(
      new RegExp(`release ${newer.tag}: its database schema version ${LATEST_SCHEMA_VERSION + 1} is newer`)
    )
  })

  it('orders snapshots by created_at, not by tag (a tag from 2099 is not the newest); ties go to the higher id', async () => {
    const genuine = await publish('genuine', 5, '02:00:00')
    const skewed = await publish('skewed', 2, '01:00:00')
    const future = stored(skewed.tag)
    // Re-tag the older database as a far-future snapshot, created before the genuine one.
    future.tag_name = 'snapshot-20991231-000000'
    future.created_at = '2026-01-01T00:00:00Z'
    stored(genuine.tag).created_at = '2026-02-01T00:00:00Z'
    const dbPath = path.join(tmp.dir, 'run.db')
    expect(await restoreStage({ releases: api, dbPath, log: recordingLog() })).toMatchObject({ release: genuine.tag })
    expect(downloadsIn(dbPath)).toBe(genuine.downloads)

    // Same created_at: the higher release id (created later) wins.
    future.created_at = '2026-02-01T00:00:00Z'
    const higher = [future, stored(genuine.tag)].sort((a, b) => b.id - a.id)[0]
    expect(await restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'tie.db'), log: recordingLog() })).toMatchObject({
      release: higher?.tag_name
    })
  })

  it('ignores drafts and snapshot-tagged releases without the asset (starting empty when only those exist)', async () => {
    const draft = await api.createRelease({ tag: 'snapshot-20260310-010000', name: 'draft', body: checksumLine('b'.repeat(64)), draft: true })
    await api.uploadAsset(draft, SNAPSHOT_ASSET_NAME, new Uint8Array([1, 2, 3]), 'application/zstd')
    await api.createRelease({ tag: 'snapshot-20260310-020000', name: 'no asset', body: checksumLine('c'.repeat(64)) })
    const log = recordingLog()
    expect(await restoreStage({ releases: api, dbPath: path.join(tmp.dir, 'run.db'), log })).toEqual({ source: 'empty', skipped: [] })
    expect(log.at('notice')).toEqual([
      `releases that are not database snapshots, ignored: snapshot-20260310-020000 (it carries no ${SNAPSHOT_ASSET_NAME} asset)`
    ])
    expect(gh.requests.filter((request) => request.kind === 'download')).toEqual([])
  })

  it('uses the cache when it is not older than the newest snapshot release (by created_at)', async () => {
    const released = await publish('released', 2, '01:00:00')
    stored(released.tag).created_at = '2026-03-10T01:00:00Z'
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
    stored(released.tag).created_at = '2026-03-10T01:00:00Z'
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
