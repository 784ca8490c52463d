/**
 * The bundled action (dist/index.js) end to end: a child process against the fake GitHub and a real
 * bare git remote, like a scheduled workflow on a fresh runner each time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { FakeGitHub, type FakeLayout } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { branchExists, commitCount, createSandbox, git, readBranch, runAction, type Sandbox } from '../../test-support/e2e.js'
import type { ScenarioOwner, ScenarioPackage } from '../../test-support/scenario.js'

type Json = Record<string, unknown>

const today = (): string => new Date().toISOString().slice(0, 10)

function findPackage(gh: FakeGitHub, owner: string, name: string): { owner: ScenarioOwner; pkg: ScenarioPackage } {
  const o = gh.scenario.owners.find((candidate) => candidate.login === owner)
  const pkg = o?.packages.find((candidate) => candidate.name === name)
  if (!o || !pkg) throw new Error(`no ${owner}/${name} in the scenario`)
  return { owner: o, pkg }
}

function windows(pkg: ScenarioPackage): { day: number; week: number; month: number } {
  const counts = pkg.daily.map((d) => d.count)
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
  return { day: counts[counts.length - 1] ?? -1, week: sum(counts.slice(-7)), month: sum(counts) }
}

function json(files: Map<string, string>, name: string): Json {
  const content = files.get(name)
  if (content === undefined) throw new Error(`${name} is not on the index branch; it has ${[...files.keys()].slice(0, 20).join(', ')}`)
  expect(content.endsWith('\n')).toBe(true)
  return JSON.parse(content) as Json
}

/** The public packages of the sample less the opted-out one. */
function expectedPackages(gh: FakeGitHub): ScenarioPackage[] {
  return gh.scenario.owners.flatMap((o) => o.packages.filter((p) => !p.private && p.name !== 'PixelForge.Sdk'))
}

const layouts: FakeLayout[] = ['github.com', 'enterprise']

