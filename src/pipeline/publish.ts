/**
 * The publish stage: the store's read model → the files of the index branch (render/), then either
 * a dry-run folder (publish/folder.ts) or a commit pushed to `index-branch` without touching the
 * workspace checkout (publish/git.ts). The files are streamed: each is rendered when the writer
 * asks for it, so the whole index is never in memory at once. `checkPublishTarget` runs the same
 * refusals (SPEC 12) before the run scrapes anything, so a run that cannot publish fails early.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { resolveWorkspaceFile } from '../workspace-file.js'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import type { Settings } from '../settings.js'
import type { Log } from '../log.js'
import type { Store } from '../store/store.js'
import { utcDay, type PackageSnapshot } from '../types.js'
import type { ApiOptions } from '../render/api/files.js'
import { CHANGES_WINDOW_SECONDS } from '../store/api-history.js'
import { pasteBadges, type PasteBadge } from '../render/api/paste.js'
import { sharedPackageFiles } from '../render/api/feeds.js'
import { rawBaseUrl } from '../render/paths.js'
import { renderIndexFiles } from '../render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../render/readme.js'
import { publishIndex } from '../publish/git.js'
import { packageLabel } from './refresh-owner.js'
import { checkIndexFolder, writeIndexFolder } from '../publish/folder.js'
import { openGit } from '../publish/git-runner.js'
import { checkIndexBranch } from '../publish/index-branch.js'

export interface PublishResult {
  commit: string
  changed: boolean
  indexDir: string | null
  /** Ready-to-paste badges of the repository owner's packages (SPEC 10.3), for the job summary. */
  badges: PasteBadge[]
}

export interface PublishDeps {
  settings: Settings
  store: Store
  log: Log
  now: Date
  /** Dry run target; defaults to RUNNER_TEMP/backage-index. */
  indexDir?: string
  /** The instance's own owners (repository owner, `owners`, `owners-file`): their badges are drawn as SVG too. */
  ownOwners?: readonly string[]
}

/**
 * A workspace file `.backage/README.md` replaces the built-in index README template (SPEC 6.1). Like
 * the owner files it must be a regular file inside the workspace: a link to a runner's file is
 * refused, never published.
 */
export function readmeTemplate(workspace: string): string {
  const custom = resolveWorkspaceFile(workspace, 'the custom index README', path.join('.backage', 'README.md'))
  if (!custom.ok) throw new Error(custom.problem)
  return custom.file === null ? DEFAULT_README_TEMPLATE : readFileSync(custom.file.path, 'utf8')
}

export async function publishStage(deps: PublishDeps): Promise<PublishResult> {
  const { settings, store, log } = deps
  const rendered = { count: 0 }
  const snapshots = store.snapshots()
  const api = apiOptions(deps, snapshots)
  for (const [file, packages] of sharedPackageFiles(snapshots)) {
    log.warning(`${packages.join(' and ')} share ${file}.json and ${file}.api/: the first (${packages[0] ?? ''}) keeps them`)
  }
  const files = counting(
    renderIndexFiles(snapshots, {
      date: utcDay(deps.now),
      readmeTemplate: readmeTemplate(settings.env.workspace),
      placeholders: {
        serverUrl: settings.env.serverUrl,
        owner: settings.env.repository.owner,
        repo: settings.env.repository.name,
        branch: settings.indexBranch
      },
      onSkipped: (s) => log.warning(`${packageLabel(s)} is left out of the index: a name of it is over 250 bytes as a file name`),
      api
    }),
    rendered
  )

  const indexDir = folderTarget(settings, deps.indexDir)
  if (indexDir !== null) {
    const { removed } = writeIndexFolder(indexDir, files)
    log.info(`rendered ${rendered.count} index files (${removed} files of the earlier index removed)`)
    log.info(`dry run: index written to ${indexDir}`)
    return { commit: '', changed: true, indexDir, badges: [...api.paste] }
  }

  const { workspace, gitDir, remote } = gitTarget(settings)
  const result = await publishIndex({
    workspace: gitDir ?? workspace,
    remote,
    branch: settings.indexBranch,
    history: settings.indexHistory,
    files,
    message: `backage index ${deps.now.toISOString().slice(0, 19)}Z`,
    author: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
    auth: settings.token ? { token: settings.token } : undefined,
    log: (line) => log.debug(line)
  })
  log.info(`rendered ${rendered.count} index files`)
  log.info(
    result.changed
      ? `pushed ${settings.indexBranch} at ${result.commit}`
      : `${settings.indexBranch} unchanged at ${result.commit}`
  )
  return { ...result, indexDir: null, badges: [...api.paste] }
}

