import { describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import { cliSettings, HELP, main, parseCli, UsageError } from '../src/cli.js'
import { FakeGitHub } from '../test-support/fake-github/server.js'
import { sampleScenario } from '../test-support/sample-scenario.js'
import { SettingsError } from '../src/settings.js'

describe('parseCli', () => {
  it('reads owners, folders, token and limits', () => {
    const options = parseCli(['--owner', 'octo', '--owner', 'acme', '--out', 'out', '--concurrency', '2'], { GITHUB_TOKEN: 't0k' })
    expect(options).toEqual({
      owners: ['octo', 'acme'],
      out: path.resolve('out'),
      data: path.resolve('.backage'),
      token: 't0k',
      concurrency: '2',
      maxDuration: '60',
      registry: '',
      savePages: null,
      verbose: false
    })
  })

  it('takes the token from GH_TOKEN, else GITHUB_TOKEN, and never from a flag', () => {
    const token = (env: Record<string, string>): string | false => {
      const options = parseCli(['--owner', 'octo'], env)
      return options !== 'help' && options.token
    }
    expect(token({ GH_TOKEN: 'gh', GITHUB_TOKEN: 'env' })).toBe('gh')
    expect(token({ GH_TOKEN: '', GITHUB_TOKEN: 'env' })).toBe('env')
    expect(token({})).toBe('')
    expect(() => parseCli(['--owner', 'octo', '--token', 'cli'], {})).toThrow(/Unknown option '--token'/)
  })

  it('leaves the registry to the action default unless --registry names one', () => {
    const options = parseCli(['--owner', 'octo', '--save-pages', 'pages'], {})
    expect(options !== 'help' && options.savePages).toBe(path.resolve('pages'))
    expect(options !== 'help' && cliSettings(options, {}).registryUrl).toBe('https://ghcr.io')
  })

  it('answers --help with the help text', () => {
    expect(parseCli(['--help'], {})).toBe('help')
    expect(HELP).toContain('--owner NAME')
  })

  it('requires --owner', () => {
    expect(() => parseCli([], {})).toThrow(UsageError)
    expect(() => parseCli([], {})).toThrow(/--owner is required/)
  })

  it('rejects unknown options and stray arguments with the usage', () => {
    expect(() => parseCli(['--owner', 'x', '--colour'], {})).toThrow(/Unknown option '--colour'[\s\S]*usage: npm start/)
    expect(() => parseCli(['octo'], {})).toThrow(UsageError)
  })
})

describe('cliSettings', () => {
  const options = { owners: ['octo'], out: '/tmp/out', data: '/tmp/data', token: '', concurrency: '4', maxDuration: '60', registry: '', savePages: null, verbose: false }

  it('runs the action pipeline in dry run, without discovery or releases', () => {
    const settings = cliSettings(options, {})
    expect(settings).toMatchObject({ dryRun: true, release: false, discover: [], owners: 'octo', concurrency: 4 })
    expect(settings.env.serverUrl).toBe('https://github.com')
    expect(settings.env.runnerTemp).toBe(path.resolve('/tmp/data'))
  })

  it('points at another GitHub through the environment', () => {
    const settings = cliSettings(options, { GITHUB_SERVER_URL: 'http://127.0.0.1:9', GITHUB_API_URL: 'http://127.0.0.1:9/api' })
    expect(settings.env).toMatchObject({ serverUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9/api' })
  })

  it('validates like the action does', () => {
    expect(() => cliSettings({ ...options, concurrency: '50' }, {})).toThrow(SettingsError)
    expect(() => cliSettings({ ...options, concurrency: '50' }, {})).toThrow(/input "concurrency" is "50": expected a whole number from 1 to 10/)
    expect(() => cliSettings({ ...options, owners: ['not a login!'] }, {})).toThrow(/input "owners": "not a login!" is not a GitHub login/)
  })
})

describe('npm start (the CLI pipeline)', () => {
  it('indexes an owner into a folder, keeping its database for the next run', async () => {
    const gh = await FakeGitHub.start({ scenario: sampleScenario() })
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backage-cli-'))
    try {
      const env = { GITHUB_SERVER_URL: gh.serverUrl, GITHUB_API_URL: gh.apiUrl }
      const argv = ['--owner', 'pixel-forge', '--out', path.join(dir, 'out'), '--data', path.join(dir, 'data'), '--registry', gh.registryUrl]
      expect(await main(argv, env)).toBe(0)
      const engine = JSON.parse(readFileSync(path.join(dir, 'out', 'pixel-forge', 'engine', 'io.pixelforge.engine.json'), 'utf8')) as Record<string, unknown>
      const scenarioEngine = gh.scenario.owners.find((o) => o.login === 'pixel-forge')?.packages.find((p) => p.name === 'io.pixelforge.engine')
      expect(engine.raw_downloads).toBe(scenarioEngine?.total)
      // no discovery, no releases
      expect(gh.requests.some((r) => r.path.includes('/releases'))).toBe(false)
      expect(gh.requests.some((r) => /stargazers|subscribers|forks|followers/.test(r.path))).toBe(false)
      expect(await main(argv, env)).toBe(0)

      // --save-pages: every page fetched, as GitHub sent it, listed with its URL for a bug report.
      const pages = path.join(dir, 'pages')
      expect(await main([...argv, '--save-pages', pages], env)).toBe(0)
      const listed = readFileSync(path.join(pages, 'pages.tsv'), 'utf8').trim().split('\n').map((line) => line.split('\t'))
      const pageRequests = gh.requests.filter((r) => r.kind === 'page')
      expect(listed.length).toBeGreaterThan(0)
      expect(listed.map(([, , url]) => new URL(url ?? '').pathname)).toEqual(
        pageRequests.slice(-listed.length).map((r) => new URL(r.path, gh.url).pathname)
      )
      expect(readdirSync(pages).filter((name) => name.endsWith('.html'))).toHaveLength(listed.length)
      const packagePage = listed.find(([, status, url]) => status === '200' && (url ?? '').includes('/package/io.pixelforge.engine'))
      expect(readFileSync(path.join(pages, packagePage?.[0] ?? 'missing'), 'utf8')).toContain('io.pixelforge.engine')
    } finally {
      await gh.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses --out at a folder that is not an index (a home folder) before any request, touching nothing', async () => {
    const gh = await FakeGitHub.start({ scenario: sampleScenario() })
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backage-cli-home-'))
    const home = path.join(dir, 'home')
    mkdirSync(path.join(home, 'projects'), { recursive: true })
    writeFileSync(path.join(home, '.profile'), 'export A=1\n')
    writeFileSync(path.join(home, 'projects', 'work.txt'), 'precious\n')
    try {
      const env = { GITHUB_SERVER_URL: gh.serverUrl, GITHUB_API_URL: gh.apiUrl }
      const argv = ['--owner', 'pixel-forge', '--out', home, '--data', path.join(dir, 'data'), '--registry', gh.registryUrl]
      expect(await main(argv, env)).toBe(1)
      expect(gh.requests).toEqual([])
      expect(readdirSync(home).sort()).toEqual(['.profile', 'projects'])
      expect(readFileSync(path.join(home, 'projects', 'work.txt'), 'utf8')).toBe('precious\n')
      expect(readdirSync(dir)).toEqual(['home']) // nothing written beside it, not even the database folder
    } finally {
      await gh.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exits 2 with the reason on bad arguments', async () => {
    expect(await main(['--owner', 'x', '--concurrency', '0'], {})).toBe(2)
    expect(await main([], {})).toBe(2)
  })
})
