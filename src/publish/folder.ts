/**
 * Writes the index into a folder (dry run, CLI `--out`; SPEC 12): only a folder that is missing,
 * empty, or holds the marker file of an earlier index is written to, and nothing outside it is
 * ever written or deleted. The files go in place (no sibling staging folder: that would write
 * beside the folder); the marker is written first, so a run that fails half-way leaves a folder
 * the next run may replace; files of the earlier index that this one lacks are removed last.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs'
import * as path from 'node:path'
import { INDEX_MARKER, INDEX_MARKER_CONTENT, isContainedPath } from '../render/paths.js'

/** A folder the index must not be written to; the message names it and says what to do. */
export class IndexFolderRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IndexFolderRefused'
  }
}

type FolderState = 'missing' | 'empty' | 'index'

/** What the folder is now; throws IndexFolderRefused for anything but missing, empty or an index. */
export function checkIndexFolder(folder: string): FolderState {
  let isDirectory: boolean
  try {
    isDirectory = statSync(folder).isDirectory()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (lstatExists(folder)) throw new IndexFolderRefused(`the index folder ${folder} is a link to a missing path; choose another folder`)
      return 'missing'
    }
    throw error
  }
  if (!isDirectory) throw new IndexFolderRefused(`the index folder ${folder} is a file, not a folder; choose a missing or empty folder`)
  const entries = readdirSync(folder)
  if (entries.length === 0) return 'empty'
  if (entries.includes(INDEX_MARKER) && lstatSync(path.join(folder, INDEX_MARKER)).isFile()) return 'index'
  throw new IndexFolderRefused(
    `the index folder ${folder} is not empty and holds no ${INDEX_MARKER} file, so it is not an index written ` +
      'by backage-action; nothing was written or deleted. Choose a missing or empty folder.'
  )
}

function lstatExists(file: string): boolean {
  try {
    lstatSync(file)
    return true
  } catch {
    return false
  }
}

/** Every file (and link) below `root`, relative and `/`-separated; links are never followed. */
function listFiles(root: string, dir = ''): string[] {
  const out: string[] = []
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = dir === '' ? entry.name : `${dir}/${entry.name}`
    if (entry.isDirectory()) out.push(...listFiles(root, relative))
    else out.push(relative)
  }
  return out
}

/**
 * Writes `files` as the whole content of `folder` (see the module comment). Returns how many files
 * were written and how many of the earlier index were removed.
 */
export function writeIndexFolder(
  folder: string,
  files: Iterable<readonly [string, string | Uint8Array]>
): { written: number; removed: number } {
  const state = checkIndexFolder(folder)
  if (state === 'missing') mkdirSync(folder, { recursive: true })
  const before = state === 'index' ? new Set(listFiles(folder)) : new Set<string>()
  const written = new Set<string>()
  const checkedDirs = new Set<string>([''])

  // A folder of the earlier index may have been replaced by a link: never write through one.
  const ensureDir = (relativeDir: string): void => {
    if (checkedDirs.has(relativeDir)) return
    ensureDir(path.posix.dirname(relativeDir) === '.' ? '' : path.posix.dirname(relativeDir))
    const full = path.join(folder, relativeDir)
    if (lstatExists(full) && !lstatSync(full).isDirectory()) unlinkSync(full) // a file or link of the earlier index
    if (!lstatExists(full)) mkdirSync(full)
    checkedDirs.add(relativeDir)
  }
  const write = (name: string, content: string | Uint8Array): void => {
    if (!isContainedPath(name)) throw new Error(`refusing a path outside the index folder: ${JSON.stringify(name)}`)
    const dir = path.posix.dirname(name)
    ensureDir(dir === '.' ? '' : dir)
    const full = path.join(folder, name)
    // A folder or link of the earlier index where a file goes now (links are removed, never followed).
    if (lstatExists(full) && !lstatSync(full).isFile()) rmSync(full, { recursive: true, force: true })
    // O_NOFOLLOW: a link planted where a file goes is an error, never a write elsewhere.
    const fd = openSync(full, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644)
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset)
    } finally {
      closeSync(fd)
    }
    written.add(name)
  }

  write(INDEX_MARKER, INDEX_MARKER_CONTENT)
  for (const [name, content] of files) if (name !== INDEX_MARKER) write(name, content)

  let removed = 0
  const emptied = new Set<string>()
  for (const name of before) {
    // A file or link of the earlier index may now be a folder of this one.
    if (written.has(name) || checkedDirs.has(name) || !lstatExists(path.join(folder, name))) continue
    unlinkSync(path.join(folder, name))
    removed++
    for (let dir = path.posix.dirname(name); dir !== '.'; dir = path.posix.dirname(dir)) emptied.add(dir)
  }
  // Deepest first, and only folders nothing was written to.
  for (const dir of [...emptied].sort((a, b) => b.length - a.length)) {
    if (!checkedDirs.has(dir) && readdirSync(path.join(folder, dir)).length === 0) rmdirSync(path.join(folder, dir))
  }
  return { written: written.size, removed }
}
