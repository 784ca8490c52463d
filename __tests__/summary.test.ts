import { describe, expect, it } from '@jest/globals'
import { bounded, renderSummary, SUMMARY_MAX_BYTES } from '../src/summary.js'
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
      complete: true,
      stopReason: null
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
    shardArtifact: '',
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

  it('lists at most 50 problems, failed owners and owners, then a count of the rest', () => {
    const problems = Array.from({ length: 100_000 }, (_, i) => `owners.txt:${i + 1}: "bad login!" is not a GitHub login`)
    const failed = Array.from({ length: 70 }, (_, i) => ({ login: `gone-${i}`, error: 'HTTP 500' }))
    const owners = Array.from({ length: 60 }, (_, i) => ({ login: `o-${i}`, packages: 1, downloads: 1000 - i }))
    const base = result()
    const md = renderSummary(
      result({ ownerFileProblems: problems, refresh: { ...base.refresh, failedOwners: failed, owners } }),
      settings
    )
    expect(md.match(/^- owners\.txt:/gm)).toHaveLength(50)
    expect(md).toContain('- owners.txt:50: ')
    expect(md).not.toContain('- owners.txt:51: ')
    expect(md).toContain('… and 99950 more (the first 50 are listed)')
    expect(md.match(/^\| gone-/gm)).toHaveLength(50)
    expect(md).toContain('… and 20 more (the first 50 are listed)')
    expect(md.match(/^\| o-/gm)).toHaveLength(50)
    expect(md).toContain('… and 10 more (the first 50 are listed)')
    expect(Buffer.byteLength(md)).toBeLessThan(30_000)
  })

  it('cuts each item to one bounded line and the whole under 1 MiB', () => {
    const huge = 'x'.repeat(5_000_000)
    const base = result()
    const failed = Array.from({ length: 50 }, (_, i) => ({ login: `gone-${i}`, error: `${huge}\n| injected |` }))
    const md = renderSummary(result({ errors: [huge], refresh: { ...base.refresh, failedOwners: failed } }), settings)
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024)
    expect(md).toContain(`- ${'x'.repeat(1000)}…\n`)
    expect(md).not.toContain('| injected |')
  })

  it('cuts a summary over 1 MiB at a line, saying so', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'é'.repeat(20)}`).join('\n')
    const cut = bounded(lines)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES + 100)
    expect(Buffer.byteLength(cut)).toBeLessThan(1024 * 1024)
    expect(cut.endsWith('… (the summary is cut here: GitHub shows at most 1 MiB)\n')).toBe(true)
    expect(cut).not.toContain('\uFFFD')
    expect(bounded('small\n')).toBe('small\n')
  })
})
