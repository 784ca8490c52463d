/**
 * The vocabulary of API failures the stages see: `ApiError` (an HTTP status from REST),
 * `GraphQLError` (GraphQL `errors`, with the partial `data`), and `BudgetExhausted` for a rate limit
 * Octokit gave up waiting for. `translate` turns Octokit's own errors into these.
 */
import { BudgetExhausted } from './http.js'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    /** GitHub's own `message`, when the body had one. */
    readonly githubMessage: string | null
  ) {
    super(`${method} ${url}: HTTP ${status}${githubMessage ? `: ${githubMessage}` : ''}`)
    this.name = 'ApiError'
  }
}

export interface GraphQLErrorEntry {
  /** `NOT_FOUND`, `FORBIDDEN`, ... when GitHub says. */
  type?: string
  message: string
  path?: (string | number)[]
}

export class GraphQLError extends Error {
  constructor(
    readonly errors: GraphQLErrorEntry[],
    /** Whatever `data` came with the errors (fields that failed are null). */
    readonly data: unknown
  ) {
    super(`GraphQL: ${errors.map((e) => (e.type ? `${e.type}: ${e.message}` : e.message)).join('; ')}`)
    this.name = 'GraphQLError'
  }

  /** True when every error is one of `types` (e.g. only NOT_FOUND for missing logins). */
  onlyOfTypes(...types: string[]): boolean {
    return this.errors.every((e) => e.type !== undefined && types.includes(e.type))
  }
}

/** The parts of Octokit's `RequestError` (name `HttpError`) and `GraphqlResponseError` read here. */
interface OctokitFailure {
  name: string
  status?: number
  message: string
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown }
  /** The request as sent (full URL), on `RequestError`. */
  request?: { method?: string; url?: string }
  errors?: GraphQLErrorEntry[]
  data?: unknown
}

function isFailure(error: unknown): error is OctokitFailure {
  return error instanceof Error
}

function githubMessage(data: unknown): string | null {
  if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string') return data.message
  return null
}

/** Octokit's failure → the adapter's vocabulary; a rate limit Octokit gave up waiting for stops the run. */
export function translate(error: unknown, method: string, url: string): unknown {
  if (!isFailure(error) || error instanceof BudgetExhausted) return error
  if (error.name === 'GraphqlResponseError') return new GraphQLError(error.errors ?? [], error.data ?? null)
  if (error.name !== 'HttpError' || error.status === undefined) return error
  method = error.request?.method ?? method
  url = error.request?.url ?? url
  const headers = error.response?.headers ?? {}
  const message = githubMessage(error.response?.data)
  const limited =
    (error.status === 403 || error.status === 429) &&
    (String(headers['x-ratelimit-remaining']) === '0' || /secondary rate limit/i.test(message ?? ''))
  if (limited) {
    const reset = Number(headers['x-ratelimit-reset'])
    const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null
    const budget = url.endsWith('graphql') ? 'graphql' : 'rest'
    return new BudgetExhausted(budget, resetAt, `HTTP ${error.status} from ${method} ${url}: ${message ?? 'rate limited'}`)
  }
  return new ApiError(error.status, method, url, message)
}
