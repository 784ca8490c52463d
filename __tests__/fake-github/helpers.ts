/** Shared setup of the fake GitHub tests: the sample world on a fresh server, and small fetch helpers. */
import { FakeGitHub, type FakeGitHubOptions } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'

export async function startSample(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  return FakeGitHub.start({ scenario: sampleScenario(), ...options })
}

export const auth = { authorization: 'Bearer test-token' }

export async function getJson<T = unknown>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(url, { headers })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: (text === '' ? null : JSON.parse(text)) as T }
}

export async function graphqlQuery<T = unknown>(
  gh: FakeGitHub,
  query: string,
  variables: Record<string, unknown> = {}
): Promise<{ status: number; headers: Headers; body: { data?: T; errors?: { type?: string; message: string; path?: (string | number)[] }[] } }> {
  const response = await fetch(`${gh.apiUrl}/graphql`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables })
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as never }
}
