/**
 * GraphQL at `/api/graphql`, executed by graphql-js over a small schema shaped like GitHub's: the
 * owner, follower, organization, stargazer, watcher and fork connections used by discovery (SPEC 4.1).
 * Errors carry GitHub's top-level `type` (`NOT_FOUND`, `FORBIDDEN`, ...).
 */
import { buildSchema, graphql, GraphQLError, type GraphQLSchema } from 'graphql'
import type { Scenario } from '../scenario.js'
import { findAccount, findAccounts, findRepo, followersOf, nodeId, orgsOf, type Account, type Repo } from './accounts.js'
import { jsonReply, type BaseUrls, type Reply } from './exchange.js'
import type { RateState } from './rate-limit.js'

const SDL = /* GraphQL */ `
  scalar DateTime
  scalar URI

  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

  interface RepositoryOwner { id: ID! login: String! url: URI! }

  type User implements RepositoryOwner {
    id: ID!
    databaseId: Int
    login: String!
    name: String
    url: URI!
    followers(first: Int, after: String): FollowerConnection!
    organizations(first: Int, after: String): OrganizationConnection!
  }

  type Organization implements RepositoryOwner {
    id: ID!
    databaseId: Int
    login: String!
    name: String
    url: URI!
  }

  type Repository {
    id: ID!
    databaseId: Int
    name: String!
    nameWithOwner: String!
    url: URI!
    owner: RepositoryOwner!
    isFork: Boolean!
    stargazerCount: Int!
    forkCount: Int!
    stargazers(first: Int, after: String): StargazerConnection
    watchers(first: Int, after: String): UserConnection
    forks(first: Int, after: String): RepositoryConnection!
  }

  type UserEdge { cursor: String! node: User }
  type OrganizationEdge { cursor: String! node: Organization }
  type RepositoryEdge { cursor: String! node: Repository }
  type StargazerEdge { cursor: String! node: User! }

  type FollowerConnection { totalCount: Int! pageInfo: PageInfo! nodes: [User] edges: [UserEdge] }
  type UserConnection { totalCount: Int! pageInfo: PageInfo! nodes: [User] edges: [UserEdge] }
  type OrganizationConnection { totalCount: Int! pageInfo: PageInfo! nodes: [Organization] edges: [OrganizationEdge] }
  type RepositoryConnection { totalCount: Int! pageInfo: PageInfo! nodes: [Repository] edges: [RepositoryEdge] }
  type StargazerConnection { totalCount: Int! pageInfo: PageInfo! nodes: [User!]! edges: [StargazerEdge] }

  type RateLimit { limit: Int! cost: Int! remaining: Int! used: Int! resetAt: DateTime! nodeCount: Int! }

  type Query {
    repositoryOwner(login: String!): RepositoryOwner
    user(login: String!): User
    organization(login: String!): Organization
    repository(owner: String!, name: String!, followRenames: Boolean): Repository
    rateLimit(dryRun: Boolean): RateLimit
  }
`

let schema: GraphQLSchema | undefined

interface Context {
  scenario: Scenario
  urls: BaseUrls
  /** The rate-limit state after this query was counted. */
  rate: RateState
}

interface ConnectionArgs {
  first?: number | null
  after?: string | null
}

