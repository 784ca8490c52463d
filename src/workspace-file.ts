/**
 * Where an input names a file of the workspace (`owners-file`, `optout-file`; SPEC 12), and the
 * custom index README `.backage/README.md`: it must
 * resolve, symbolic links followed, inside GITHUB_WORKSPACE and be a regular file. A missing file
 * is fine (no entries). Anything else is refused with the input named, before any network call,
 * so `../../etc/passwd` or a link to it is never read, let alone echoed into a log or summary.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs'
import * as path from 'node:path'

/** A file an input named: its real path, and how logs show it (the input's own spelling). */
export interface WorkspaceFile {
  path: string
  shown: string
}

export type WorkspaceFileResult = { ok: true; file: WorkspaceFile | null } | { ok: false; problem: string }

function inside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

function realOrNull(target: string): string | null {
  try {
    return realpathSync(target)
  } catch {
    return null
  }
}

/** The nearest existing folder at or above `target`, resolved; null when nothing exists. */
function realAncestor(target: string): string | null {
  for (let dir = target; ; dir = path.dirname(dir)) {
    const real = realOrNull(dir)
    if (real !== null) return real
    if (path.dirname(dir) === dir) return null
  }
}

/**
 * Resolves `value` (as the input gave it) against `workspace`; see the module comment. `what` names
 * it in a problem (`input "owners-file"`).
 */
export function resolveWorkspaceFile(workspace: string, what: string, value: string): WorkspaceFileResult {
  const refuse = (why: string): WorkspaceFileResult => ({
    ok: false,
    problem: `${what} is "${value}": ${why}; expected a file inside the workspace (${workspace}), or none`
  })
  const target = path.resolve(workspace, value)
  if (!inside(workspace, target)) return refuse('it is outside the workspace')
  const realWorkspace = realOrNull(workspace) ?? workspace
  let exists = true
  try {
    lstatSync(target)
  } catch {
    exists = false
  }
  if (!exists) {
    // Missing: nothing is read, but a folder on the way must not lead out of the workspace either.
    const ancestor = realAncestor(target)
    if (ancestor !== null && realOrNull(workspace) !== null && !inside(realWorkspace, ancestor)) {
      return refuse('a folder on its path leads outside the workspace')
    }
    return { ok: true, file: null }
  }
  const real = realOrNull(target)
  if (real === null) return refuse('it is a link to a missing path')
  if (!inside(realWorkspace, real)) return refuse(`it leads outside the workspace (to ${real})`)
  if (!statSync(real).isFile()) return refuse('it is not a regular file (a folder or a device)')
  return { ok: true, file: { path: real, shown: path.relative(workspace, target) || value } }
}
