import { describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { DEFAULTS, describeSettings, Inputs, isValidBranchName, loadSettings, SettingsError } from '../src/settings.js'

const env = {
  GITHUB_REPOSITORY: 'octo/backage',
  GITHUB_REPOSITORY_OWNER: 'octo',
  GITHUB_API_URL: 'http://127.0.0.1:1/api',
  GITHUB_SERVER_URL: 'http://127.0.0.1:1',
  GITHUB_WORKSPACE: '/tmp/ws',
  RUNNER_TEMP: '/tmp/rt'
}

function load(inputs: Partial<Record<Inputs, string>>, environment: Record<string, string | undefined> = env) {
  return loadSettings((name) => inputs[name] ?? '', environment)
}

function problemsOf(inputs: Partial<Record<Inputs, string>>, environment: Record<string, string | undefined> = env) {
  try {
    load(inputs, environment)
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError)
    return (error as SettingsError).problems
  }
  throw new Error('expected a SettingsError')
}

describe('loadSettings', () => {
  it('applies the defaults of action.yml', () => {
    const settings = load({ [Inputs.Token]: 'secret' })
    expect(settings).toMatchObject({
      token: 'secret',
      discover: ['stargazers', 'watchers', 'forks', 'followers'],
      maxDurationMinutes: 240,
      concurrency: 4,
      indexBranch: 'index',
      indexHistory: 'squash',
      release: true,
      keepReleases: 3,
      registryUrl: 'https://ghcr.io',
      dryRun: false,
      // No such files in /tmp/ws: no entries (their checks have their own tests).
      ownersFile: null,
      optoutFile: null
    })
    expect(settings.env).toEqual({
      apiUrl: 'http://127.0.0.1:1/api',
      graphqlUrl: 'http://127.0.0.1:1/api/graphql',
      serverUrl: 'http://127.0.0.1:1',
      repository: { owner: 'octo', name: 'backage' },
      repositoryOwner: 'octo',
      workspace: path.resolve('/tmp/ws'),
      runnerTemp: path.resolve('/tmp/rt'),
      runId: 'local'
    })
  })

  it('defaults the GitHub URLs to github.com only when the environment has none', () => {
    const settings = load({}, { GITHUB_REPOSITORY: 'octo/backage' })
    expect(settings.env.apiUrl).toBe('https://api.github.com')
    expect(settings.env.serverUrl).toBe('https://github.com')
    expect(settings.env.graphqlUrl).toBe('https://api.github.com/graphql')
  })

  it('takes GITHUB_GRAPHQL_URL as the runner gives it (GitHub Enterprise: /api/graphql beside /api/v3)', () => {
    const settings = load({}, {
      GITHUB_REPOSITORY: 'octo/backage',
      GITHUB_API_URL: 'https://ghe.corp/api/v3',
      GITHUB_GRAPHQL_URL: 'https://ghe.corp/api/graphql'
    })
    expect(settings.env.apiUrl).toBe('https://ghe.corp/api/v3')
    expect(settings.env.graphqlUrl).toBe('https://ghe.corp/api/graphql')
    expect(problemsOf({}, { GITHUB_REPOSITORY: 'octo/backage', GITHUB_GRAPHQL_URL: 'not a url' })).toEqual([
      'environment GITHUB_GRAPHQL_URL is "not a url": expected an http(s) URL'
    ])
  })

  it('reads every input it is given', () => {
    const settings = load({
      [Inputs.Discover]: 'forks, followers',
      [Inputs.MaxDuration]: '30',
      [Inputs.Concurrency]: '10',
      [Inputs.IndexBranch]: 'gh-pages',
      [Inputs.IndexHistory]: 'keep',
      [Inputs.Release]: 'FALSE',
      [Inputs.KeepReleases]: '5',
      [Inputs.RegistryUrl]: 'http://127.0.0.1:9/registry/',
      [Inputs.DryRun]: 'true',
      [Inputs.OwnersFile]: 'config/owners.txt'
    })
    expect(settings).toMatchObject({
      discover: ['forks', 'followers'],
      maxDurationMinutes: 30,
      concurrency: 10,
      indexBranch: 'gh-pages',
      indexHistory: 'keep',
      release: false,
      keepReleases: 5,
      registryUrl: 'http://127.0.0.1:9/registry',
      dryRun: true,
      ownersFile: null
    })
  })

  it('accepts discover: none', () => {
    expect(load({ [Inputs.Discover]: 'none' }).discover).toEqual([])
  })

  it.each([
    [Inputs.MaxDuration, 'soon', 'input "max-duration" is "soon": expected a whole number from 1 to 360'],
    [Inputs.MaxDuration, '0', 'input "max-duration" is "0": expected a whole number from 1 to 360'],
    [Inputs.Concurrency, '0', 'input "concurrency" is "0": expected a whole number from 1 to 10'],
    [Inputs.Concurrency, '50', 'input "concurrency" is "50": expected a whole number from 1 to 10'],
    [Inputs.Concurrency, '2.5', 'input "concurrency" is "2.5": expected a whole number from 1 to 10'],
    [Inputs.KeepReleases, '-1', 'input "keep-releases" is "-1": expected a whole number from 1 to 100'],
    [Inputs.Discover, 'stars', 'input "discover" has "stars": expected any of stargazers, watchers, forks, followers'],
    [Inputs.IndexHistory, 'rebase', 'input "index-history" is "rebase": expected squash or keep'],
    [Inputs.IndexBranch, 'bad..name', 'input "index-branch" is "bad..name": expected a valid git branch name'],
    [Inputs.RegistryUrl, 'ghcr.io', 'input "registry-url" is "ghcr.io": expected an http(s) URL'],
    [Inputs.Release, 'yes please', 'input "release" is "yes please": expected true or false'],
    [Inputs.DryRun, '1', 'input "dry-run" is "1": expected true or false']
  ])('rejects %s = %p, naming the input, the value and the form', (input, value, message) => {
    const problems = problemsOf({ [input]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(message)
  })

  it('reports every problem at once', () => {
    const problems = problemsOf({ [Inputs.Concurrency]: '0', [Inputs.IndexHistory]: 'x' }, { GITHUB_API_URL: 'nope' })
    expect(problems).toHaveLength(4)
    expect(problems.join('\n')).toMatch(/GITHUB_REPOSITORY is missing: expected OWNER\/REPO/)
    expect(problems.join('\n')).toMatch(/GITHUB_API_URL is "nope": expected an http\(s\) URL/)
  })

  it('refuses an index-branch that is the branch being built, before any network call', () => {
    const building = { ...env, GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' }
    expect(problemsOf({ [Inputs.IndexBranch]: 'main' }, building)).toEqual([
      'input "index-branch" is "main", the branch this workflow runs on (GITHUB_REF_NAME): the index would replace it; ' +
        'expected a branch of its own (the default is "index")'
    ])
    expect(load({}, building).indexBranch).toBe('index')
    // A tag of that name is not a branch.
    expect(load({ [Inputs.IndexBranch]: 'main' }, { ...building, GITHUB_REF_TYPE: 'tag' }).indexBranch).toBe('main')
  })

  it('rejects a malformed GITHUB_REPOSITORY', () => {
    expect(problemsOf({}, { GITHUB_REPOSITORY: 'a/b/c' })[0]).toContain('GITHUB_REPOSITORY is "a/b/c": expected OWNER/REPO')
  })

  it('reads shard and mode (SPEC 13.2)', () => {
    expect(load({})).toMatchObject({ shard: null, mode: 'run', shardsDir: null })
    const sharded = load({ [Inputs.Shard]: '2/4' }, { ...env, BACKAGE_SHARDS_DIR: '/tmp/shards' })
    expect(sharded).toMatchObject({ shard: { index: 2, count: 4 }, mode: 'run', shardsDir: '/tmp/shards' })
    const actions = { ...env, GITHUB_SERVER_URL: 'https://github.com', ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results/' }
    expect(load({ [Inputs.Mode]: 'merge' }, actions)).toMatchObject({ shard: null, mode: 'merge', shardsDir: null })
    expect(load({ [Inputs.Mode]: 'merge' }, { ...actions, GITHUB_SERVER_URL: 'https://octo.ghe.com' })).toMatchObject({ mode: 'merge' })
  })

  it('sends GitHub Enterprise Server users to the folder: @actions/artifact refuses their host', () => {
    const ghes = { ...env, GITHUB_SERVER_URL: 'https://git.example.com', ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results/' }
    const problems = problemsOf({ [Inputs.Shard]: '1/2' }, ghes)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('GitHub Enterprise Server (https://git.example.com); set BACKAGE_SHARDS_DIR')
    expect(load({ [Inputs.Shard]: '1/2' }, { ...ghes, BACKAGE_SHARDS_DIR: '/shared/shards' }).shardsDir).toBe('/shared/shards')
  })

  it.each(['0/4', '5/4', '1/65', 'two'])('rejects shard %p naming the form', (shard) => {
    const problems = problemsOf({ [Inputs.Shard]: shard }, { ...env, BACKAGE_SHARDS_DIR: '/tmp/shards' })
    expect(problems).toEqual([`input "shard" is "${shard}": expected K/N with 1 ≤ K ≤ N ≤ 64, such as 2/4, or empty`])
  })

  it('rejects an unknown mode, and shard with mode merge', () => {
    const dir = { ...env, BACKAGE_SHARDS_DIR: '/tmp/shards' }
    expect(problemsOf({ [Inputs.Mode]: 'shard' }, dir)).toEqual(['input "mode" is "shard": expected run or merge'])
    expect(problemsOf({ [Inputs.Shard]: '1/2', [Inputs.Mode]: 'merge' }, dir)[0]).toContain('input "shard" is "1/2" with input "mode" merge')
  })

  it('refuses a shard or merge outside Actions without BACKAGE_SHARDS_DIR', () => {
    for (const inputs of [{ [Inputs.Shard]: '1/2' }, { [Inputs.Mode]: 'merge' }]) {
      const problems = problemsOf(inputs)
      expect(problems).toHaveLength(1)
      expect(problems[0]).toContain('BACKAGE_SHARDS_DIR')
      expect(problems[0]).toContain('ACTIONS_RUNTIME_TOKEN')
    }
  })

  it('never describes the token', () => {
    const described = JSON.stringify(describeSettings(load({ [Inputs.Token]: 'ghp_secret' })))
    expect(described).not.toContain('ghp_secret')
    expect(described).toContain('***')
  })

  it('keeps DEFAULTS identical to action.yml', async () => {
    const { readFileSync } = await import('node:fs')
    const yaml = readFileSync(path.join(process.cwd(), 'action.yml'), 'utf8')
    for (const [name, value] of Object.entries(DEFAULTS)) {
      if (name === Inputs.Token) continue
      const block = new RegExp(`\\n  ${name}:\\n(?:    .*\\n)*?    default: '([^']*)'`).exec(yaml)
      expect([name, block?.[1]]).toEqual([name, value])
    }
  })
})

describe('isValidBranchName', () => {
  it.each(['index', 'gh-pages', 'data/index', 'v1.2'])('accepts %s', (name) => expect(isValidBranchName(name)).toBe(true))
  it.each(['', '-x', 'a..b', 'a b', 'a~1', 'x.lock', 'a//b', '.hidden', 'a/', 'a:b'])('rejects %p', (name) =>
    expect(isValidBranchName(name)).toBe(false)
  )
})
