/**
 * The page client as the HTTP tests build it: no jitter, a fixed random, and waits recorded by an
 * injected sleep instead of slept.
 */
import { HttpClient, type HttpClientOptions } from '../../src/github/http.js'

export const USER_AGENT = 'backage-action/1.0 (+http://example.invalid/me/backage)'

export function client(options: Partial<HttpClientOptions> = {}): { http: HttpClient; waits: number[] } {
  const waits: number[] = []
  const http = new HttpClient({
    userAgent: USER_AGENT,
    concurrency: 4,
    baseDelayMs: 10,
    random: () => 0,
    pageJitterMs: 0,
    sleep: async (ms) => {
      waits.push(ms)
    },
    ...options
  })
  return { http, waits }
}
