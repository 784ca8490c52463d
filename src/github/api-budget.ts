/**
 * The REST and GraphQL hourly budgets as GitHub reports them (`x-ratelimit-*`), and the count of
 * every API request sent. The Octokit adapter feeds it each answer and asks it before each request,
 * so scraping stops at the reserve (SPEC 5.5) and the job summary can show what a run cost.
 */
import type { RequestKind } from '../ports.js'
import { BudgetExhausted } from './http.js'

export type ApiKind = Extract<RequestKind, 'rest' | 'graphql' | 'upload'>
export type BudgetName = 'rest' | 'graphql'

export interface RateLimitState {
  remaining: number
  limit: number
  resetAt: Date | null
}

export interface ApiStats {
  /** HTTP requests sent, retries included. */
  requests: Record<ApiKind, number>
  rateLimit: { rest?: RateLimitState; graphql?: RateLimitState }
}

/** What the budget reads of a response's headers (the global and undici's `Headers` both fit). */
export interface HeaderReader {
  get(name: string): string | null
}

function intHeader(headers: HeaderReader, name: string): number | null {
  const raw = headers.get(name)
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return null
  return Number(raw)
}

export class ApiBudget {
  private readonly budgets: { rest?: RateLimitState; graphql?: RateLimitState } = {}
  private readonly requests: Record<ApiKind, number> = { rest: 0, graphql: 0, upload: 0 }

  constructor(
    /** Requests kept in hand per budget for the closing stages (restore and save the snapshot). */
    private readonly reserve: Record<BudgetName, number>,
    private readonly now: () => number = Date.now
  ) {}

  stats(): ApiStats {
    const copy = (state: RateLimitState | undefined): RateLimitState | undefined => state && { ...state }
    return { requests: { ...this.requests }, rateLimit: { rest: copy(this.budgets.rest), graphql: copy(this.budgets.graphql) } }
  }

  /**
   * Before a request: throws `BudgetExhausted` when the budget is at the reserve (or empty, for
   * callers allowed to spend the reserve), and counts the request in advance so parallel requests
   * do not all pass on the same number.
   */
  check(budget: BudgetName, useReserve: boolean): void {
    const known = this.budgets[budget]
    if (!known) return
    if (known.resetAt && known.resetAt.getTime() <= this.now()) {
      delete this.budgets[budget]
      return
    }
    const reserve = useReserve ? 0 : this.reserve[budget]
    if (known.remaining <= reserve) {
      throw new BudgetExhausted(budget, known.resetAt, `${known.remaining} of ${known.limit} left, reserve ${reserve}`)
    }
    known.remaining--
  }

  /** After each HTTP answer (retries included): counts it and reads the budget it reports. */
  observe(kind: ApiKind, headers: HeaderReader): void {
    this.requests[kind]++
    const budget: BudgetName = kind === 'graphql' ? 'graphql' : 'rest'
    const named = headers.get('x-ratelimit-resource')
    if (named !== null && named !== (budget === 'rest' ? 'core' : 'graphql')) return
    const remaining = intHeader(headers, 'x-ratelimit-remaining')
    const limit = intHeader(headers, 'x-ratelimit-limit')
    if (remaining === null || limit === null) return
    const reset = intHeader(headers, 'x-ratelimit-reset')
    const resetAt = reset === null ? null : new Date(reset * 1000)
    const known = this.budgets[budget]
    const sameWindow = known && known.resetAt?.getTime() === resetAt?.getTime()
    // Answers can arrive out of order within one window: the lowest number is the freshest.
    this.budgets[budget] = { remaining: sameWindow ? Math.min(known.remaining, remaining) : remaining, limit, resetAt }
  }
}
