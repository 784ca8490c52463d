/**
 * The Octokit adapter pointed at a fake GitHub, as the pipeline builds it (both base URLs explicit),
 * with retry waits shrunk and writes unspaced so tests do not sleep for seconds.
 */
import { ApiBudget } from '../src/github/api-budget.js'
import { createGitHubApi, type GitHubApi } from '../src/github/octokit.js'
import type { FakeGitHub } from './fake-github/server.js'

export interface FakeApiOptions {
  /** Default `test-token`; empty for anonymous calls. */
  token?: string
  reserve?: { rest: number; graphql: number }
  /** Milliseconds per second of a retry wait (default 1: fast tests). */
  retryBaseMs?: number
  maxWaitMs?: number
  log?: (message: string) => void
}

/** `gh` is a running fake, or any object naming the two API URLs and a scenario (a redirector in tests). */
export function fakeGitHubApi(gh: Pick<FakeGitHub, 'apiUrl' | 'graphqlUrl' | 'scenario'>, options: FakeApiOptions = {}): { api: GitHubApi; budget: ApiBudget } {
  const budget = new ApiBudget(options.reserve ?? { rest: 50, graphql: 50 })
  const api = createGitHubApi({
    token: options.token ?? 'test-token',
    apiUrl: gh.apiUrl,
    graphqlUrl: gh.graphqlUrl,
    repository: gh.scenario.repository,
    userAgent: 'backage-action/1.0 (+test)',
    budget,
    retryBaseMs: options.retryBaseMs ?? 1,
    spaceWrites: false,
    maxWaitMs: options.maxWaitMs,
    log: options.log
  })
  return { api, budget }
}
