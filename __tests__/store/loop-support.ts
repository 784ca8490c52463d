/** Shared setup of the restore and save stage tests: the fake GitHub, the real API client, a log. */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { FakeGitHub, type FakeRelease } from '../../test-support/fake-github/server.js'
import { SNAPSHOT_ASSET_NAME, checksumLine, sha256Hex } from '../../src/store/snapshot.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import type { GitHubApi } from '../../src/github/octokit.js'
import { fakeGitHubApi } from '../../test-support/github-api.js'
import type { Log } from '../../src/log.js'
import type { SnapshotCache } from '../../src/store/cache.js'
import { Store } from '../../src/store/store.js'
import type { PackageRefresh } from '../../src/types.js'

export interface RecordingLog extends Log {
  lines: { level: string; message: string }[]
  at(level: string): string[]
}

export function recordingLog(): RecordingLog {
  const lines: { level: string; message: string }[] = []
  const add = (level: string) => (message: string) => void lines.push({ level, message })
  return {
    lines,
    at: (level) => lines.filter((line) => line.level === level).map((line) => line.message),
    debug: add('debug'),
    info: add('info'),
    notice: add('notice'),
    warning: add('warning'),
    error: add('error')
  }
}

export async function startGitHub(): Promise<{ gh: FakeGitHub; api: GitHubApi }> {
  const gh = await FakeGitHub.start({ scenario: sampleScenario() })
  return { gh, api: fakeGitHubApi(gh).api }
}

/** A store with one package observed on `days` consecutive days of March 2026. */
export function storeWithHistory(file: string, days: number, downloadsBase = 1000): Store {
  const store = Store.open(file)
  for (let day = 1; day <= days; day++) {
    const date = `2026-03-${String(day).padStart(2, '0')}`
    const refresh: PackageRefresh = {
      ref: { ownerType: 'orgs', owner: 'acme', type: 'npm', name: 'kit', repo: 'web' },
      ownerId: 42,
      day: date,
      at: `${date}T12:00:00.000Z`,
      downloads: downloadsBase + day,
      windows: { day: 1, week: 7, month: 30 },
      lastPublished: null,
      versions: [{ id: 1, name: '1.0.0', tags: ['latest'], downloads: downloadsBase + day }],
      versionsComplete: true,
      versionCount: 1,
      versionsCursor: 0,
      versionsPassStartedAt: null,
      versionsPassComplete: false,
      problems: []
    }
    store.savePackageRefresh(refresh, day)
  }
  return store
}

/** A SnapshotCache over a folder: what @actions/cache does, without the cache service. */
export function folderCache(dir: string, savedAt: () => string): SnapshotCache & { saved: number } {
  const file = path.join(dir, 'backage.db')
  const stamp = path.join(dir, 'saved-at.txt')
  const cache = {
    saved: 0,
    async restore(dbPath: string) {
      if (!existsSync(file)) return null
      copyFileSync(file, dbPath)
      return { savedAt: readFileSync(stamp, 'utf8') }
    },
    async save(dbPath: string) {
      mkdirSync(dir, { recursive: true })
      copyFileSync(dbPath, file)
      writeFileSync(stamp, savedAt())
      cache.saved++
    }
  }
  return cache
}

let seeded = 0

/**
 * Puts a snapshot-looking release straight into the fake's store (no API call, no budget spent):
 * for pruning and ordering tests that need many releases or a chosen `created_at`.
 */
export function seedRelease(gh: FakeGitHub, tag: string, createdAt: string, options: { draft?: boolean } = {}): FakeRelease {
  seeded++
  const release: FakeRelease = {
    id: 1_000_000 + seeded,
    tag_name: tag,
    name: tag,
    body: checksumLine(sha256Hex(new Uint8Array([seeded % 256]))),
    make_latest: 'false',
    target_commitish: 'main',
    draft: options.draft === true,
    prerelease: false,
    created_at: createdAt,
    assets: [
      {
        id: 4_000_000 + seeded,
        name: SNAPSHOT_ASSET_NAME,
        label: '',
        content_type: 'application/zstd',
        data: new Uint8Array([seeded % 256]),
        created_at: createdAt
      }
    ]
  }
  gh.releases.push(release)
  return release
}
