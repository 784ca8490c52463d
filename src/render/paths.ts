/**
 * The one path builder of the index (SPEC 6.4): every file the action writes to the index branch or
 * a dry-run folder gets its path here, so no name GitHub gave us can escape the tree, collide with
 * the action's own files, or make a tree `git fsck --strict` rejects. Pure.
 */

/** A name whose encoded segment does not fit a file name (SPEC 6.4: over 250 bytes). */
export class NameRefused extends Error {
  constructor(readonly value: string) {
    super(`name is too long for a file name (${Buffer.byteLength(value, 'utf8')} bytes encoded, at most 250): ${value.slice(0, 80)}…`)
    this.name = 'NameRefused'
  }
}

/**
 * The marker file every index commit and dry-run folder carries at its root: a branch or folder is
 * overwritten only when it holds it (SPEC 12), so a run never replaces what it did not write.
 */
export const INDEX_MARKER = '.backage-index'

/** The marker's content: fixed, so an unchanged index pushes nothing. */
export const INDEX_MARKER_CONTENT =
  'This index was written by backage-action. A run replaces a branch or folder only when this file is in it.\n'

/** Longest encoded segment, so that `SEG.json` and `SEG.api` still fit in 255 bytes. */
export const MAX_SEGMENT_BYTES = 250

/**
 * One login, repository or package name as a path segment: `encodeURIComponent` with a leading `.`
 * written `%2E` (`.json` → `%2Ejson`, `xacc/alpine` → `xacc%2Falpine`) and `~` written `%7E`. The result
 * never starts with `.` or `~`, never holds `/`, `\`, NUL or a control character, and is never `.`,
 * `..`, `.git*` or `git~1`.
 */
export function nameSegment(name: string): string {
  if (name === '') throw new NameRefused(name)
  const encoded = encodeSegment(name)
  if (encoded.length > MAX_SEGMENT_BYTES) throw new NameRefused(encoded)
  return encoded
}

// `~` is in no GitHub name, but written `%7E` it can never make one of the action's `~` names nor
// an NTFS short name git refuses (`git~1`, `gi7eba~1`); a leading `.` becomes `%2E` (SPEC 6.4).
function encodeSegment(name: string): string {
  return encodeURIComponent(name).replace(/^\./, '%2E').replace(/~/g, '%7E')
}

/** True when every name fits (see `nameSegment`); render skips a package whose names do not. */
export function namesFit(...names: string[]): boolean {
  return names.every((name) => name !== '' && encodeSegment(name).length <= MAX_SEGMENT_BYTES)
}

/** Where in the tree a file sits: the names GitHub gave us, outermost first. */
export interface IndexScope {
  owner?: string
  repo?: string
  package?: string
}

// The action's own file names (SPEC 6.4): each part is `[A-Za-z0-9_-][A-Za-z0-9._-]*`, so never `.`,
// `..` or `.git*`. Which names a scope may hold is chosen so none can equal a segment of a name:
// owner and repo folders hold `.json`/`.xml` and `~` names (`~` is in no GitHub name); the root also
// holds the two marker files and names whose first part has a `.` (logins have none); a package
// holds suffixes of its own segment (`.json`, `.xml`, `.api/…`; no package file can end in `.api`).
const PART = '[A-Za-z0-9_-][A-Za-z0-9._-]*'
const MORE = `(?:/${PART})*`
const FOLDER_FILE = new RegExp(`^(?:\\.json|\\.xml|~${PART}${MORE})$`)
const ROOT_FILE = new RegExp(`^(?:\\.json|\\.xml|\\.nojekyll|\\.backage-index|~${PART}${MORE}|[A-Za-z0-9_-]+\\.[A-Za-z0-9._-]*${MORE})$`)
const PACKAGE_SUFFIX = new RegExp(`^(?:\\.json|\\.xml|\\.api/${PART}${MORE})$`)

/**
 * The path of one index file, relative and `/`-separated. `file` is chosen by the action, never by
 * GitHub: at package scope it is a suffix of the package's segment (`.json`, `.xml`, `.api/badges/day.json`);
 * at owner or repo scope `.json`, `.xml` or a `~` name (`~history.json`, `~badges/downloads.svg`); at
 * the root also `.nojekyll`, `.backage-index` and names with a `.` (`README.md`, `list.json`).
 * Throws `NameRefused` for a name that does not fit, and a plain Error for a bad `file` (a bug).
 */
export function indexPath(scope: IndexScope, file: string): string {
  const refuse = (what: string): never => {
    throw new Error(`indexPath: not ${what}: ${JSON.stringify(file)}`)
  }
  if (scope.package !== undefined) {
    if (scope.owner === undefined || scope.repo === undefined) throw new Error('indexPath: a package needs its owner and repo')
    if (!PACKAGE_SUFFIX.test(file)) refuse('a package file suffix')
    return `${nameSegment(scope.owner)}/${nameSegment(scope.repo)}/${nameSegment(scope.package)}${file}`
  }
  if (scope.repo !== undefined) {
    if (scope.owner === undefined) throw new Error('indexPath: a repo needs its owner')
    if (!FOLDER_FILE.test(file)) refuse('a repo folder file')
    return `${nameSegment(scope.owner)}/${nameSegment(scope.repo)}/${file}`
  }
  if (scope.owner !== undefined) {
    if (!FOLDER_FILE.test(file)) refuse('an owner folder file')
    return `${nameSegment(scope.owner)}/${file}`
  }
  if (!ROOT_FILE.test(file)) refuse('a root file')
  return file
}

/**
 * True for a relative `/`-separated path that stays inside the folder it is written to: no empty,
 * `.`, `..` or `.git*` part, no `\`, NUL or control character. The writers (git, dry-run folder)
 * check every path with it, as a second fence behind `indexPath`.
 */
export function isContainedPath(relativePath: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (relativePath === '' || /[\\\x00-\x1f\x7f]/.test(relativePath)) return false
  return relativePath.split('/').every((part) => {
    const lower = part.toLowerCase()
    return part !== '' && part !== '.' && part !== '..' && !lower.startsWith('.git') && !/^git~\d/.test(lower)
  })
}

/**
 * The base every URL the action prints is built on (SPEC 10): raw.githubusercontent.com on
 * github.com, else `SERVER/OWNER/REPO/raw/BRANCH` (GitHub Enterprise, a local fake).
 */
export function rawBaseUrl(serverUrl: string, owner: string, repo: string, branch: string): string {
  const server = serverUrl.replace(/\/+$/, '')
  const where = `${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`
  const ref = branch.split('/').map(encodeURIComponent).join('/')
  return isGitHubCom(server) ? `https://raw.githubusercontent.com/${where}/${ref}` : `${server}/${where}/raw/${ref}`
}

/** True when GITHUB_SERVER_URL is github.com itself (not GitHub Enterprise, not a local fake). */
export function isGitHubCom(serverUrl: string): boolean {
  return new URL(serverUrl).host.toLowerCase() === 'github.com'
}

/** The URL of an index file: each `%` of its path written `%25` (`tools%2Fcli.json` → `tools%252Fcli.json`). */
export function indexFileUrl(rawBase: string, indexRelativePath: string): string {
  return `${rawBase}/${indexRelativePath.replace(/%/g, '%25')}`
}
