/**
 * Owner discovery (SPEC 4.1): who stars, watches or forks the repository, who follows its owner, and
 * the visible organizations of those users. Every login found is an edge; an owner seen through
 * several sources ranks higher in the queue. Discovery is best effort: a restricted or failing source
 * is reported and skipped, and the run goes on with what was found.
 *
 * Logins in API answers are strangers' data (SPEC 12): one that is not a valid login is dropped (one
 * notice with a count), and an owner resolved to an id that is not a safe integer > 0 stays unresolved.
 */
import type { OwnerInfo } from '../ports.js'
import { GraphQLError, ApiError } from '../github/api-errors.js'
import { ownerInfoOf, type GitHubApi } from '../github/octokit.js'
import { BudgetExhausted } from '../github/http.js'
import { errorMessage } from '../log.js'
import { isLogin } from '../package-ref.js'
import { isId } from '../domain/storable-refresh.js'

export type DiscoverySource = 'stargazers' | 'watchers' | 'forks' | 'followers'
/** Why a login was discovered: a source, or `orgs` for an organization of a discovered user. */
export type DiscoveryEdge = DiscoverySource | 'orgs'

export interface DiscoverOptions {
  owner: string
  repo: string
  sources: DiscoverySource[]
  log: { notice(message: string): void; info(message: string): void }
  signal?: AbortSignal
}

type DiscoveryApi = Pick<GitHubApi, 'graphql' | 'restList' | 'getOwner'>

interface Connection<N> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  nodes: (N | null)[]
}

/** GraphQL aliases per query when resolving logins (GitHub's node limits stay far away). */
export const OWNERS_PER_QUERY = 50
const PAGE_SIZE = 100

const REPOSITORY_CONNECTION = {
  stargazers: 'stargazers(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { login } }',
  watchers: 'watchers(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { login } }',
  forks: 'forks(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { owner { login } } }'
} as const

const FOLLOWERS_QUERY = `query($login: String!, $after: String) {
  user(login: $login) { followers(first: ${PAGE_SIZE}, after: $after) { pageInfo { hasNextPage endCursor } nodes { login } } }
}`

const OWNER_TYPE_QUERY = 'query($login: String!) { repositoryOwner(login: $login) { __typename login } }'

/** Every node of a GraphQL connection, page by page. */
async function allNodes<N>(
  api: DiscoveryApi,
  query: string,
  variables: Record<string, unknown>,
  connectionOf: (data: unknown) => Connection<N> | null | undefined,
  signal?: AbortSignal
): Promise<N[] | null> {
  const nodes: N[] = []
  let after: string | null = null
  for (;;) {
    const data = await api.graphql<unknown>(query, { ...variables, after }, signal)
    const connection = connectionOf(data)
    if (!connection) return nodes.length > 0 ? nodes : null
    for (const node of connection.nodes) if (node) nodes.push(node)
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return nodes
    after = connection.pageInfo.endCursor
  }
}

function isRestricted(error: unknown): boolean {
  if (error instanceof GraphQLError) return error.errors.some((e) => e.type === 'FORBIDDEN')
  return error instanceof ApiError && error.status === 403
}

/** Errors that end discovery (the run stops or has no budget): everything else skips one source. */
function endsDiscovery(error: unknown, signal?: AbortSignal): boolean {
  return error instanceof BudgetExhausted || signal?.aborted === true
}


async function repositoryLogins(
  api: DiscoveryApi,
  source: 'stargazers' | 'watchers' | 'forks',
  options: DiscoverOptions
): Promise<string[] | null> {
  const query = `query($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) { ${REPOSITORY_CONNECTION[source]} }
}`
  type Data = { repository?: Record<string, Connection<{ login?: string; owner?: { login: string } }> | null> | null }
  const nodes = await allNodes(
    api,
    query,
    { owner: options.owner, name: options.repo },
    (data) => (data as Data).repository?.[source],
    options.signal
  )
  if (nodes === null) return null
  return nodes.map((node) => node.owner?.login ?? node.login).filter((login): login is string => !!login)
}

/** Followers of the owner: GraphQL for a user; organizations have no GraphQL followers, so REST. */
async function followerLogins(api: DiscoveryApi, owner: string, signal?: AbortSignal): Promise<string[]> {
  const { repositoryOwner } = await api.graphql<{ repositoryOwner: { __typename: string } | null }>(
    OWNER_TYPE_QUERY,
    { login: owner },
    signal
  )
  if (repositoryOwner?.__typename === 'Organization') {
    const followers = await api.restList<{ login: string }>(`/users/${encodeURIComponent(owner)}/followers`, signal)
    return followers.map((follower) => follower.login)
  }
  type Data = { user?: { followers?: Connection<{ login: string }> } | null }
  const nodes = await allNodes(api, FOLLOWERS_QUERY, { login: owner }, (data) => (data as Data).user?.followers, signal)
  return (nodes ?? []).map((node) => node.login)
}

/** The partial data of a GraphQL answer whose only errors are missing logins. */
async function graphqlAllowingNotFound<T>(
  api: DiscoveryApi,
  query: string,
  variables: Record<string, unknown>,
  signal?: AbortSignal
): Promise<T> {
  try {
    return await api.graphql<T>(query, variables, signal)
  } catch (error) {
    if (error instanceof GraphQLError && error.onlyOfTypes('NOT_FOUND') && error.data) return error.data as T
    throw error
  }
}

/** Batched query over logins: `o0: repositoryOwner(login: $l0) { FIELDS }`, logins passed as variables. */
function batchQuery(count: number, fields: string): string {
  const params = Array.from({ length: count }, (_, i) => `$l${i}: String!`).join(', ')
  const aliases = Array.from({ length: count }, (_, i) => `o${i}: repositoryOwner(login: $l${i}) { ${fields} }`).join('\n  ')
  return `query(${params}) {\n  ${aliases}\n}`
}