describe.each(layouts)('the bundled action, end to end, %s layout', (layout) => {
  let gh: FakeGitHub
  let sandbox: Sandbox
  const releaseTags: string[] = []

  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario: sampleScenario(), layout })
    sandbox = createSandbox({
      'owners.txt': '# owners to index\nacme-labs\nbad login!\n',
      'optout.txt': '# not these\npixel-forge/sdk-dotnet\n'
    })
  })

  afterAll(async () => {
    await gh.stop()
    sandbox.dispose()
  })

  it('rejects bad inputs before any network call, naming the input', async () => {
    const run = await runAction({ gh, workspace: sandbox.newWorkspace(), inputs: { concurrency: '50', 'index-history': 'rebase' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('input \\"concurrency\\" is \\"50\\": expected a whole number from 1 to 10'.replace(/\\"/g, '"'))
    expect(run.stdout).toContain('input "index-history" is "rebase": expected squash or keep')
    expect(gh.requests).toHaveLength(0)
  })

  it('first run: scrapes every owner, pushes the index branch and a snapshot release', async () => {
    const workspace = sandbox.newWorkspace()
    const head = git(workspace, 'rev-parse', 'HEAD')
    const run = await runAction({ gh, workspace })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)

    const packages = expectedPackages(gh)
    expect(run.outputs).toMatchObject({ complete: 'true', stale: '0', packages: String(packages.length) })
    expect(Number(run.outputs.owners)).toBeGreaterThanOrEqual(4)
    expect(run.outputs['index-commit']).toMatch(/^[0-9a-f]{40}$/)
    expect(run.outputs['release-tag']).toMatch(/^snapshot-\d{8}-\d{6}$/)
    releaseTags.push(run.outputs['release-tag'] ?? '')

    // The workspace checkout is never touched.
    expect(git(workspace, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(workspace, 'status', '--porcelain')).toBe('')
    // owners.txt's bad line is reported with file and line.
    expect(run.stdout).toContain('owners.txt:3: "bad login!" is not a GitHub login')

    const files = readBranch(sandbox.origin, 'index')
    expect(commitCount(sandbox.origin, 'index')).toBe(1)
    expect(files.get('.nojekyll')).toBe('')
    expect(files.get('README.md')).toContain('backage-demo/backage')

    // Field by field against the scenario.
    const { pkg: widgets } = findPackage(gh, 'acme-labs', 'widgets')
    const w = json(files, 'acme-labs/widgets/widgets.json')
    expect(Object.keys(w).slice(0, 25)).toEqual([
      'owner_type', 'package_type', 'owner_id', 'owner', 'repo', 'package', 'date', 'size', 'versions', 'tagged',
      'owner_rank', 'repo_rank', 'downloads', 'downloads_month', 'downloads_week', 'downloads_day', 'raw_size',
      'raw_versions', 'raw_tagged', 'raw_owner_rank', 'raw_repo_rank', 'raw_downloads', 'raw_downloads_month',
      'raw_downloads_week', 'raw_downloads_day'
    ])
    const win = windows(widgets)
    expect(w).toMatchObject({
      owner_type: 'orgs',
      package_type: 'npm',
      owner_id: 91_000_002,
      owner: 'acme-labs',
      repo: 'widgets',
      package: 'widgets',
      date: today(),
      raw_downloads: widgets.total,
      raw_downloads_month: win.month,
      raw_downloads_week: win.week,
      raw_downloads_day: win.day,
      raw_versions: widgets.versions.length,
      raw_size: -1,
      size: '-1'
    })
    const versions = w.version as Json[]
    expect(versions.map((v) => v.id)).toEqual(widgets.versions.map((v) => v.id))
    expect(versions.map((v) => v.raw_downloads)).toEqual(widgets.versions.map((v) => v.downloads))
    expect(versions.find((v) => v.latest === true)?.tags).toEqual(['latest'])

    // A multi-platform container: size of linux/amd64 (layers only), not the attestation.
    const { pkg: server } = findPackage(gh, 'acme-labs', 'server')
    const s = json(files, 'acme-labs/server/server.json')
    const newest = server.versions[server.versions.length - 1]
    const amd64 = newest?.image?.platforms.find((p) => p.platform === 'linux/amd64')
    expect(s.raw_size).toBe(amd64?.layers.reduce((a, b) => a + b, 0))
    expect(s.raw_downloads).toBe(server.total)
    expect(s.raw_versions as number).toBeGreaterThanOrEqual(100)

    // A nested name keeps its URL form; a package without repository uses its name as folder.
    expect(json(files, 'acme-labs/tools/tools%2Fcli.json').package).toBe('tools%2Fcli')
    expect(json(files, 'acme-labs/acme_labs/acme_labs.json').repo).toBe('acme_labs')
    // XML twins.
    expect(files.get('acme-labs/widgets/widgets.xml')).toContain(`<raw_downloads>${widgets.total}</raw_downloads>`)

    // Opt-outs and private packages are absent.
    expect([...files.keys()].some((name) => name.startsWith('pixel-forge/sdk-dotnet/'))).toBe(false)
    expect([...files.keys()].some((name) => name.includes('internal-db'))).toBe(false)

    // Aggregates and root counts.
    const acme = json(files, 'acme-labs/.json') as unknown as Json[]
    expect(acme).toHaveLength(6)
    const ranks = acme.map((p) => [p.raw_downloads as number, p.raw_owner_rank as number]).sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0))
    expect(ranks.map(([, rank]) => rank)).toEqual([1, 2, 3, 4, 5, 6])
    const root = json(files, '.json')
    expect(root).toMatchObject({ raw_owners: 4, raw_packages: packages.length, date: today() })

    // The snapshot release: not latest, with the checksum of its asset.
    expect(gh.releases).toHaveLength(1)
    const release = gh.releases[0]
    expect(release?.tag_name).toBe(releaseTags[0])
    expect(release?.make_latest).toBe('false')
    expect(release?.assets.map((a) => a.name)).toEqual(['backage.db.zst'])
    expect(release?.body).toMatch(/sha256: [0-9a-f]{64}/)

    expect(run.summary).toContain('## backage')
    expect(run.summary).toContain('acme-labs')

    // Discovery reached GraphQL at GITHUB_GRAPHQL_URL, never at a GraphQL path derived from the REST base.
    expect(gh.requests.filter((r) => r.kind === 'graphql' && r.status === 200).length).toBeGreaterThan(0)
    expect(gh.requests.filter((r) => r.path.startsWith('/api/v3/graphql') || r.path.startsWith('/api/v3/api/'))).toEqual([])
    const uploads = gh.requests.filter((r) => r.kind === 'upload').map((r) => `${r.status} ${r.path.split('?')[0]?.split('/repos/')[0]}`)
    expect(uploads).toEqual([layout === 'enterprise' ? '201 /api/uploads' : '201 /uploads'])
    // The log folds each stage under a title.
    expect(run.stdout).toContain('::group::Refresh owners and packages')
    expect(run.stdout).toContain('::endgroup::')
    expect(gh.requests.filter((r) => (r.kind === 'rest' || r.kind === 'graphql') && r.status === 404 && !r.path.includes('/users/'))).toEqual([])
    // Every URL the index README prints is on this server (GITHUB_SERVER_URL/OWNER/REPO/raw/BRANCH/...).
    expect(files.get('README.md')).toContain(`${gh.serverUrl}/backage-demo/backage/raw/index/`)
    expect(files.get('README.md')).not.toContain('https://github.com')
    expect(files.get('README.md')).not.toContain('raw.githubusercontent.com')
  })

  it('second run on a fresh machine restores from the release, keeps stale numbers and squashes', async () => {
    const { pkg: widgets } = findPackage(gh, 'acme-labs', 'widgets')
    const { pkg: utils } = findPackage(gh, 'octo-dev', 'octo-utils')
    const previousUtilsTotal = utils.total
    widgets.total += 1000
    const lastWidgetVersion = widgets.versions[widgets.versions.length - 1]
    if (lastWidgetVersion) lastWidgetVersion.downloads += 1000
    utils.total += 777 // not seen: its page layout "changed"
    // Moved, so its versions are read (a quiet one would skip them, SPEC 13.1): the deep page 3 completes it.
    findPackage(gh, 'acme-labs', 'server').pkg.total += 1
    gh.inject({ path: /\/packages\/npm\/package\/octo-utils/, layoutChanged: true })
    try {
      const run = await runAction({ gh, workspace: sandbox.newWorkspace() })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(releaseTags[0] ?? 'no tag')
      expect(run.outputs.stale).toBe('1')
      expect(run.outputs.packages).toBe(String(expectedPackages(gh).length - 1))
      releaseTags.push(run.outputs['release-tag'] ?? '')

      const files = readBranch(sandbox.origin, 'index')
      expect(commitCount(sandbox.origin, 'index')).toBe(1)
      expect(json(files, 'acme-labs/widgets/widgets.json').raw_downloads).toBe(widgets.total)

      const stale = json(files, 'octo-dev/octo-utils/octo-utils.json')
      expect(stale.raw_downloads).toBe(previousUtilsTotal)
      expect(stale.stale).toEqual({ downloads: today(), downloads_month: today(), downloads_week: today(), downloads_day: today() })
      expect(Object.keys(stale).indexOf('stale')).toBe(Object.keys(stale).indexOf('version') + 1)
      expect(run.summary).toMatch(/octo-utils[^\n]*Total downloads/)

      // The 130-version container is complete after the second pass of the rotating deep page.
      expect(json(files, 'acme-labs/server/server.json').raw_versions).toBe(130)
      expect(gh.releases.map((r) => r.tag_name).filter((t) => t.startsWith('snapshot-'))).toHaveLength(2)
    } finally {
      gh.clearFaults()
    }
  })

  it('a run killed mid-way loses nothing: the last release and the index stay, the next run restores', async () => {
    const releasesBefore = gh.releases.map((r) => r.id)
    const indexBefore = git(sandbox.origin, 'rev-parse', 'refs/heads/index')
    gh.inject({ path: /\/packages\//, delayMs: 200 })
    const killed = await runAction({ gh, workspace: sandbox.newWorkspace(), kill: { when: /refresh/i, signal: 'SIGKILL' } })
    gh.clearFaults()
    expect(killed.signal).toBe('SIGKILL')
    expect(gh.releases.map((r) => r.id)).toEqual(releasesBefore)
    expect(git(sandbox.origin, 'rev-parse', 'refs/heads/index')).toBe(indexBefore)

    const next = await runAction({ gh, workspace: sandbox.newWorkspace() })
    expect(next.code).toBe(0)
    expect(next.stdout).toContain(releaseTags[1] ?? 'no tag')
    releaseTags.push(next.outputs['release-tag'] ?? '')
  })

  it('stops gracefully on SIGTERM and still saves and publishes what it did', async () => {
    gh.inject({ path: /\/packages\//, delayMs: 100 })
    const releasesBefore = gh.releases.length
    const run = await runAction({
      gh,
      workspace: sandbox.newWorkspace(),
      inputs: { 'keep-releases': '10' },
      kill: { when: /refresh/i, signal: 'SIGTERM' }
    })
    gh.clearFaults()
    expect(run.code).toBe(0)
    expect(run.outputs.complete).toBe('false')
    expect(run.outputs['release-tag']).toMatch(/^snapshot-/)
    expect(gh.releases.length).toBe(releasesBefore + 1)
    expect(branchExists(sandbox.origin, 'index')).toBe(true)
  })

  it('prunes snapshot releases beyond keep-releases', async () => {
    const run = await runAction({ gh, workspace: sandbox.newWorkspace(), inputs: { 'keep-releases': '2' } })
    expect(run.code).toBe(0)
    const snapshots = gh.releases.filter((r) => r.tag_name.startsWith('snapshot-'))
    expect(snapshots).toHaveLength(2)
    expect(snapshots.map((r) => r.tag_name)).toContain(run.outputs['release-tag'])
  })

  it('dry run writes the index to RUNNER_TEMP and pushes and releases nothing', async () => {
    const dry = createSandbox({})
    try {
      const releases = gh.releases.length
      const run = await runAction({ gh, workspace: dry.newWorkspace(), runnerTemp: dry.runnerTemp, inputs: { 'dry-run': 'true', discover: 'none' } })
      expect(run.code).toBe(0)
      expect(run.outputs['index-commit']).toBe('')
      expect(run.outputs['release-tag']).toBe('')
      expect(branchExists(dry.origin, 'index')).toBe(false)
      expect(gh.releases.length).toBe(releases)
      const file = path.join(dry.runnerTemp, 'backage-index', 'backage-demo', 'backage', 'badge-kit.json')
      expect(existsSync(file)).toBe(true)
      expect((JSON.parse(readFileSync(file, 'utf8')) as Json).owner).toBe('backage-demo')
    } finally {
      dry.dispose()
    }
  })
})
