/**
 * The one fetch every request of a run goes through (Octokit's and the page client's), so both honour
 * a self-hosted runner's `https_proxy`/`http_proxy`/`no_proxy` the same way: the proxy is chosen per
 * request URL by the Actions toolkit's own rules (`@actions/http-client`, which also bypasses
 * loopback addresses), and the connection goes through undici's `ProxyAgent`.
 */
import { getProxyUrl } from '@actions/http-client'
import { fetch as undiciFetch, ProxyAgent, type RequestInfo, type RequestInit, type Response } from 'undici'

/** One agent per proxy URL for the life of the process: its connections are kept alive. */
const agents = new Map<string, ProxyAgent>()

/** The proxy the toolkit picks for this URL (scheme's variable, `no_proxy`, loopback), or null. */
export function proxyFor(url: string): string | null {
  const proxy = getProxyUrl(url)
  return proxy === '' ? null : proxy
}

function agentFor(url: string): ProxyAgent | undefined {
  const proxy = proxyFor(url)
  if (proxy === null) return undefined
  let agent = agents.get(proxy)
  if (!agent) {
    // undici reads credentials in the proxy URL (`http://user:pass@proxy:3128`) as Proxy-Authorization.
    agent = new ProxyAgent({ uri: proxy })
    agents.set(proxy, agent)
  }
  return agent
}

function urlOf(input: RequestInfo): string {
  if (typeof input === 'string') return input
  return 'href' in input ? input.href : input.url
}

/** `fetch` through the proxy the environment names for the URL, direct otherwise. */
export function proxyFetch(input: RequestInfo, init: RequestInit = {}): Promise<Response> {
  const dispatcher = agentFor(urlOf(input))
  return undiciFetch(input, dispatcher ? { ...init, dispatcher } : init)
}
