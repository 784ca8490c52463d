import { describe, expect, it } from '@jest/globals'
import { renderSummary } from '../src/summary.js'
import { loadSettings } from '../src/settings.js'
import type { RunResult } from '../src/pipeline/run.js'

const settings = loadSettings(() => '', { GITHUB_REPOSITORY: 'octo/backage', GITHUB_SERVER_URL: 'http://127.0.0.1:9' })
const ref = { ownerType: 'orgs' as const, owner: 'acme', type: 'npm' as const, name: 'widgets', repo: 'widgets' }

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    ownersRefreshed: 2,
    packagesRefreshed: 5,
    refresh: {
      owners: [
        { login: 'small', packages: 1, downloads: 10 },
        { login: 'acme', packages: 4, downloads: 4181 }
      ],
      refreshed: [ref],
      stale: [{ ref, page: 'http://127.0.0.1:9/orgs/acme/packages/npm/package/widgets', marker: 'Total downloads' }],
      failedOwners: [{ login: 'gone', error: 'HTTP 500' }],
      retired: { owners: [], packages: [] },
      complete: true
    },
    indexCommit: '0123456789abcdef0123456789abcdef01234567',
    indexChanged: true,
    indexDir: null,
    releaseTag: 'snapshot-20261122-101500',
    complete: true,
    stopReason: null,
    counts: { owners: 3, repos: 4, packages: 6 },
    restoredFrom: 'release snapshot-20261121-101500',
    requests: { page: 20, rest: 3, graphql: 2, registry: 4, upload: 1 },
    rateLimit: { rest: { remaining: 990, limit: 1000 }, graphql: undefined },
    timings: [
      { stage: 'restore', ms: 1200 },
      { stage: 'refresh', ms: 65_000 }
    ],
    errors: [],
    badges: [],
    ownerFileProblems: ['owners.txt:3: "bad login!" is not a GitHub login (expected login or id/login)'],
    ...overrides
  }
}

describe('renderSummary', () => {
  it('tells what the run did, with links, tables, requests, limits and stage times', () => {
    const md = renderSummary(result(), settings)
    expect(md).toContain('Run complete: 2 owners and 5 packages refreshed, 1 stale.')
    expect(md).toContain('restored from: release snapshot-20261121-101500')
    expect(md).toContain('[index branch](http://127.0.0.1:9/octo/backage/tree/index) at `0123456789ab`')
    expect(md).toContain('[snapshot release snapshot-20261122-101500](http://127.0.0.1:9/octo/backage/releases/tag/snapshot-20261122-101500)')
    // owners by downloads, most first
    expect(md.indexOf('| acme | 4 | 4181 |')).toBeLessThan(md.indexOf('| small | 1 | 10 |'))
    expect(md).toContain('| acme/npm/widgets | http://127.0.0.1:9/orgs/acme/packages/npm/package/widgets | Total downloads |')
    expect(md).toContain('| gone | HTTP 500 |')
    expect(md).toContain('- owners.txt:3: "bad login!" is not a GitHub login')
    expect(md).toContain('page 20, rest 3, graphql 2, registry 4, upload 1')
    expect(md).toContain('rest 990/1000')
    expect(md).toContain('restore 1.2 s, refresh 65.0 s')
  })

  it('says why a run stopped early', () => {
    const md = renderSummary(result({ complete: false, stopReason: 'time budget of 240 min (max-duration) reached' }), settings)
    expect(md).toContain('Run stopped early (time budget of 240 min (max-duration) reached)')
  })
})