function batchVariables(logins: string[]): Record<string, string> {
  return Object.fromEntries(logins.map((login, i) => [`l${i}`, login]))
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = []
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size))
  return result
}

/** Visible organizations of the given users (organizations among the logins answer nothing). */
async function organizationsOf(api: DiscoveryApi, logins: string[], signal?: AbortSignal): Promise<string[]> {
  const orgs: string[] = []
  const fields = `... on User { organizations(first: ${PAGE_SIZE}) { nodes { login } } }`
  for (const batch of chunks(logins, OWNERS_PER_QUERY)) {
    type Data = Record<string, { organizations?: { nodes: ({ login: string } | null)[] } } | null>
    const data = await graphqlAllowingNotFound<Data>(api, batchQuery(batch.length, fields), batchVariables(batch), signal)
    for (const owner of Object.values(data)) {
      for (const org of owner?.organizations?.nodes ?? []) if (org) orgs.push(org.login)
    }
  }
  return orgs
}

/**
 * Logins found through the chosen sources, each with the set of edges pointing at it. Ends early
 * (returning what was found) when the signal aborts or an API budget runs out.
 */
export async function discoverOwners(api: DiscoveryApi, options: DiscoverOptions): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>()
  const invalid = new Set<string>()
  const add = (login: string, edge: DiscoveryEdge): void => {
    if (typeof login !== 'string' || !isLogin(login)) {
      invalid.add(String(login))
      return
    }
    const edges = found.get(login) ?? new Set<string>()
    edges.add(edge)
    found.set(login, edges)
  }
  const { log, signal } = options
  const restricted: string[] = []

  const gather = async (source: DiscoverySource, read: () => Promise<string[] | null>): Promise<boolean> => {
    try {
      const logins = await read()
      if ((source === 'stargazers' || source === 'watchers') && (logins === null || logins.length === 0)) {
        restricted.push(source)
        return true
      }
      for (const login of logins ?? []) add(login, source)
      return true
    } catch (error) {
      if (endsDiscovery(error, signal)) {
        log.notice(`discovery stopped early at ${source}: ${errorMessage(error)}`)
        return false
      }
      if ((source === 'stargazers' || source === 'watchers') && isRestricted(error)) {
        restricted.push(source)
        return true
      }
      log.notice(`discovery from ${source} skipped: ${errorMessage(error)}`)
      return true
    }
  }

  let going = true
  for (const source of ['stargazers', 'watchers', 'forks'] as const) {
    if (going && options.sources.includes(source)) going = await gather(source, () => repositoryLogins(api, source, options))
  }
  if (going && options.sources.includes('followers')) {
    going = await gather('followers', () => followerLogins(api, options.owner, signal))
  }
  if (restricted.length > 0) {
    // One notice for both lists: since 2026 GitHub shows them only to admins and collaborators.
    log.notice(
      `${restricted.join(' and ')} of ${options.owner}/${options.repo} could not be read (restricted to collaborators, or empty); discovery goes on with the other sources`
    )
  }

  if (going && found.size > 0) {
    try {
      for (const org of await organizationsOf(api, [...found.keys()], signal)) add(org, 'orgs')
    } catch (error) {
      log.notice(`discovery of organizations skipped: ${errorMessage(error)}`)
    }
  }

  if (invalid.size > 0) {
    const examples = [...invalid].slice(0, 3).map((login) => JSON.stringify(login.slice(0, 60)))
    log.notice(`discovery: ${invalid.size} answer(s) were not valid logins and were skipped (${examples.join(', ')})`)
  }

  const counts = new Map<string, number>()
  for (const edges of found.values()) for (const edge of edges) counts.set(edge, (counts.get(edge) ?? 0) + 1)
  const summary = [...counts].map(([edge, count]) => `${edge} ${count}`).join(', ')
  log.info(`discovered ${found.size} owners${summary ? ` (${summary})` : ''}`)
  return found
}

/**
 * Ids and types of logins, up to 50 per GraphQL query; null for logins GitHub does not know. A batch
 * whose query fails for another reason is resolved through REST `/users/{login}` instead.
 */
export async function resolveOwners(
  api: DiscoveryApi,
  logins: string[],
  signal?: AbortSignal
): Promise<Map<string, OwnerInfo | null>> {
  const resolved = new Map<string, OwnerInfo | null>()
  const unique = [...new Set(logins)]
  const fields = '__typename login ... on User { databaseId } ... on Organization { databaseId }'
  for (const batch of chunks(unique, OWNERS_PER_QUERY)) {
    type Owner = { __typename: string; login: string; databaseId?: number | null } | null
    let data: Record<string, Owner> | null = null
    try {
      data = await graphqlAllowingNotFound<Record<string, Owner>>(api, batchQuery(batch.length, fields), batchVariables(batch), signal)
    } catch (error) {
      if (signal?.aborted) throw error
    }
    for (const [i, login] of batch.entries()) {
      const owner = data?.[`o${i}`]
      if (data && owner === null) {
        resolved.set(login, null)
      } else if (owner && isId(owner.databaseId) && isLogin(owner.login)) {
        resolved.set(login, ownerInfoOf({ login: owner.login, id: owner.databaseId, type: owner.__typename }))
      } else {
        const info = await api.getOwner(login, signal)
        // An answer that is not a valid login and id leaves the owner unresolved (asked again later).
        if (info === null || (isLogin(info.login) && isId(info.id))) resolved.set(login, info)
      }
    }
  }
  return resolved
}