/** What the static API of SPEC 10 needs from the run: its URLs, own owners, time, series and changes. */
function apiOptions(deps: PublishDeps, snapshots: readonly PackageSnapshot[]): ApiOptions {
  const { settings, store } = deps
  const { owner, name } = settings.env.repository
  const rawBase = rawBaseUrl(settings.env.serverUrl, owner, name, settings.indexBranch)
  const timestamp = Math.floor(deps.now.getTime() / 1000)
  return {
    rawBase,
    serverUrl: settings.env.serverUrl,
    registryHost: new URL(settings.registryUrl).host,
    svgOwners: [settings.env.repositoryOwner, ...(deps.ownOwners ?? [])],
    timestamp,
    histories: (login) => store.histories(login),
    changes: store.changes(timestamp - CHANGES_WINDOW_SECONDS),
    paste: pasteBadges(snapshots, settings.env.repositoryOwner, rawBase)
  }
}

/** The folder a dry run (or the CLI's `--out`) writes to; null when the index is pushed. */
function folderTarget(settings: Settings, indexDir: string | undefined): string | null {
  if (indexDir !== undefined) return indexDir
  return settings.dryRun ? path.join(settings.env.runnerTemp, 'backage-index') : null
}

/**
 * Whether the index can be published where the settings say, checked before the run scrapes
 * anything: the custom README is a workspace file; the folder is missing, empty or an earlier index; or the branch is not the remote's
 * default branch and is missing or an earlier index. Throws naming the folder or branch.
 */
export async function checkPublishTarget(settings: Settings, indexDir?: string): Promise<void> {
  readmeTemplate(settings.env.workspace)
  const folder = folderTarget(settings, indexDir)
  if (folder !== null) {
    checkIndexFolder(folder)
    return
  }
  const { workspace, gitDir, remote } = gitTarget(settings)
  const git = await openGit(gitDir ?? workspace, { ...process.env, GIT_TERMINAL_PROMPT: '0' }, remote, settings.token || undefined)
  await checkIndexBranch(git, remote, settings.indexBranch)
}

/** Passes `items` through one by one, counting them in `tally.count` as they go. */
function* counting<T>(items: Iterable<T>, tally: { count: number }): Generator<T> {
  for (const item of items) {
    tally.count++
    yield item
  }
}

/**
 * Where to run git: the checked-out workspace and its `origin`, or, without a checkout (SPEC 2.3),
 * a scratch repository under RUNNER_TEMP pushing to the repository's URL.
 */
function gitTarget(settings: Settings): { workspace: string; gitDir: string | null; remote: string } {
  const { workspace, serverUrl, repository, runnerTemp } = settings.env
  if (existsSync(path.join(workspace, '.git'))) return { workspace, gitDir: null, remote: 'origin' }
  const scratch = path.join(runnerTemp, 'backage-git')
  mkdirSync(scratch, { recursive: true })
  // Only objects and a short-lived ref are written there; re-running init on it is harmless.
  execFileSync('git', ['init', '--quiet', '--bare', scratch], { stdio: 'ignore' })
  return { workspace, gitDir: scratch, remote: `${serverUrl}/${repository.owner}/${repository.name}.git` }
}
