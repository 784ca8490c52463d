/**
 * Who exists in the fake world. Owners come from the scenario; logins that only appear in edges
 * (a stargazer, a follower, an organization membership) are accounts without packages, with a stable
 * id derived from the login, as they would be on GitHub.
 */
import type { Scenario, ScenarioOwner } from '../scenario.js'
import { fnv1a, sameLogin } from './exchange.js'

export interface Account {
  login: string
  id: number
  type: 'User' | 'Organization'
  /** The scenario owner, when the account has one (packages, followers, orgs). */
  owner: ScenarioOwner | undefined
}

export interface Repo {
  owner: Account
  name: string
  id: number
  /** True for `scenario.repository`, the only repository with stargazers, watchers, forks and releases. */
  isMain: boolean
  /** A fork of the main repository (same name, owner among `scenario.forks`). */
  isFork: boolean
}

export function findAccount(scenario: Scenario, login: string): Account | undefined {
  const owner = scenario.owners.find((candidate) => sameLogin(candidate.login, login))
  if (owner) return { login: owner.login, id: owner.id, type: owner.type, owner }
  const memberOf = scenario.owners.flatMap((o) => o.orgs ?? [])
  const orgLogin = memberOf.find((candidate) => sameLogin(candidate, login))
  if (orgLogin !== undefined) return edgeAccount(orgLogin, 'Organization')
  const mentioned = [
    scenario.repository.owner,
    ...scenario.stargazers,
    ...scenario.watchers,
    ...scenario.forks,
    ...scenario.owners.flatMap((o) => o.followers ?? [])
  ].find((candidate) => sameLogin(candidate, login))
  return mentioned === undefined ? undefined : edgeAccount(mentioned, 'User')
}

function edgeAccount(login: string, type: Account['type']): Account {
  return { login, id: 50_000_000 + (fnv1a(login.toLowerCase()) % 40_000_000), type, owner: undefined }
}

/** Resolves a list of logins, dropping the unknown ones. */
export function findAccounts(scenario: Scenario, logins: readonly string[]): Account[] {
  return logins.map((login) => findAccount(scenario, login)).filter((account) => account !== undefined)
}

/** Followers are users: GitHub organizations cannot follow anyone. */
export function followersOf(scenario: Scenario, account: Account): Account[] {
  return findAccounts(scenario, account.owner?.followers ?? []).filter((follower) => follower.type === 'User')
}

export function orgsOf(scenario: Scenario, account: Account): Account[] {
  if (account.type !== 'User') return []
  return findAccounts(scenario, account.owner?.orgs ?? []).filter((org) => org.type === 'Organization')
}

/** A repository exists when it is the main one, a fork of it, or the repository of some package. */
export function findRepo(scenario: Scenario, ownerLogin: string, name: string): Repo | undefined {
  const owner = findAccount(scenario, ownerLogin)
  if (!owner) return undefined
  const main = scenario.repository
  const isMain = sameLogin(main.owner, owner.login) && sameLogin(main.name, name)
  const isFork = sameLogin(main.name, name) && scenario.forks.some((login) => sameLogin(login, owner.login))
  const packageRepo = owner.owner?.packages.find((pkg) => pkg.repo !== null && sameLogin(pkg.repo, name))?.repo
  if (!isMain && !isFork && packageRepo == null) return undefined
  const canonical = isMain || isFork ? main.name : (packageRepo ?? name)
  return { owner, name: canonical, id: repoId(owner.login, canonical), isMain, isFork: isFork && !isMain }
}

export function repoId(owner: string, name: string): number {
  return 100_000_000 + (fnv1a(`${owner.toLowerCase()}/${name.toLowerCase()}`) % 800_000_000)
}

/** GraphQL global ids in GitHub's current style (`U_kgDO...`, `O_kgDO...`, `R_kgDO...`). */
export function nodeId(kind: 'User' | 'Organization' | 'Repository', id: number): string {
  const prefix = kind === 'User' ? 'U' : kind === 'Organization' ? 'O' : 'R'
  return `${prefix}_kgDO${Buffer.from(String(id)).toString('base64url')}`
}