/** Executes one `POST /api/graphql` body. Always HTTP 200 once the JSON parses, as GitHub does. */
export async function executeGraphql(body: Buffer, context: Context): Promise<Reply> {
  let request: { query?: unknown; variables?: unknown; operationName?: unknown }
  try {
    request = JSON.parse(body.toString('utf8')) as typeof request
  } catch {
    return jsonReply(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' })
  }
  if (typeof request.query !== 'string') {
    return jsonReply(200, { errors: [{ message: 'A query attribute must be specified and must be a string.' }] })
  }
  schema ??= buildSchema(SDL)
  const result = await graphql({
    schema,
    source: request.query,
    rootValue: rootValue(context),
    contextValue: context,
    variableValues: isRecord(request.variables) ? request.variables : undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined
  })
  const errors = result.errors?.map((error) => ({
    ...(typeof error.extensions.type === 'string' ? { type: error.extensions.type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message
  }))
  return jsonReply(200, { ...('data' in result ? { data: result.data } : {}), ...(errors ? { errors } : {}) })
}

function rootValue(ctx: Context) {
  const { scenario } = ctx
  return {
    // Like GitHub: an unknown login is a plain null here, but NOT_FOUND on user/organization/repository.
    repositoryOwner: ({ login }: { login: string }) => {
      const account = findAccount(scenario, login)
      return account ? ownerNode(ctx, account) : null
    },
    user: ({ login }: { login: string }) => {
      const account = findAccount(scenario, login)
      if (account?.type !== 'User') throw notFound(`Could not resolve to a User with the login of '${login}'.`)
      return ownerNode(ctx, account)
    },
    organization: ({ login }: { login: string }) => {
      const account = findAccount(scenario, login)
      if (account?.type !== 'Organization') throw notFound(`Could not resolve to an Organization with the login of '${login}'.`)
      return ownerNode(ctx, account)
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = findRepo(scenario, owner, name)
      if (!repo) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`)
      return repoNode(ctx, repo)
    },
    rateLimit: () => ({
      limit: ctx.rate.limit,
      cost: 1,
      remaining: ctx.rate.remaining,
      used: ctx.rate.used,
      resetAt: new Date(ctx.rate.reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      nodeCount: 0
    })
  }
}

function ownerNode(ctx: Context, account: Account): Record<string, unknown> {
  const common = {
    __typename: account.type,
    id: nodeId(account.type, account.id),
    databaseId: account.id,
    login: account.login,
    name: account.login,
    url: `${ctx.urls.url}/${account.login}`
  }
  if (account.type === 'Organization') return common
  return {
    ...common,
    followers: (args: ConnectionArgs) =>
      connection('followers', followersOf(ctx.scenario, account).map((f) => ownerNode(ctx, f)), args),
    organizations: (args: ConnectionArgs) =>
      connection('organizations', orgsOf(ctx.scenario, account).map((o) => ownerNode(ctx, o)), args)
  }
}

function repoNode(ctx: Context, repo: Repo): Record<string, unknown> {
  const { scenario } = ctx
  const restricted = (field: string) => {
    if (repo.isMain && scenario.restrictStarsAndWatchers) {
      throw new GraphQLError(`Resource not accessible: you must be a collaborator to list the ${field} of this repository.`, {
        extensions: { type: 'FORBIDDEN' }
      })
    }
  }
  const users = (logins: string[]) => (repo.isMain ? findAccounts(scenario, logins) : []).map((a) => ownerNode(ctx, a))
  const forks = () =>
    (repo.isMain ? scenario.forks : [])
      .map((login) => findRepo(scenario, login, repo.name))
      .filter((fork) => fork !== undefined)
      .map((fork) => repoNode(ctx, fork))
  return {
    id: nodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner.login}/${repo.name}`,
    url: `${ctx.urls.url}/${repo.owner.login}/${repo.name}`,
    owner: ownerNode(ctx, repo.owner),
    isFork: repo.isFork,
    stargazerCount: repo.isMain ? scenario.stargazers.length : 0,
    forkCount: repo.isMain ? scenario.forks.length : 0,
    stargazers: (args: ConnectionArgs) => {
      restricted('stargazers')
      return connection('stargazers', users(scenario.stargazers), args)
    },
    watchers: (args: ConnectionArgs) => {
      restricted('watchers')
      return connection('watchers', users(scenario.watchers), args)
    },
    forks: (args: ConnectionArgs) => connection('forks', forks(), args)
  }
}

/** A cursor connection: `first` is required and at most 100; cursors are opaque offsets. */
function connection<T>(name: string, all: T[], args: ConnectionArgs) {
  const first = args.first
  if (first === undefined || first === null) {
    throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, {
      extensions: { type: 'MISSING_PAGINATION_BOUNDARIES' }
    })
  }
  if (first > 100 || first < 0) {
    throw new GraphQLError(`Requesting ${first} records on the \`${name}\` connection exceeds the \`first\` limit of 100 records.`, {
      extensions: { type: 'EXCESSIVE_PAGINATION' }
    })
  }
  const start = args.after ? decodeCursor(args.after) + 1 : 0
  const slice = all.slice(start, start + first)
  const edges = slice.map((node, index) => ({ cursor: encodeCursor(start + index), node }))
  return {
    totalCount: all.length,
    pageInfo: {
      hasNextPage: start + slice.length < all.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null
    },
    nodes: slice,
    edges
  }
}

function encodeCursor(offset: number): string {
  return Buffer.from(`cursor:v2:${offset}`).toString('base64')
}

function decodeCursor(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  if (!match?.[1]) {
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, { extensions: { type: 'INVALID_CURSOR_ARGUMENTS' } })
  }
  return Number(match[1])
}

function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: 'NOT_FOUND' } })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
