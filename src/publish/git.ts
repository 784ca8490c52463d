/**
 * Writes the index branch (SPEC 6.1, 2.3) with the real `git` CLI, without touching the
 * workspace's branch, index or working tree: the files go through `git fast-import` (one process,
 * one pack, fine for 100,000s of files) into a throwaway ref, the commit is made with
 * `git commit-tree`, and it is pushed straight to `refs/heads/BRANCH` of the remote.
 *
 * The files come as an iterable (a Map, or a generator such as `renderIndexFiles`) and are streamed
 * into fast-import one by one with backpressure, so no more than a few MB of content is held at once.
 *
 * The remote branch is fetched first (depth 1, so the workspace is shallow on the previous tip and
 * push negotiation leaves the old tree's objects out even of a parentless commit). The new tree is
 * built on the previous tree as a base (SPEC 13.3): a file whose bytes did not change costs no
 * command at all, a changed one is written, a file the new index lacks is deleted, and folders the
 * caller names in `keep` are taken from the previous tree as they are (the caller did not re-render
 * them). An unchanged tree pushes nothing at all. A push that loses a race with another run is
 * retried once after a new fetch.
 *
 * Nothing is pushed over the remote's default branch or over a tip backage did not write (SPEC 12,
 * publish/index-branch.ts), every commit carries the marker file that says it is an index, and
 * every path is checked to stay inside the tree.
 */
import { spawn } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { INDEX_MARKER, INDEX_MARKER_CONTENT, isContainedPath } from '../render/paths.js'
import { GitCommandError, gitDetail, openGit, type Git } from './git-runner.js'
import { fetchTip, refuseDefaultBranch, refuseForeignTip } from './index-branch.js'

export interface PublishIndexOptions {
  /** A git repository (the checkout); only objects and a short-lived private ref are written to it. */
  workspace: string
  /** A remote name (`origin`) or a URL/path. */
  remote: string
  branch: string
  /** `squash`: one orphan commit, force-pushed (with a lease); `keep`: one new commit per run. */
  history: 'squash' | 'keep'
  /**
   * Every file of the branch as (path, content) pairs, path relative and `/`-separated: a Map, or
   * a generator that makes each file as it is asked for. Read once, in order; a later pair for the
   * same path replaces an earlier one.
   */
  files: Iterable<readonly [string, string | Uint8Array]>
  /**
   * Folders (relative, `/`-separated, no trailing `/`) whose files the caller did not re-render
   * because their data did not change: everything under them is kept from the remote tip as it is,
   * and `files` holds only the rest. A file of `files` inside a kept folder still replaces the old one.
   */
  keep?: Iterable<string>
  message: string
  author: { name: string; email: string }
  /** For an https remote: sent as an `http.extraheader`, never in the URL, arguments shown or logs. */
  auth?: { token: string }
  log?: (line: string) => void
}

export interface PublishIndexResult {
  /** The commit the remote branch now points at. */
  commit: string
  /** False when the tree was identical to the remote tip's, and nothing was pushed. */
  changed: boolean
}

/**
 * path → blob id of every file in a commit's tree, but for the top-level folders in `keep`: those
 * are neither read nor rewritten, so an index of millions of files costs only its changed part.
 */
