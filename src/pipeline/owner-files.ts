/**
 * The owner lists a user writes by hand (SPEC 4.2): `owners.txt`, the `owners` input and
 * `optout.txt`. Pure: text in, entries and readable errors out. A bad line is reported and skipped,
 * never fatal, so one typo does not stop the index.
 */
import type { OptOutRule } from '../types.js'
import { isLogin, isRepoName } from '../package-ref.js'

/** A package name with `/` inside, as the folder of a package without a repository. */
const PACKAGE_FOLDER = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)+$/

export interface OwnerEntry {
  login: string
  /** The numeric id when the line was `id/login` (survives a rename). */
  id?: number
}

export interface OwnerList {
  owners: OwnerEntry[]
  errors: string[]
}

export type { OptOutRule }

export interface OptOutList {
  rules: OptOutRule[]
  errors: string[]
}

/** `owners.txt`: one login or `id/login` per line, `#` comments, blank lines ignored. */
export function parseOwnersFile(text: string, fileName: string): OwnerList {
  return parseOwnerItems(
    splitLines(text).map(({ value, line }) => ({ value, where: `${fileName}:${line}` }))
  )
}

/** The `owners` input: one per line or comma-separated (comments allowed as in the file). */
export function parseOwnersInput(value: string): OwnerList {
  const items: { value: string; where: string }[] = []
  for (const { value: lineValue } of splitLines(value)) {
    for (const part of lineValue.split(',')) {
      const item = part.trim()
      if (item !== '') items.push({ value: item, where: 'input "owners"' })
    }
  }
  return parseOwnerItems(items)
}

/** `optout.txt`: `owner`, `owner/repo` or `owner/repo/package` per line. */
export function parseOptOutFile(text: string, fileName: string): OptOutList {
  const rules: OptOutRule[] = []
  const errors: string[] = []
  for (const { value, line } of splitLines(text)) {
    const rule = parseOptOutLine(value)
    if (rule) rules.push(rule)
    else
      errors.push(
        `${fileName}:${line}: "${value}" is not an opt-out entry (expected owner, owner/repo or owner/repo/package)`
      )
  }
  return { rules, errors }
}

/**
 * Whether a package is opted out. Owners and repositories compare case-insensitively (GitHub treats
 * them so); a package without a repository is published under its own name as the repo folder
 * (SPEC 6.1), so `owner/package` also names it.
 */
export function isOptedOut(
  rules: readonly OptOutRule[],
  pkg: { owner: string; repo: string | null; name: string }
): boolean {
  const owner = pkg.owner.toLowerCase()
  const repoFolder = (pkg.repo ?? pkg.name).toLowerCase()
  return rules.some((rule) => {
    if (rule.owner.toLowerCase() !== owner) return false
    if (rule.repo === undefined) return true
    if (rule.repo.toLowerCase() !== repoFolder) return false
    // Package names compare case-insensitively too, as the store's deletion does.
    return rule.package === undefined || rule.package.toLowerCase() === pkg.name.toLowerCase()
  })
}

/** Whether a whole owner is opted out (no listing is read for it). */
export function isOwnerOptedOut(rules: readonly OptOutRule[], owner: string): boolean {
  const login = owner.toLowerCase()
  return rules.some((rule) => rule.repo === undefined && rule.owner.toLowerCase() === login)
}

// ---- helpers ----

/** Non-blank lines with comments removed, numbered from 1 as an editor shows them. */
function splitLines(text: string): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const hash = raw.indexOf('#')
    const value = (hash >= 0 ? raw.slice(0, hash) : raw).trim()
    if (value !== '') out.push({ value, line: index + 1 })
  })
  return out
}

function parseOwnerItems(items: { value: string; where: string }[]): OwnerList {
  const owners: OwnerEntry[] = []
  const errors: string[] = []
  const seen = new Set<string>()
  for (const { value, where } of items) {
    const entry = parseOwnerEntry(value)
    if (!entry) {
      errors.push(`${where}: "${value}" is not a GitHub login (expected login or id/login)`)
      continue
    }
    // Logins are case-insensitive: the first spelling wins, a repeat is not an error.
    const key = entry.login.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    owners.push(entry)
  }
  return { owners, errors }
}

function parseOwnerEntry(value: string): OwnerEntry | null {
  const slash = value.indexOf('/')
  if (slash < 0) return isLogin(value) ? { login: value } : null
  const idText = value.slice(0, slash).trim()
  const login = value.slice(slash + 1).trim()
  if (!/^[1-9][0-9]{0,15}$/.test(idText) || !isLogin(login)) return null
  return { login, id: Number(idText) }
}

function parseOptOutLine(value: string): OptOutRule | null {
  const [owner, repo, ...packageParts] = value.split('/').map((part) => part.trim())
  if (owner === undefined || !isLogin(owner)) return null
  if (repo === undefined) return { owner }
  // The repo folder of a package without a repository is its name in URL form (`xacc%2Falpine`).
  const folder = decodeSegment(repo)
  if (folder === null || !(isRepoName(repo) || PACKAGE_FOLDER.test(folder))) return null
  if (packageParts.length === 0) return { owner, repo: folder }
  // A package name may itself hold `/`, written plainly or in its URL form `%2F`.
  const rawPackage = packageParts.join('/')
  let name: string
  try {
    name = decodeURIComponent(rawPackage)
  } catch {
    return null
  }
  if (name === '' || name.startsWith('/') || name.endsWith('/')) return null
  return { owner, repo: folder, package: name }
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}
