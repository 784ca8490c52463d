/**
 * REST endpoints about accounts and repositories (SPEC 4.1): users, organizations, memberships,
 * followers, and the stargazers, watchers and forks of the main repository.
 */
import type { Scenario } from '../scenario.js'
import { findAccount, findRepo, followersOf, nodeId, orgsOf, type Account, type Repo } from './accounts.js'
import { decodeSegment, jsonReply, notFoundJson, rawSegments, DOCS, type BaseUrls, type FakeRequest, type Reply } from './exchange.js'
import { paginate } from './paginate.js'

/** Routes `/api/...` account and repository reads; null when the path is not one of them. */
export function restAccounts(request: FakeRequest, scenario: Scenario, urls: BaseUrls): Reply | null {
  if (request.method !== 'GET') return null
  const segments = rawSegments(request.route).slice(1) // drop "api"
  const [head, login, sub, extra] = segments.map((segment) => decodeSegment(segment) ?? '')
  if (head === 'users' && login !== undefined && extra === undefined) {
    const account = findAccount(scenario, login)
    if (!account) return notFoundJson()
    if (sub === undefined) return jsonReply(200, accountJson(account, scenario, urls, true))
    if (sub === 'orgs') return list(request, orgsOf(scenario, account).map((org) => orgSummaryJson(org, urls)))
    if (sub === 'followers') return list(request, followersOf(scenario, account).map((f) => accountJson(f, scenario, urls, false)))
    return null
  }
  if (head === 'orgs' && login !== undefined && sub === undefined) {
    const account = findAccount(scenario, login)
    if (!account || account.type !== 'Organization') return notFoundJson()
    return jsonReply(200, accountJson(account, scenario, urls, true))
  }
  if (head === 'repos' && login !== undefined && sub !== undefined) {
    const repo = findRepo(scenario, login, sub)
    const listName = extra
    if (segments.length > 4) return null
    if (!repo) return listName === undefined || isRepoList(listName) ? notFoundJson() : null
    if (listName === undefined) return jsonReply(200, repoJson(repo, scenario, urls))
    if (!isRepoList(listName)) return null
    return repoList(request, repo, listName, scenario, urls)
  }
  return null
}

const REPO_LISTS = ['stargazers', 'subscribers', 'forks'] as const
type RepoList = (typeof REPO_LISTS)[number]

function isRepoList(name: string): name is RepoList {
  return (REPO_LISTS as readonly string[]).includes(name)
}

function repoList(request: FakeRequest, repo: Repo, name: RepoList, scenario: Scenario, urls: BaseUrls): Reply {
  if (name !== 'forks' && repo.isMain && scenario.restrictStarsAndWatchers) {
    return jsonReply(403, {
      message: `Must have admin rights or be a collaborator to list ${name} of this repository.`,
      documentation_url: DOCS,
      status: '403'
    })
  }
  if (!repo.isMain) return list(request, [])
  const logins = name === 'stargazers' ? scenario.stargazers : name === 'subscribers' ? scenario.watchers : scenario.forks
  const accounts = logins.map((login) => findAccount(scenario, login)).filter((a) => a !== undefined)
  if (name !== 'forks') return list(request, accounts.map((a) => accountJson(a, scenario, urls, false)))
  const forks = accounts.map((owner) => findRepo(scenario, owner.login, repo.name)).filter((r) => r !== undefined)
  return list(request, forks.map((fork) => repoJson(fork, scenario, urls)))
}

function list(request: FakeRequest, items: unknown[]): Reply {
  const page = paginate(items, request)
  return jsonReply(200, page.items, page.headers)
}

/** `GET /users/{login}` (full) or a list item (summary), with the fields clients read plus a few extras. */
export function accountJson(account: Account, scenario: Scenario, urls: BaseUrls, full: boolean): Record<string, unknown> {
  const api = `${urls.apiUrl}/users/${account.login}`
  const summary = {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `${urls.url}/avatars/u/${account.id}`,
    url: account.type === 'Organization' && full ? `${urls.apiUrl}/orgs/${account.login}` : api,
    html_url: `${urls.url}/${account.login}`,
    followers_url: `${api}/followers`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    type: account.type,
    user_view_type: 'public',
    site_admin: false
  }
  if (!full) return summary
  const packageRepos = new Set((account.owner?.packages ?? []).map((p) => p.repo).filter((r) => r !== null))
  return {
    ...summary,
    name: account.login,
    company: null,
    blog: '',
    location: null,
    bio: null,
    public_repos: packageRepos.size,
    followers: followersOf(scenario, account).length,
    following: 0,
    created_at: '2015-03-14T09:26:53Z',
    updated_at: `${scenario.today}T00:00:00Z`
  }
}

function orgSummaryJson(org: Account, urls: BaseUrls): Record<string, unknown> {
  const api = `${urls.apiUrl}/orgs/${org.login}`
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url: api,
    repos_url: `${api}/repos`,
    avatar_url: `${urls.url}/avatars/u/${org.id}`,
    description: null
  }
}

function repoJson(repo: Repo, scenario: Scenario, urls: BaseUrls): Record<string, unknown> {
  const fullName = `${repo.owner.login}/${repo.name}`
  const stars = repo.isMain ? scenario.stargazers.length : 0
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: fullName,
    private: false,
    owner: {
      login: repo.owner.login,
      id: repo.owner.id,
      node_id: nodeId(repo.owner.type, repo.owner.id),
      type: repo.owner.type,
      html_url: `${urls.url}/${repo.owner.login}`
    },
    html_url: `${urls.url}/${fullName}`,
    url: `${urls.apiUrl}/repos/${fullName}`,
    fork: repo.isFork,
    default_branch: 'main',
    stargazers_count: stars,
    watchers_count: stars, // GitHub's legacy alias of stargazers_count
    subscribers_count: repo.isMain ? scenario.watchers.length : 0,
    forks_count: repo.isMain ? scenario.forks.length : 0
  }
}
