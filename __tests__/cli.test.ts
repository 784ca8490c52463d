import { describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { cliSettings, HELP, parseCli, UsageError } from '../src/cli.js'
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
      verbose: false
    })
  })

  it('prefers --token over GITHUB_TOKEN', () => {
    const options = parseCli(['--owner', 'octo', '--token', 'cli'], { GITHUB_TOKEN: 'env' })
    expect(options !== 'help' && options.token).toBe('cli')
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
  const options = { owners: ['octo'], out: '/tmp/out', data: '/tmp/data', token: '', concurrency: '4', maxDuration: '60', verbose: false }

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
