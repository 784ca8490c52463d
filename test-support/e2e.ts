/**
 * End-to-end harness: a real bare git repository as `origin`, a workspace clone, and the bundled
 * action (`dist/index.js`) run as a child process with INPUT_* and GITHUB_* pointing at the fake
 * GitHub. Returns what a workflow would see: exit code, outputs, job summary.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FakeGitHub } from './fake-github/server.js'

/** The project folder (holds package.json), found from here whether run from source or from build/. */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)))

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'action.yml'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no action.yml above ${start}`)
  }
}
export const bundledAction = path.join(repoRoot, 'dist', 'index.js')

const gitEnv = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1'
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...gitEnv }, encoding: 'utf8' }).trim()
}

export interface Sandbox {
  root: string
  /** The bare repository the workspace pushes to. */
  origin: string
  runnerTemp: string
  /** A fresh clone of origin with one commit on main (the "actions/checkout" of a run). */
  newWorkspace(files?: Record<string, string>): string
  dispose(): void
}

/** A tmp folder with a bare origin seeded with `files` (owners.txt, optout.txt, ...) on main. */
export function createSandbox(files: Record<string, string> = {}): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'backage-e2e-'))
  const origin = path.join(root, 'origin.git')
  git(root, 'init', '--bare', '--quiet', '--initial-branch=main', origin)
  // As github.com: a push of objects `git fsck` rejects (a `.gitmodules` tree...) is refused.
  git(origin, 'config', 'receive.fsckObjects', 'true')
  const seed = path.join(root, 'seed')
  git(root, 'init', '--quiet', '--initial-branch=main', seed)
  git(seed, 'remote', 'add', 'origin', origin)
  writeFileSync(path.join(seed, 'README.md'), '# the repository running the action\n')
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(seed, name)), { recursive: true })
    writeFileSync(path.join(seed, name), content)
  }
  git(seed, 'add', '-A')
  git(seed, 'commit', '--quiet', '-m', 'initial')
  git(seed, 'push', '--quiet', 'origin', 'main')
  let workspaces = 0
  return {
    root,
    origin,
    runnerTemp: path.join(root, 'runner-temp'),
    newWorkspace(extra = {}) {
      const workspace = path.join(root, `workspace-${++workspaces}`)
      git(root, 'clone', '--quiet', '--branch', 'main', origin, workspace)
      for (const [name, content] of Object.entries(extra)) {
        mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
        writeFileSync(path.join(workspace, name), content)
      }
      return workspace
    },
    dispose() {
      rmSync(root, { recursive: true, force: true })
    }
  }
}

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

export interface RunOptions {
  gh: FakeGitHub
  workspace: string
  /** Action inputs by their action.yml name (`max-duration`, ...). */
  inputs?: Record<string, string>
  /** A fresh RUNNER_TEMP per run models a fresh machine (default: a new folder). */
  runnerTemp?: string
  env?: Record<string, string>
  /** Called with each chunk of the action's stdout as it arrives (the demo shows progress). */
  onOutput?: (chunk: string) => void
  /** Send this signal once stdout contains `when` (a kill mid-run). */
  kill?: { when: string | RegExp; signal: NodeJS.Signals }
}

/** Runs `node dist/index.js` (on the Node running the tests, i.e. 24) like a workflow step would. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const { gh, workspace } = options
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'backage-step-'))
  const outputFile = path.join(scratch, 'output')
  const summaryFile = path.join(scratch, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const runnerTemp = options.runnerTemp ?? path.join(scratch, 'runner-temp')
  mkdirSync(runnerTemp, { recursive: true })
  const inputs: Record<string, string> = { token: 'test-token', 'registry-url': gh.registryUrl, ...options.inputs }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? scratch,
    ...gitEnv,
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_GRAPHQL_URL: gh.graphqlUrl,
    GITHUB_SERVER_URL: gh.serverUrl,
    GITHUB_REPOSITORY: `${gh.scenario.repository.owner}/${gh.scenario.repository.name}`,
    GITHUB_REPOSITORY_OWNER: gh.scenario.repository.owner,
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: String(Date.now()),
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...options.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value

  const child = spawn(process.execPath, [bundledAction], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let killed = false
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
    options.onOutput?.(chunk.toString('utf8'))
    const kill = options.kill
    if (kill && !killed && (typeof kill.when === 'string' ? stdout.includes(kill.when) : kill.when.test(stdout))) {
      killed = true
      child.kill(kill.signal)
    }
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
  )
  assertRemoteFsckClean(existsSync(path.join(workspace, '.git')) ? git(workspace, 'remote', 'get-url', 'origin') : gh.gitRepository)
  const result: ActionRun = {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8')
  }
  rmSync(scratch, { recursive: true, force: true })
  return result
}

/**
 * Every e2e run ends with `git fsck --strict` on the remote it pushed to (SPEC 6.4): whatever the
 * run wrote must be a repository GitHub would accept. Throws with fsck's report otherwise.
 */
export function assertRemoteFsckClean(repository: string): void {
  try {
    execFileSync('git', ['fsck', '--strict', '--no-progress'], { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    const report = (error as { stdout?: string; stderr?: string }).stderr ?? String(error)
    throw new Error(`git fsck --strict failed on ${repository} after the run:\n${report}`)
  }
}

/** The `name<<delimiter` format @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(content: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = content.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name = '', delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}

/** Every file of a branch of a (bare) repository, read with git itself. */
export function readBranch(repository: string, branch: string): Map<string, string> {
  const files = new Map<string, string>()
  const listing = git(repository, 'ls-tree', '-r', '-z', '--name-only', `refs/heads/${branch}`)
  for (const name of listing.split('\0').filter((entry) => entry !== '')) {
    const blob = execFileSync('git', ['show', `refs/heads/${branch}:${name}`], { cwd: repository, encoding: 'utf8' })
    files.set(name, blob)
  }
  return files
}

export function branchExists(repository: string, branch: string): boolean {
  try {
    git(repository, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`)
    return true
  } catch {
    return false
  }
}

export function commitCount(repository: string, branch: string): number {
  return Number(git(repository, 'rev-list', '--count', `refs/heads/${branch}`))
}
