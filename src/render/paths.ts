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

/** Longest encoded segment, so that `SEG.json` and `SEG.api` still fit in 255 bytes. */
export const MAX_SEGMENT_BYTES = 250

/**
 * One login, repository or package name as a path segment: `encodeURIComponent` with a leading `.`
 * written `%2E` (`.json` → `%2Ejson`, `xacc/alpine` → `xacc%2Falpine`). The result never starts with
 * `.`, never holds `/`, `\`, NUL or a control character, and is never `.`, `..` or `.git*`.
 */
export function nameSegment(name: string): string {
  if (name === '') throw new NameRefused(name)
  const encoded = encodeURIComponent(name).replace(/^\./, '%2E')
  if (encoded.length > MAX_SEGMENT_BYTES) throw new NameRefused(encoded)
  return encoded
}

/** True when every name fits (see `nameSegment`); render skips a package whose names do not. */
export function namesFit(...names: string[]): boolean {
  return names.every((name) => name !== '' && encodeURIComponent(name).replace(/^\./, '%2E').length <= MAX_SEGMENT_BYTES)
}

/** Where in the tree a file sits: the names GitHub gave us, outermost first. */
export interface IndexScope {
  owner?: string
  repo?: string
  package?: string
}

// The action's own file names: `.json`/`.xml` aggregates and marker files, `~` names, `NAME.api/…`
// below a package, and root names with a `.` in them. Never a `..` segment, never a `.git` name.
const OWN_FILE = /^(?:\.json|\.xml|\.nojekyll|\.backage-index|~?[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)$/
const PACKAGE_SUFFIX = /^(?:\.json|\.xml|\.api\/[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)$/

/**
 * The path of one index file, relative and `/`-separated. `file` is chosen by the action, never by
 * GitHub: at package scope it is a suffix of the package's segment (`.json`, `.xml`, `.api/badges/day.json`);
 * elsewhere a file inside the scope's folder (`.json`, `~history.json`, `~badges/downloads.svg`, `list.json`).
 * Throws `NameRefused` for a name that does not fit, and a plain Error for a bad `file` (a bug).
 */
export function indexPath(scope: IndexScope, file: string): string {
  if (scope.package !== undefined) {
    if (scope.owner === undefined || scope.repo === undefined) throw new Error('indexPath: a package needs its owner and repo')
    if (!PACKAGE_SUFFIX.test(file) || file.includes('..')) throw new Error(`indexPath: not a package file suffix: ${file}`)
    return `${nameSegment(scope.owner)}/${nameSegment(scope.repo)}/${nameSegment(scope.package)}${file}`
  }
  if (!OWN_FILE.test(file) || file.split('/').some((part) => part === '..' || part.toLowerCase().startsWith('.git'))) {
    throw new Error(`indexPath: not an index file name: ${file}`)
  }
  if (scope.repo !== undefined) {
    if (scope.owner === undefined) throw new Error('indexPath: a repo needs its owner')
    return `${nameSegment(scope.owner)}/${nameSegment(scope.repo)}/${file}`
  }
  if (scope.owner !== undefined) return `${nameSegment(scope.owner)}/${file}`
  return file
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
