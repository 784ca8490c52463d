/**
 * The guard of `index-branch` (SPEC 12): the index is pushed only to a branch that is not the
 * repository's default branch and that is missing or was written by backage (its tip holds the
 * marker file, or, for branches from before the marker, backage's root `.json` and `.nojekyll`).
 * Read with git from the remote itself, so it holds whatever token or API is at hand.
 */
import { readFile } from 'node:fs/promises'
import { INDEX_MARKER } from '../render/paths.js'
import { gitDetail, type Git } from './git-runner.js'

/** A branch the index must not replace; the message names it and says what to do. */
export class IndexBranchRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IndexBranchRefused'
  }
}

/** The branch the remote's HEAD points at (its default branch), or null when it does not say. */
export async function remoteDefaultBranch(git: Git, remote: string): Promise<string | null> {
  const listing = await git.tryRun(['ls-remote', '--symref', '--', remote, 'HEAD'])
  const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(listing ?? '')
  return match?.[1] ?? null
}

/**
 * The remote branch's tip, fetched (depth 1) so its objects are local; null when there is none.
 * Fetched again even when its objects are here, unless the repository is already shallow on it:
 * only a shallow repository pushes a parentless commit without re-sending the old tree (SPEC 13.3).
 */
export async function fetchTip(git: Git, remote: string, branch: string): Promise<string | null> {
  let listing: string
  try {
    listing = await git.run(['ls-remote', '--', remote, `refs/heads/${branch}`])
  } catch (error) {
    throw new Error(`cannot read branch '${branch}' of remote '${git.redact(remote)}': ${gitDetail(error)}`)
  }
  const tip = listing.split('\t')[0]?.trim()
  if (!tip) return null
  if ((await git.tryRun(['cat-file', '-e', `${tip}^{tree}`])) === null || !(await isShallowOn(git, tip))) {
    await git.run(['fetch', '--no-tags', '--no-recurse-submodules', '--refmap=', '--depth=1', remote, `refs/heads/${branch}`])
  }
  return tip
}

/** Whether the repository's shallow file lists `commit`. */
async function isShallowOn(git: Git, commit: string): Promise<boolean> {
  const path = (await git.run(['rev-parse', '--path-format=absolute', '--git-path', 'shallow'])).trim()
  const shallow = await readFile(path, 'utf8').catch(() => '')
  return shallow.split('\n').includes(commit)
}

const TO_DO = 'Set the input index-branch to a branch of its own (the default is "index")'

/** Refuses the default branch of the remote (when the remote names one). */
export async function refuseDefaultBranch(git: Git, remote: string, branch: string): Promise<void> {
  const defaultBranch = await remoteDefaultBranch(git, remote)
  if (defaultBranch === branch) {
    throw new IndexBranchRefused(
      `index-branch "${branch}" is the default branch of ${git.redact(remote)}: the index would replace its history. ${TO_DO}.`
    )
  }
}

/** Refuses a tip that backage did not write (see the module comment); `tip` must be fetched. */
export async function refuseForeignTip(git: Git, remote: string, branch: string, tip: string): Promise<void> {
  const out = await git.run(['ls-tree', '-z', '--name-only', tip, '--', INDEX_MARKER, '.json', '.nojekyll'])
  const names = new Set(out.split('\0').filter((name) => name !== ''))
  if (names.has(INDEX_MARKER) || (names.has('.json') && names.has('.nojekyll'))) return
  throw new IndexBranchRefused(
    `index-branch "${branch}" already exists on ${git.redact(remote)} and was not written by backage-action ` +
      `(its tip ${tip.slice(0, 12)} has no ${INDEX_MARKER} file); nothing was pushed. ${TO_DO}, ` +
      `or delete the branch "${branch}" if it is an old index you no longer need.`
  )
}

/** Both checks, for a run that wants to know before it scrapes: returns the fetched tip. */
export async function checkIndexBranch(git: Git, remote: string, branch: string): Promise<string | null> {
  await refuseDefaultBranch(git, remote, branch)
  const tip = await fetchTip(git, remote, branch)
  if (tip) await refuseForeignTip(git, remote, branch, tip)
  return tip
}
