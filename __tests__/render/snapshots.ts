/** Small builders of store snapshots for the render tests. */
import type { PackageSnapshot, VersionSnapshot } from '../../src/types.js'

export function version(id: number, overrides: Partial<VersionSnapshot> = {}): VersionSnapshot {
  return {
    id,
    name: `1.0.${id}`,
    date: '2026-10-01',
    size: -1,
    downloads: id * 10,
    downloadsMonth: -1,
    downloadsWeek: -1,
    downloadsDay: -1,
    tags: [],
    ...overrides
  }
}

export function snapshot(overrides: Partial<PackageSnapshot> = {}): PackageSnapshot {
  return {
    ownerType: 'orgs',
    type: 'container',
    ownerId: 42,
    owner: 'acme',
    repo: 'tools',
    name: 'cli',
    date: '2026-10-02',
    downloads: 4181,
    downloadsMonth: 1500000,
    downloadsWeek: 999950,
    downloadsDay: 999,
    versions: [version(3, { tags: ['latest'] }), version(1)],
    stale: {},
    ...overrides
  }
}

/** The site's files (SPEC 11) are the same in every index: tests of the data files set them aside. */
export const notSite = (path: string): boolean => path !== 'index.html' && !path.startsWith('site.assets/')