async function listBlobs(git: Git, commit: string, keep: ReadonlySet<string>): Promise<Map<string, string>> {
  const blobs = new Map<string, string>()
  const read = async (paths: string[]): Promise<void> => {
    const out = await git.run(['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths])
    for (const entry of out.split('\0')) {
      // `<mode> SP <type> SP <id> TAB <path>`
      const tab = entry.indexOf('\t')
      if (tab < 0) continue
      const [, type, id] = entry.slice(0, tab).split(' ')
      if (type === 'blob' && id) blobs.set(entry.slice(tab + 1), id)
    }
  }
  if (keep.size === 0) await read([])
  else {
    const top = (await git.run(['ls-tree', '-z', '--name-only', '--full-tree', commit])).split('\0').filter((name) => name !== '' && !keep.has(name))
    for (let i = 0; i < top.length; i += 1000) await read(top.slice(i, i + 1000))
  }
  return blobs
}

/** A path as fast-import reads it: C-style quoted when it holds characters that need it. */
function quotePath(path: string): string {
  if (!/["\\\n\r\t]/.test(path) && !path.startsWith('"')) return path
  return `"${path.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

/** How many files `writeTree` was given, how many it wrote and how many old files it deleted. */
interface TreeWritten {
  tree: string
  files: number
  unchanged: number
  deleted: number
}

/** The previous index tree the new one is built on, and which of its folders are kept as they are. */
interface BaseTree {
  /** The remote tip's tree id; null for a first publish. */
  tree: string | null
  /** path → blob id of the files of that tree, those in kept top-level folders left out. */
  blobs: Map<string, string>
  /** Folders taken from it unchanged. */
  keep: ReadonlySet<string>
}

/** Whether `path` lies inside one of the kept folders (checked folder by folder, up from the file). */
function isKept(path: string, keep: ReadonlySet<string>): boolean {
  if (keep.size === 0) return false
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    if (keep.has(path.slice(0, slash))) return true
  }
  return false
}

/**
 * Writes the new tree with `git fast-import`, starting from the previous tree, and returns its id.
 * Each file is turned into bytes, hashed and written before the next is asked for; writes wait for
 * 'drain'.
 */
async function writeTree(
  git: Git,
  files: Iterable<readonly [string, string | Uint8Array]>,
  base: BaseTree,
  objectFormat: string,
  author: string
): Promise<TreeWritten> {
  const ref = `refs/backage-tmp/${randomUUID()}`
  const child = spawn('git', ['fast-import', '--quiet', '--date-format=raw', '--big-file-threshold=1'], {
    cwd: git.cwd,
    env: git.env,
    stdio: ['pipe', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => (stderr += chunk))
  const exited = once(child, 'close') as Promise<[number | null]>
  let writeError: unknown = null
  child.stdin.on('error', (error) => (writeError = error)) // EPIPE when fast-import dies: reported below

  const pending: Buffer[] = []
  let pendingBytes = 0
  const flush = async (): Promise<void> => {
    if (pending.length === 0 || writeError) return
    const chunk = Buffer.concat(pending)
    pending.length = 0
    pendingBytes = 0
    if (!child.stdin.write(chunk)) await Promise.race([once(child.stdin, 'drain'), exited])
  }
  const push = async (part: Buffer): Promise<void> => {
    pending.push(part)
    pendingBytes += part.length
    if (pendingBytes >= 1 << 22) await flush()
  }

  let count = 0
  let unchanged = 0
  let deleted = 0
  // base.blobs loses each path given again: what is left at the end is deleted unless kept.
  const untouched = base.blobs
  try {
    const message = Buffer.from('index tree\n')
    const now = Math.floor(Date.now() / 1000)
    await push(Buffer.from(`commit ${ref}\ncommitter ${author} ${now} +0000\ndata ${message.length}\n`))
    await push(message)
    // The previous tree as the base: only the differences follow.
    if (base.tree) await push(Buffer.from(`M 040000 ${base.tree} ""\n`))
    for (const [path, content] of files) {
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)
      const id = untouched.get(path)
      untouched.delete(path)
      count++
      if (id !== undefined && id === blobId(data, objectFormat)) {
        unchanged++ // the base has these bytes already: no command (a repeated path is simply rewritten)
      } else {
        await push(Buffer.from(`M 100644 inline ${quotePath(path)}\ndata ${data.length}\n`))
        await push(data)
        await push(Buffer.from('\n'))
      }
      if (writeError) break
    }
    for (const path of untouched.keys()) {
      if (isKept(path, base.keep)) continue
      deleted++
      await push(Buffer.from(`D ${quotePath(path)}\n`))
    }
    await flush()
  } catch (error) {
    // The files could not be made (a generator threw): stop fast-import before it commits anything.
    child.kill()
    await exited
    await git.tryRun(['update-ref', '-d', ref])
    throw error
  }
  child.stdin.end()
  const [code] = await exited
  try {
    if (code !== 0 || writeError) throw new GitCommandError('git fast-import', stderr || String(writeError))
    return { tree: (await git.run(['rev-parse', `${ref}^{tree}`])).trim(), files: count, unchanged, deleted }
  } finally {
    await git.tryRun(['update-ref', '-d', ref])
  }
}

/** The id git gives a blob with these bytes. */
function blobId(data: Buffer, objectFormat: string): string {
  const hash = createHash(objectFormat === 'sha256' ? 'sha256' : 'sha1')
  hash.update(`blob ${data.length}\0`)
  hash.update(data)
  return hash.digest('hex')
}

/**
 * The files, each path checked to stay inside the tree (a second fence behind `indexPath`), with
 * the marker file added when they lack it: every index commit carries it (SPEC 12).
 */
function* withMarker(files: Iterable<readonly [string, string | Uint8Array]>): Generator<readonly [string, string | Uint8Array]> {
  let marked = false
  for (const file of files) {
    if (!isContainedPath(file[0])) throw new Error(`publishIndex: refusing a path outside the index tree: ${JSON.stringify(file[0])}`)
    if (file[0] === INDEX_MARKER) marked = true
    yield file
  }
  if (!marked) yield [INDEX_MARKER, INDEX_MARKER_CONTENT]
}

const treeOfCommit = async (git: Git, commit: string): Promise<string> => (await git.run(['rev-parse', `${commit}^{tree}`])).trim()

/** `Name <email>` with the characters git refuses in an identity removed. */
function identity(author: { name: string; email: string }): string {
  const clean = (s: string): string => s.replace(/[<>\n]/g, '').trim()
  return `${clean(author.name)} <${clean(author.email)}>`
}

/** Commits `files` as the whole content of `branch` and pushes it (see the module comment). */
export async function publishIndex(options: PublishIndexOptions): Promise<PublishIndexResult> {
  const { remote, branch, history } = options
  const log = options.log ?? ((): void => {})
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: options.author.name,
    GIT_AUTHOR_EMAIL: options.author.email,
    GIT_COMMITTER_NAME: options.author.name,
    GIT_COMMITTER_EMAIL: options.author.email
  }
  const git = await openGit(options.workspace, env, remote, options.auth?.token)

  if ((await git.tryRun(['rev-parse', '--git-dir'])) === null) {
    throw new Error(`publishIndex: ${options.workspace} is not a git repository`)
  }
  const objectFormat = ((await git.tryRun(['rev-parse', '--show-object-format'])) ?? 'sha1').trim()

  // Nothing is written over a branch that is not an index (SPEC 12): checked on every tip pushed over.
  await refuseDefaultBranch(git, remote, branch)
  log(`fetching ${branch} from ${git.redact(remote)}`)
  let tip = await fetchTip(git, remote, branch)
  if (tip) await refuseForeignTip(git, remote, branch, tip)
  const keep = new Set<string>()
  for (const folder of options.keep ?? []) {
    if (!isContainedPath(folder)) throw new Error(`publishIndex: refusing a kept folder outside the index tree: ${JSON.stringify(folder)}`)
    keep.add(folder)
  }
  // Kept folders come from the tip: without one, the caller's skipped folders would silently vanish.
  if (!tip && keep.size > 0) throw new Error(`publishIndex: ${branch} has no previous tree to keep folders from; render every file`)
  const base: BaseTree = tip ? { tree: await treeOfCommit(git, tip), blobs: await listBlobs(git, tip, keep), keep } : { tree: null, blobs: new Map(), keep }
  log(`writing the files (${base.blobs.size} read from the remote branch, ${keep.size} folders kept)`)
  const written = await writeTree(git, withMarker(options.files), base, objectFormat, identity(options.author))
  log(`wrote ${written.files} files (${written.unchanged} unchanged), deleted ${written.deleted}`)
  const tree = written.tree

  for (let attempt = 1; ; attempt++) {
    if (tip && (await treeOfCommit(git, tip)) === tree) {
      log(`${branch} is unchanged at ${tip}`)
      return { commit: tip, changed: false }
    }
    const parents = history === 'keep' && tip ? ['-p', tip] : []
    const commit = (await git.run(['commit-tree', tree, ...parents, '-m', options.message])).trim()
    // squash: replace whatever is there, but only what we fetched (a lease), so a race is noticed.
    const lease = history === 'squash' ? [`--force-with-lease=refs/heads/${branch}:${tip ?? ''}`] : []
    log(`pushing ${commit} to ${branch} (attempt ${attempt})`)
    try {
      await git.run(['push', '--quiet', '--no-progress', ...lease, '--', remote, `${commit}:refs/heads/${branch}`])
      return { commit, changed: true }
    } catch (error) {
      const detail = gitDetail(error)
      if (attempt >= 2) {
        throw new Error(`publishIndex: pushing ${branch} to ${git.redact(remote)} failed twice: ${detail}`)
      }
      log(`push rejected (${detail.split('\n')[0] ?? ''}); fetching ${branch} again`)
      tip = await fetchTip(git, remote, branch)
      if (tip) await refuseForeignTip(git, remote, branch, tip)
    }
  }
}
