/**
 * A small world of names GitHub accepts that would break a naive index tree (SPEC 6.4, 12):
 * repositories named `.gitmodules`, `.gitattributes`, `.json` and `.xml`, and a package named
 * `.json`, and one whose name is too long for a file name once encoded (281 bytes). The numbers are
 * written by hand, so tests compare against them directly.
 */
import { last30Days } from './sample-scenario.js'
import type { Scenario, ScenarioPackage } from './scenario.js'

const TODAY = '2026-11-20'

/** 141 characters (GitHub allows it), 281 bytes as `encodeURIComponent` writes it. */
export const LONG_NAME = `${'d/'.repeat(70)}x`

/** An npm package with versions of the given downloads (ids from `firstId`), 1 download a day. */
function npm(name: string, repo: string | null, firstId: number, downloads: number[]): ScenarioPackage {
  return {
    type: 'npm',
    name,
    repo,
    total: downloads.reduce((a, b) => a + b, 0),
    daily: last30Days(TODAY).map((date) => ({ date, count: 1 })),
    lastPublished: `${TODAY}T09:30:00-08:00`,
    versions: downloads.map((count, i) => ({
      id: firstId + i,
      name: `1.0.${i}`,
      tags: i === downloads.length - 1 ? ['latest'] : [],
      downloads: count
    }))
  }
}

export function hostileScenario(): Scenario {
  return {
    repository: { owner: 'dot-lab', name: 'backage' },
    today: TODAY,
    owners: [
      {
        login: 'dot-lab',
        id: 93_000_001,
        type: 'User',
        packages: [
          npm('modules-kit', '.gitmodules', 300_001, [100, 200]),
          npm('attributes-kit', '.gitattributes', 300_011, [50, 60]),
          npm('json-kit', '.json', 300_021, [1000, 2000, 3000]),
          npm('xml-kit', '.xml', 300_031, [7]),
          npm('.json', 'tools', 300_041, [40, 2]),
          npm(LONG_NAME, 'tools', 300_051, [5])
        ]
      }
    ],
    stargazers: [],
    watchers: [],
    forks: []
  }
}
