/**
 * Inputs (SPEC 2.1) and environment (SPEC 2.3) → one typed, validated Settings object. Every input
 * name is spelled once, here; every bad value is reported with the input, the value and the
 * expected form, before any network call.
 */
import * as path from 'node:path'
import * as os from 'node:os'
import { parseOwnersInput } from './pipeline/owner-files.js'
import { isLogin, isRepoName } from './package-ref.js'
import { resolveWorkspaceFile, type WorkspaceFile } from './workspace-file.js'
import type { Shard } from './domain/shard.js'
import { readShardSettings } from './shard-settings.js'

export enum Inputs {
  Token = 'token',
  Owners = 'owners',
  OwnersFile = 'owners-file',
  OptoutFile = 'optout-file',
  Discover = 'discover',
  MaxDuration = 'max-duration',
  Concurrency = 'concurrency',
  IndexBranch = 'index-branch',
  IndexHistory = 'index-history',
  Release = 'release',
  KeepReleases = 'keep-releases',
  RegistryUrl = 'registry-url',
  DryRun = 'dry-run',
  Shard = 'shard',
  Mode = 'mode'
}

export enum Outputs {
  Owners = 'owners',
  Packages = 'packages',
  Stale = 'stale',
  IndexCommit = 'index-commit',
  ReleaseTag = 'release-tag',
  Complete = 'complete',
  ShardArtifact = 'shard-artifact'
}

export const DISCOVERY_SOURCES = ['stargazers', 'watchers', 'forks', 'followers'] as const
export type DiscoverySourceName = (typeof DISCOVERY_SOURCES)[number]

export interface Settings {
  token: string
  /** Raw `owners` input; parsed (and validated) with the owners file rules. */
  owners: string
  /** The owners file, checked to be a regular file inside the workspace; null when there is none. */
  ownersFile: WorkspaceFile | null
  optoutFile: WorkspaceFile | null
  discover: DiscoverySourceName[]
  maxDurationMinutes: number
  concurrency: number
  indexBranch: string
  indexHistory: 'squash' | 'keep'
  release: boolean
  keepReleases: number
  registryUrl: string
  dryRun: boolean
  /** `shard: K/N` (SPEC 13.2); null for a whole run or a merge. */
  shard: Shard | null
  mode: 'run' | 'merge'
  /** `BACKAGE_SHARDS_DIR`: deltas go through this folder instead of workflow artifacts; null when unset. */
  shardsDir: string | null
  env: GitHubEnvironment
}

export interface GitHubEnvironment {
  apiUrl: string
  graphqlUrl: string
  serverUrl: string
  repository: { owner: string; name: string }
  repositoryOwner: string
  workspace: string
  runnerTemp: string
  runId: string
}

/** The hosts used when the environment names none (github.com); every default host lives here alone. */
export const DEFAULT_HOSTS = {
  api: 'https://api.github.com',
  server: 'https://github.com',
  registry: 'https://ghcr.io'
} as const

/** Defaults of SPEC 2.1, the same as in action.yml. */
export const DEFAULTS: Record<Inputs, string> = {
  [Inputs.Token]: '',
  [Inputs.Owners]: '',
  [Inputs.OwnersFile]: 'owners.txt',
  [Inputs.OptoutFile]: 'optout.txt',
  [Inputs.Discover]: 'stargazers,watchers,forks,followers',
  [Inputs.MaxDuration]: '240',
  [Inputs.Concurrency]: '4',
  [Inputs.IndexBranch]: 'index',
  [Inputs.IndexHistory]: 'squash',
  [Inputs.Release]: 'true',
  [Inputs.KeepReleases]: '3',
  [Inputs.RegistryUrl]: DEFAULT_HOSTS.registry,
  [Inputs.DryRun]: 'false',
  [Inputs.Shard]: '',
  [Inputs.Mode]: 'run'
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'SettingsError'
  }
}

/** Reads an input the way @actions/core does (INPUT_NAME, trimmed); injected so tests need no env. */
export type InputReader = (name: Inputs) => string


