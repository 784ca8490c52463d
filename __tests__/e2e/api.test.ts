/**
 * The static API of SPEC 10 end to end: the bundled action (dist/index.js) against the fake GitHub
 * and a real bare remote, every new file checked against the fake's scenario and the package files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { last30Days, sampleScenario } from '../../test-support/sample-scenario.js'
import { createSandbox, readBranch, runAction, type ActionRun, type Sandbox } from '../../test-support/e2e.js'
import type { ScenarioOwner, ScenarioPackage } from '../../test-support/scenario.js'
import { formatCount } from '../../src/render/format.js'
import { BADGE_FILL, readBadgeSvg } from '../../test-support/svg-badge.js'

type Json = Record<string, unknown>

const today = (): string => new Date().toISOString().slice(0, 10)
const day = (d: string, plus: number): string => new Date(Date.parse(`${d}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10)
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)

/** shields' simple-icons names of the package types. */
const LOGOS: Record<string, string> = { container: 'docker', npm: 'npm', maven: 'apachemaven', nuget: 'nuget', rubygems: 'rubygems' }
/** The instance's own owners: the repository owner and owners.txt. */
const OWN = new Set(['backage-demo', 'acme-labs'])

interface Published {
  owner: ScenarioOwner
  pkg: ScenarioPackage
  /** `OWNER/REPO/PACKAGE` as on the branch. */
  path: string
}

function published(gh: FakeGitHub, except: string[] = []): Published[] {
  return gh.scenario.owners.flatMap((owner) =>
    owner.packages
      .filter((pkg) => !pkg.private)
      .map((pkg) => ({ owner, pkg, path: `${owner.login}/${encodeURIComponent(pkg.repo ?? pkg.name)}/${encodeURIComponent(pkg.name)}` }))
      .filter((p) => !except.includes(p.path))
  )
}

function json(files: Map<string, string>, name: string): Json {
  const content = files.get(name)
  if (content === undefined) throw new Error(`${name} is not on the index branch`)
  expect(content.endsWith('\n')).toBe(true)
  return JSON.parse(content) as Json
}

/** The latest badge's message from the scenario: the newest version's first tag other than `latest`, else its name. */
function latestMessage(pkg: ScenarioPackage): string {
  const newest = pkg.versions[pkg.versions.length - 1]
  return newest?.tags.find((tag) => tag !== 'latest') ?? newest?.name ?? 'unknown'
}

