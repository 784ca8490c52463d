/** Builders of store inputs for the store tests (not a test file itself). */
import { mkdtempSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { PackageRef, PackageRefresh, VersionObservation } from '../../src/types.js'

export function tmpDir(prefix = 'backage-store-'): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

export const alpine: PackageRef = { ownerType: 'orgs', owner: 'acme', type: 'container', name: 'tools/alpine', repo: 'images' }

export function version(id: number, downloads: number, tags: string[] = [], extra: Partial<VersionObservation> = {}): VersionObservation {
  return { id, name: `sha256:${String(id).padStart(64, '0')}`, tags, downloads, ...extra }
}

export function refresh(overrides: Partial<PackageRefresh> = {}): PackageRefresh {
  const day = overrides.day ?? '2026-03-01'
  return {
    ref: alpine,
    ownerId: 42,
    day,
    at: `${day}T10:00:00.000Z`,
    downloads: 1000,
    windows: { day: 10, week: 70, month: 300 },
    lastPublished: '2026-02-20T08:00:00.000Z',
    versions: [version(1, 600, ['1.0']), version(2, 400, ['latest', '2.0'])],
    versionsComplete: true,
    versionCount: 2,
    versionsCursor: 0,
    versionsPassStartedAt: null,
    versionsPassComplete: false,
    problems: [],
    ...overrides
  }
}