/** Parses and validates everything; throws SettingsError listing every problem found. */
export function loadSettings(readInput: InputReader, env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = []
  const input = (name: Inputs): string => {
    const value = readInput(name).trim()
    return value === '' ? DEFAULTS[name] : value
  }

  const integer = (name: Inputs, min: number, max: number): number => {
    const raw = input(name)
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`input "${name}" is "${raw}": expected a whole number from ${min} to ${max}`)
      return min
    }
    return value
  }

  const boolean = (name: Inputs): boolean => {
    const raw = input(name)
    const lower = raw.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
    problems.push(`input "${name}" is "${raw}": expected true or false`)
    return false
  }

  const discover = parseDiscover(input(Inputs.Discover), problems)

  const indexHistory = input(Inputs.IndexHistory)
  if (indexHistory !== 'squash' && indexHistory !== 'keep') {
    problems.push(`input "${Inputs.IndexHistory}" is "${indexHistory}": expected squash or keep`)
  }

  const indexBranch = input(Inputs.IndexBranch)
  if (!isValidBranchName(indexBranch)) {
    problems.push(`input "${Inputs.IndexBranch}" is "${indexBranch}": expected a valid git branch name`)
  }

  const registryUrl = input(Inputs.RegistryUrl).replace(/\/+$/, '')
  if (!isHttpUrl(registryUrl)) {
    problems.push(`input "${Inputs.RegistryUrl}" is "${registryUrl}": expected an http(s) URL such as ${DEFAULT_HOSTS.registry}`)
  }

  const owners = readInput(Inputs.Owners)
  problems.push(...parseOwnersInput(owners).errors)
  const handover = readShardSettings(input(Inputs.Shard), input(Inputs.Mode), env, { shard: Inputs.Shard, mode: Inputs.Mode }, problems)

  const settings = {
    token: readInput(Inputs.Token).trim(),
    owners,
    discover,
    maxDurationMinutes: integer(Inputs.MaxDuration, 1, 360),
    concurrency: integer(Inputs.Concurrency, 1, 10),
    indexBranch,
    indexHistory: indexHistory === 'keep' ? 'keep' : 'squash',
    release: boolean(Inputs.Release),
    keepReleases: integer(Inputs.KeepReleases, 1, 100),
    registryUrl,
    dryRun: boolean(Inputs.DryRun),
    ...handover
  } as const

  const environment = readEnvironment(env, problems)
  const file = (name: Inputs.OwnersFile | Inputs.OptoutFile): WorkspaceFile | null => {
    const result = resolveWorkspaceFile(environment.workspace, `input "${name}"`, input(name))
    if (result.ok) return result.file
    problems.push(result.problem)
    return null
  }
  const ownersFile = file(Inputs.OwnersFile)
  const optoutFile = file(Inputs.OptoutFile)
  // The branch this workflow runs on would be replaced by an orphan commit (SPEC 12). The remote's
  // default branch is refused too, before anything is scraped, by reading it with git (publish).
  const refName = (env.GITHUB_REF_NAME ?? '').trim()
  if (refName !== '' && refName === indexBranch && (env.GITHUB_REF_TYPE ?? 'branch').trim() !== 'tag') {
    problems.push(
      `input "${Inputs.IndexBranch}" is "${indexBranch}", the branch this workflow runs on (GITHUB_REF_NAME): ` +
        'the index would replace it; expected a branch of its own (the default is "index")'
    )
  }
  if (problems.length > 0) throw new SettingsError(problems)
  return { ...settings, ownersFile, optoutFile, env: environment }
}

function parseDiscover(raw: string, problems: string[]): DiscoverySourceName[] {
  const words = raw
    .split(/[\s,]+/)
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== '')
  if (words.length === 1 && words[0] === 'none') return []
  const sources: DiscoverySourceName[] = []
  for (const word of words) {
    const source = DISCOVERY_SOURCES.find((known) => known === word)
    if (source === undefined) {
      problems.push(
        `input "${Inputs.Discover}" has "${word}": expected any of ${DISCOVERY_SOURCES.join(', ')} (comma-separated), or none`
      )
    } else if (!sources.includes(source)) {
      sources.push(source)
    }
  }
  return sources
}

function readEnvironment(env: NodeJS.ProcessEnv, problems: string[]): GitHubEnvironment {
  const url = (name: string, fallback: string): string => {
    const value = (env[name] ?? '').trim().replace(/\/+$/, '') || fallback
    if (!isHttpUrl(value)) problems.push(`environment ${name} is "${value}": expected an http(s) URL`)
    return value
  }
  const apiUrl = url('GITHUB_API_URL', DEFAULT_HOSTS.api)
  const serverUrl = url('GITHUB_SERVER_URL', DEFAULT_HOSTS.server)
  // GitHub Enterprise Server: REST is HOST/api/v3 but GraphQL HOST/api/graphql, so when the runner
  // names the endpoint it is taken as is; only without it is it derived, as on github.com.
  const graphqlUrl = (env.GITHUB_GRAPHQL_URL ?? '').trim() === '' ? `${apiUrl}/graphql` : url('GITHUB_GRAPHQL_URL', '')

  const repositoryValue = (env.GITHUB_REPOSITORY ?? '').trim()
  const [owner = '', name = '', ...rest] = repositoryValue.split('/')
  if (repositoryValue === '') {
    problems.push('environment GITHUB_REPOSITORY is missing: expected OWNER/REPO (set by GitHub Actions)')
  } else if (rest.length > 0 || !isLogin(owner) || !isRepoName(name)) {
    problems.push(`environment GITHUB_REPOSITORY is "${repositoryValue}": expected OWNER/REPO`)
  }
  const repositoryOwner = (env.GITHUB_REPOSITORY_OWNER ?? '').trim() || owner
  const workspace = path.resolve((env.GITHUB_WORKSPACE ?? '').trim() || process.cwd())
  const runnerTemp = path.resolve((env.RUNNER_TEMP ?? '').trim() || os.tmpdir())
  return {
    apiUrl,
    graphqlUrl,
    serverUrl,
    repository: { owner, name },
    repositoryOwner,
    workspace,
    runnerTemp,
    runId: (env.GITHUB_RUN_ID ?? '').trim() || 'local'
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value)
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== ''
  } catch {
    return false
  }
}

/** The rules of `git check-ref-format --branch`, enough to reject what git would. */
export function isValidBranchName(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/')) return false
  if (name.endsWith('.') || name.endsWith('.lock') || name.includes('..') || name.includes('@{') || name.includes('//')) {
    return false
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false
  return name.split('/').every((part) => part !== '' && !part.startsWith('.'))
}

/** Settings for the log: the token is never printed. */
export function describeSettings(settings: Settings): Record<string, unknown> {
  const { token, env, ...rest } = settings
  return { ...rest, token: token === '' ? '(none)' : '***', ...env }
}