describe('the static API (SPEC 10), end to end', () => {
  let gh: FakeGitHub
  let sandbox: Sandbox
  let rawBase: string
  let first: Map<string, string>
  let second: Map<string, string>
  let firstRun: ActionRun
  const times: number[] = []

  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario: sampleScenario() })
    sandbox = createSandbox({ 'owners.txt': 'acme-labs\n' })
    rawBase = `${gh.serverUrl}/backage-demo/backage/raw/index`
    times.push(Math.floor(Date.now() / 1000))
    firstRun = await runAction({ gh, workspace: sandbox.newWorkspace() })
    times.push(Math.floor(Date.now() / 1000))
    expect(firstRun.stderr).toBe('')
    expect(firstRun.code).toBe(0)
    first = readBranch(sandbox.origin, 'index')
  }, 120_000)

  afterAll(async () => {
    await gh.stop()
    sandbox.dispose()
  })

  it('draws every package badge as endpoint JSON with the package file’s numbers, and as SVG for own owners only', () => {
    for (const { owner, pkg, path } of published(gh)) {
      const file = json(first, `${path}.json`)
      const expected: Record<string, [string, string]> = {
        downloads: ['downloads', String(file.downloads)],
        month: ['downloads/month', String(file.downloads_month)],
        week: ['downloads/week', String(file.downloads_week)],
        day: ['downloads/day', String(file.downloads_day)],
        versions: ['versions', String(file.versions)],
        version: ['latest', latestMessage(pkg)]
      }
      if (pkg.type === 'container') expected.size = ['image size', String(file.size)]
      else expect(first.has(`${path}.api/badges/size.json`)).toBe(false)
      for (const [kind, [label, message]] of Object.entries(expected)) {
        const badge = json(first, `${path}.api/badges/${kind}.json`)
        expect(badge).toEqual({ schemaVersion: 1, label, message, color: 'blue', namedLogo: LOGOS[pkg.type], cacheSeconds: 3600 })
        expect(Object.keys(badge)).toEqual(['schemaVersion', 'label', 'message', 'color', 'namedLogo', 'cacheSeconds'])
        const svg = first.get(`${path}.api/badges/${kind}.svg`)
        if (!OWN.has(owner.login)) {
          expect(svg).toBeUndefined()
          continue
        }
        const drawn = readBadgeSvg(svg ?? '')
        expect(drawn.title).toBe(`${label}: ${message}`)
        expect(drawn.texts).toContain(label)
        expect(drawn.texts).toContain(message)
        expect(drawn.fills).toContain(BADGE_FILL.blue)
      }
    }
    // The widgets numbers as the scenario has them, formatted.
    const widgets = json(first, 'acme-labs/widgets/widgets.api/badges/downloads.json')
    const total = gh.scenario.owners[1]?.packages.find((p) => p.name === 'widgets')?.total ?? -1
    expect(widgets.message).toBe(formatCount(total))
  })

  it('publishes package.json, version pages and download points that agree with the package file and the chart', () => {
    for (const { owner, pkg, path } of published(gh)) {
      const file = json(first, `${path}.json`)
      const fileVersions = (file.version as Json[]).map((v) => v.id as number)
      const record = json(first, `${path}.api/package.json`)
      expect(Object.keys(record)).toEqual(['name', 'owner', 'repo', 'type', 'html_url', 'install', 'latest', 'newest', 'versions', 'tagged', 'size', 'downloads', 'date'])
      const ownerType = owner.type === 'User' ? 'users' : 'orgs'
      const chartSum = pkg.daily.reduce((sum, d) => sum + d.count, 0)
      expect(record).toMatchObject({
        name: encodeURIComponent(pkg.name),
        owner: owner.login,
        repo: encodeURIComponent(pkg.repo ?? pkg.name),
        type: pkg.type,
        html_url: `${gh.serverUrl}/${ownerType}/${owner.login}/packages/${pkg.type}/package/${encodeURIComponent(pkg.name)}`,
        versions: fileVersions.length,
        size: file.raw_size,
        downloads: {
          total: pkg.total,
          last_day: file.raw_downloads_day,
          last_week: file.raw_downloads_week,
          last_month: file.raw_downloads_month,
          last_year: chartSum,
          last_year_complete: false
        },
        date: today()
      })
      const newest = pkg.versions[pkg.versions.length - 1]
      expect(record.newest).toEqual({ id: newest?.id, name: newest?.name, tags: newest?.tags })

      // Pages chain to next: null and hold exactly the package's versions, newest first.
      const ids: number[] = []
      for (let page: number | null = 1; page !== null; ) {
        const body = json(first, `${path}.api/versions/page-${page}.json`)
        expect(body).toMatchObject({ page, page_size: 50, total: fileVersions.length })
        const rows = body.versions as Json[]
        expect(rows.length).toBeLessThanOrEqual(50)
        ids.push(...rows.map((row) => row.id as number))
        page = body.next as number | null
      }
      expect(ids).toEqual([...fileVersions].sort((a, b) => b - a))

      const end = pkg.daily[pkg.daily.length - 1]?.date ?? ''
      const points: [string, number, number][] = [
        ['last-day', file.raw_downloads_day as number, 1],
        ['last-week', file.raw_downloads_week as number, 7],
        ['last-month', file.raw_downloads_month as number, 30],
        ['last-year', chartSum, 365]
      ]
      for (const [name, downloads, days] of points) {
        expect(json(first, `${path}.api/downloads/${name}.json`)).toEqual({ downloads, start: day(end, 1 - days), end, package: path })
      }
    }
    const install = (path: string): unknown => json(first, `${path}.api/package.json`).install
    const widgets = gh.scenario.owners[1]?.packages.find((p) => p.name === 'widgets')
    expect(install('acme-labs/widgets/widgets')).toBe(`npm install @acme-labs/widgets@${widgets?.versions.at(-1)?.name}`)
    expect(install('acme-labs/server/server')).toBe(`docker pull ${new URL(gh.registryUrl).host}/acme-labs/server:latest`)
  })

  it('writes each package history from its chart and total, and sums them per owner, repository and root', () => {
    const run = today()
    const chartStart = gh.scenario.owners[0]?.packages[0]?.daily[0]?.date ?? ''
    const length = daysBetween(chartStart, run) + 1
    const seriesOf = (packages: ScenarioPackage[]): { daily: number[]; totals: number[] } => {
      const daily = new Array<number>(length).fill(-1)
      for (const pkg of packages) for (const d of pkg.daily) daily[daysBetween(chartStart, d.date)] = (Math.max(daily[daysBetween(chartStart, d.date)] ?? -1, 0)) + d.count
      const totals = new Array<number>(length).fill(-1)
      totals[length - 1] = packages.reduce((sum, p) => sum + p.total, 0)
      return { daily, totals }
    }
    for (const { owner, pkg, path } of published(gh)) {
      expect(json(first, `${path}.api/history.json`)).toEqual({
        package: encodeURIComponent(pkg.name),
        owner: owner.login,
        repo: encodeURIComponent(pkg.repo ?? pkg.name),
        type: pkg.type,
        start: chartStart,
        end: run,
        ...seriesOf([pkg])
      })
    }
    const acme = published(gh).filter((p) => p.owner.login === 'acme-labs')
    expect(json(first, 'acme-labs/~history.json')).toEqual({ owner: 'acme-labs', start: chartStart, end: run, ...seriesOf(acme.map((p) => p.pkg)) })
    expect(json(first, 'acme-labs/tools/~history.json')).toEqual({
      owner: 'acme-labs',
      repo: 'tools',
      start: chartStart,
      end: run,
      ...seriesOf(acme.filter((p) => p.pkg.repo === 'tools').map((p) => p.pkg))
    })
    const all = published(gh).map((p) => p.pkg)
    expect(json(first, '~history.json')).toEqual({ start: chartStart, end: run, ...seriesOf(all) })

    // Aggregate badges: always blue, no logo; SVG for own owners and the root only.
    const sum = acme.reduce((s, p) => s + p.pkg.total, 0)
    expect(json(first, 'acme-labs/~badges/downloads.json')).toEqual({ schemaVersion: 1, label: 'downloads', message: formatCount(sum), color: 'blue', cacheSeconds: 3600 })
    expect(json(first, 'acme-labs/~badges/packages.json')).toMatchObject({ label: 'packages', message: String(acme.length), color: 'blue' })
    expect(readBadgeSvg(first.get('acme-labs/~badges/packages.svg') ?? '').title).toBe(`packages: ${acme.length}`)
    expect(readBadgeSvg(first.get('~badges/packages.svg') ?? '').title).toBe(`packages: ${all.length}`)
    expect(first.has('octo-dev/~badges/packages.json')).toBe(true)
    expect(first.has('octo-dev/~badges/packages.svg')).toBe(false)
  })

  it('publishes the root feeds in agreement with the package files', () => {
    const packages = published(gh)
    const list = json(first, 'list.json').packageNames as string[]
    expect([...list].sort()).toEqual(packages.map((p) => p.path).sort())
    expect(list).toContain('acme-labs/tools/tools%2Fcli')
    for (const name of list) expect(first.has(`${name}.json`)).toBe(true)

    const popular = json(first, 'popular.json')
    expect(popular.total).toBe(packages.length)
    const entries = popular.packages as Json[]
    expect(entries).toHaveLength(packages.length)
    const weeks = entries.map((e) => e.downloads_week as number)
    expect(weeks).toEqual([...weeks].sort((a, b) => b - a))
    for (const entry of entries) {
      const file = json(first, `${String(entry.name)}.json`)
      expect(entry).toEqual({
        name: entry.name,
        type: file.package_type,
        downloads: file.raw_downloads,
        downloads_week: file.raw_downloads_week,
        url: `${rawBase}/${String(entry.name).replace(/%/g, '%25')}.json`
      })
    }

    const statistics = json(first, 'statistics.json')
    expect(statistics.timestamp).toBeGreaterThanOrEqual(times[0] ?? 0)
    expect(statistics.timestamp).toBeLessThanOrEqual(times[1] ?? 0)
    expect(statistics.totals).toEqual({
      owners: 4,
      repos: new Set(packages.map((p) => p.path.split('/').slice(0, 2).join('/'))).size,
      packages: packages.length,
      versions: list.reduce((sum, name) => sum + (json(first, `${name}.json`).raw_versions as number), 0),
      downloads: packages.reduce((sum, p) => sum + p.pkg.total, 0)
    })
    const root = json(first, '~history.json')
    expect(statistics).toMatchObject({ start: root.start, daily: root.daily })

    const changes = json(first, 'changes.json')
    expect(changes.since).toBe((changes.timestamp as number) - 604_800)
    const actions = changes.actions as Json[]
    expect(actions.map((a) => a.package).sort()).toEqual([...list].sort())
    for (const action of actions) {
      expect(action.type).toBe('update')
      expect(action.time).toBeGreaterThanOrEqual(times[0] ?? 0)
    }
  })

  it('lists ready-to-paste badges of the repository owner in the README and the job summary', () => {
    const json = `${rawBase}/backage-demo/backage/badge-kit.api/badges/downloads.json`
    const markdown = `![downloads](https://img.shields.io/endpoint?url=${encodeURIComponent(json)})`
    for (const text of [first.get('README.md') ?? '', firstRun.summary]) {
      expect(text).toContain(`Markdown: \`${markdown}\``)
      expect(text).toContain(`SVG: ${json.replace(/\.json$/, '.svg')}`)
      expect(text).toContain(`JSON: ${json}`)
      expect(text).not.toContain('acme-labs/widgets/widgets.api')
    }
  })

  it('second run: history is the union of both charts, stale badges turn grey, unchanged packages keep identical bytes', async () => {
    const widgets = gh.scenario.owners[1]?.packages.find((p) => p.name === 'widgets')
    const utils = gh.scenario.owners[2]?.packages.find((p) => p.name === 'octo-utils')
    if (!widgets || !utils) throw new Error('scenario changed')
    const oldChart = [...widgets.daily]
    const newEnd = day(oldChart[oldChart.length - 1]?.date ?? '', 5)
    // A later reading of a day replaces the earlier one: every bar of the new chart differs.
    widgets.daily = last30Days(newEnd).map((date, i) => ({ date, count: 1000 + i }))
    widgets.total += 100_000
    gh.inject({ path: /\/packages\/npm\/package\/octo-utils/, layoutChanged: true })
    try {
      times.push(Math.floor(Date.now() / 1000))
      const run = await runAction({ gh, workspace: sandbox.newWorkspace() })
      expect(run.code).toBe(0)
      expect(run.outputs.stale).toBe('1')
    } finally {
      gh.clearFaults()
    }
    second = readBranch(sandbox.origin, 'index')

    const start = oldChart[0]?.date ?? ''
    const history = json(second, 'acme-labs/widgets/widgets.api/history.json')
    const expectedDaily = new Array<number>(daysBetween(start, today()) + 1).fill(-1)
    for (const bar of [...oldChart, ...widgets.daily]) expectedDaily[daysBetween(start, bar.date)] = bar.count
    expect(history).toMatchObject({ start, end: today(), daily: expectedDaily })
    expect((history.totals as number[]).at(-1)).toBe(widgets.total)
    const unionSum = expectedDaily.filter((n) => n >= 0).reduce((a, b) => a + b, 0)
    expect(json(second, 'acme-labs/widgets/widgets.api/downloads/last-year.json')).toEqual({
      downloads: unionSum,
      start: day(newEnd, -364),
      end: newEnd,
      package: 'acme-labs/widgets/widgets'
    })

    // octo-utils was not understood: its download badges keep their message and turn grey.
    const before = json(first, 'octo-dev/octo-utils/octo-utils.api/badges/downloads.json')
    expect(json(second, 'octo-dev/octo-utils/octo-utils.api/badges/downloads.json')).toEqual({ ...before, color: 'lightgrey' })
    expect(json(second, 'octo-dev/octo-utils/octo-utils.api/badges/week.json').color).toBe('lightgrey')
    expect(json(second, 'octo-dev/octo-utils/octo-utils.api/badges/versions.json').color).toBe('blue')
    expect(json(second, 'octo-dev/octo-utils/octo-utils.api/package.json').stale).toEqual({
      downloads: today(),
      downloads_month: today(),
      downloads_week: today(),
      downloads_day: today()
    })

    // Owners whose data did not change keep identical bytes; only the feeds change at the root.
    const changed = [...second.keys()].filter((name) => first.get(name) !== second.get(name))
    // Packages whose data did not change (containers may gain image sizes from run to run, so these
    // are an npm and a maven package) keep every file, and so do their owner's and repo's aggregates.
    const untouched = ['backage-demo/', 'pixel-forge/engine/']
    expect(changed.filter((name) => untouched.some((prefix) => name.startsWith(prefix)))).toEqual([])
    expect(second.has('pixel-forge/engine/io.pixelforge.engine.api/history.json')).toBe(true)
    // In acme-labs, the API files of the packages other than widgets and the containers are untouched
    // (backage's own package files may change: widgets' new total moves the owner ranks).
    const steady = published(gh).filter((p) => p.owner.login === 'acme-labs' && p.pkg.type !== 'container' && p.pkg !== widgets)
    expect(steady.length).toBeGreaterThanOrEqual(3)
    expect(changed.filter((name) => steady.some((p) => name.startsWith(`${p.path}.api/`)))).toEqual([])
    expect(changed).toEqual(expect.arrayContaining(['statistics.json', 'changes.json', 'acme-labs/widgets/widgets.api/history.json']))
    expect(changed).not.toContain('list.json')

    // changes.json: widgets changed in this run, the untouched packages keep their first-run change.
    const actions = json(second, 'changes.json').actions as Json[]
    const timeOf = (name: string): number => (actions.find((a) => a.package === name)?.time as number | undefined) ?? -1
    expect(timeOf('acme-labs/widgets/widgets')).toBeGreaterThanOrEqual(times[2] ?? 0)
    expect(timeOf('pixel-forge/engine/io.pixelforge.engine')).toBeLessThanOrEqual(times[1] ?? 0)
    const order = actions.map((a) => [a.time as number, a.package as string] as const)
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)))
  }, 120_000)

  it('an opted-out package leaves as a delete action in changes.json', async () => {
    const run = await runAction({ gh, workspace: sandbox.newWorkspace({ 'optout.txt': 'octo-dev/octo-app\n' }) })
    expect(run.code).toBe(0)
    const files = readBranch(sandbox.origin, 'index')
    expect([...files.keys()].some((name) => name.startsWith('octo-dev/octo-app/'))).toBe(false)
    const actions = json(files, 'changes.json').actions as Json[]
    expect(actions.find((a) => a.package === 'octo-dev/octo-app/octo-app')).toMatchObject({ type: 'delete' })
    expect(json(files, 'list.json').packageNames).not.toContain('octo-dev/octo-app/octo-app')
  }, 120_000)
})
