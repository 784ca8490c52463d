/**
 * The owners stage (SPEC 4): the repository owner, the `owners` input, `owners-file` and the
 * discovery sources go into the store with the edges that point at them; `optout-file` removes
 * what it names. Owners new to the store are resolved to ids and types in batches.
 */
import { readFileSync } from 'node:fs'
import type { Settings } from '../settings.js'
import type { WorkspaceFile } from '../workspace-file.js'
import { errorMessage, type Log } from '../log.js'
import type { GitHubApi } from '../github/octokit.js'
import type { Store } from '../store/store.js'
import { discoverOwners, resolveOwners } from './discover.js'
import { isOwnerOptedOut, parseOptOutFile, parseOwnersFile, parseOwnersInput, type OptOutRule } from './owner-files.js'

export interface OwnersStageResult {
  /** Logins asked for by hand (repository owner, input, file): they get the reserved share. */
  manual: string[]
  optOut: OptOutRule[]
  /** Bad lines of the files, each naming file and line. */
  problems: string[]
  /** Packages removed from the database by opt-outs. */
  removed: number
}

export interface OwnersStageDeps {
  settings: Settings
  api: GitHubApi
  store: Store
  log: Log
  now: () => Date
  signal: AbortSignal
}

/** The owners the run is asked for by hand and the opt-outs, read from the inputs and files (no network). */
export interface OwnerInputs {
  manual: string[]
  optOut: OptOutRule[]
  problems: string[]
  /** Where each login comes from (`self`, `input`, `file`), to which discovery adds. */
  addEdge: (login: string, source: string) => void
  edges: Map<string, Set<string>>
}

export function readOwnerInputs(settings: Settings): OwnerInputs {
  const problems: string[] = []

  const optOutFile = readWorkspaceFile(settings.optoutFile)
  const optOut = optOutFile === null ? { rules: [], errors: [] } : parseOptOutFile(optOutFile.text, optOutFile.shown)
  problems.push(...optOut.errors)

  // Manual owners: the repository owner, the input, the file (bad lines reported and skipped).
  // Logins compare case-insensitively; the first spelling seen is kept (discovery finds thousands).
  const edges = new Map<string, Set<string>>()
  const spelling = new Map<string, string>()
  const addEdge = (login: string, source: string): void => {
    const key = spelling.get(login.toLowerCase()) ?? login
    spelling.set(login.toLowerCase(), key)
    const set = edges.get(key) ?? new Set<string>()
    set.add(source)
    edges.set(key, set)
  }
  addEdge(settings.env.repositoryOwner, 'self')
  // The input was validated with the settings, so it has no errors left here.
  for (const entry of parseOwnersInput(settings.owners).owners) addEdge(entry.login, 'input')
  const ownersFile = readWorkspaceFile(settings.ownersFile)
  if (ownersFile !== null) {
    const parsed = parseOwnersFile(ownersFile.text, ownersFile.shown)
    problems.push(...parsed.errors)
    for (const entry of parsed.owners) addEdge(entry.login, 'file')
  }
  return { manual: [...edges.keys()], optOut: optOut.rules, problems, addEdge, edges }
}

export async function gatherOwners(deps: OwnersStageDeps): Promise<OwnersStageResult> {
  const { settings, api, store, log } = deps
  const at = deps.now().toISOString()
  const { manual, optOut: optOutRules, problems, addEdge, edges } = readOwnerInputs(settings)
  const optOut = { rules: optOutRules }

  if (settings.discover.length > 0 && !deps.signal.aborted) {
    try {
      const discovered = await discoverOwners(api, {
        owner: settings.env.repository.owner,
        repo: settings.env.repository.name,
        sources: settings.discover,
        log: { notice: (m) => log.notice(m), info: (m) => log.info(m) },
        signal: deps.signal
      })
      for (const [login, sources] of discovered) for (const source of sources) addEdge(login, source)
    } catch (error) {
      // Discovery widens the index; without it the known and manual owners are still refreshed.
      log.warning(`discovery failed, going on with the known owners: ${errorMessage(error)}`)
    }
  }
  for (const problem of problems) log.warning(problem)

  // Resolve ids and types only for owners the store does not know yet.
  const known = new Map(store.listOwners().map((owner) => [owner.login.toLowerCase(), owner]))
  const candidates = [...edges.keys()].filter((login) => !isOwnerOptedOut(optOut.rules, login))
  const unknown = candidates.filter((login) => {
    const stored = known.get(login.toLowerCase())
    return stored === undefined || stored.id === null || stored.type === null
  })
  const resolved = unknown.length > 0 && !deps.signal.aborted ? await resolveOwnersSafely(api, unknown, log) : new Map()
  for (const login of candidates) {
    const info = resolved.get(login)
    if (info === null) {
      if (manual.includes(login)) log.warning(`owner "${login}" does not exist on GitHub; skipped`)
      continue
    }
    store.upsertOwner({ login: info?.login ?? login, id: info?.id ?? null, type: info?.type ?? null }, at)
    store.addEdges(info?.login ?? login, edges.get(login) ?? [])
  }

  const removed = optOut.rules.length > 0 ? store.removeOptedOut(optOut.rules) : 0
  if (removed > 0) log.info(`opt-out: removed ${removed} package(s) from the database`)
  return { manual, optOut: optOut.rules, problems, removed }
}

async function resolveOwnersSafely(
  api: GitHubApi,
  logins: string[],
  log: Log
): Promise<Map<string, Awaited<ReturnType<GitHubApi['getOwner']>>>> {
  try {
    return await resolveOwners(api, logins)
  } catch (error) {
    log.warning(`could not resolve owner ids: ${errorMessage(error)}`)
    return new Map()
  }
}

/** The text of a file the settings checked (inside the workspace, a regular file); null for none. */
function readWorkspaceFile(file: WorkspaceFile | null): { text: string; shown: string } | null {
  return file === null ? null : { text: readFileSync(file.path, 'utf8'), shown: file.shown }
}
