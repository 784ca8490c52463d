/**
 * Injected faults: error statuses, slow responses and a changed package-page layout, each matched on
 * the request path (with query) and consumed `times` times (forever when unset).
 */
import { jsonReply, htmlReply, type Reply } from './exchange.js'

export type FaultStatus = 429 | 403 | 500 | 502 | 503 | 404

export interface StatusFault {
  path: string | RegExp
  status: FaultStatus
  /** How many matching requests fail; default: forever. */
  times?: number
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number
  /** 403 with GitHub's "You have exceeded a secondary rate limit" body. */
  secondaryRateLimit?: boolean
}

export interface DelayFault {
  path: string | RegExp
  delayMs: number
  times?: number
}

export interface LayoutFault {
  path: string | RegExp
  /** The package page is rendered with `renderPackagePage(..., { layoutChanged: true })`. */
  layoutChanged: true
  times?: number
}

export type Fault = StatusFault | DelayFault | LayoutFault

/**
 * A string matches the path exactly, or the path without its query when the string has none
 * (`/api/users/x` matches `/api/users/x?per_page=100`); a RegExp is tested against the path with query.
 */
export function faultMatches(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path)
  if (path === pattern) return true
  return !pattern.includes('?') && path.startsWith(`${pattern}?`)
}

interface Entry<F extends Fault> {
  fault: F
  remaining: number
}

export class FaultBook {
  private entries: Entry<Fault>[] = []

  add(fault: Fault): void {
    this.entries.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY })
  }

  clear(): void {
    this.entries = []
  }

  /** Extra delay for this request (the first matching delay fault, consumed). */
  takeDelay(path: string): number {
    const fault = this.take(path, (f): f is DelayFault => 'delayMs' in f)
    return fault?.delayMs ?? 0
  }

  takeStatus(path: string): StatusFault | undefined {
    return this.take(path, (f): f is StatusFault => 'status' in f)
  }

  /** Asked by the package-page route only, so other pages never consume a layout fault. */
  takeLayoutChange(path: string): boolean {
    return this.take(path, (f): f is LayoutFault => 'layoutChanged' in f) !== undefined
  }

  private take<F extends Fault>(path: string, isKind: (fault: Fault) => fault is F): F | undefined {
    for (const entry of this.entries) {
      const fault = entry.fault
      if (entry.remaining > 0 && isKind(fault) && faultMatches(fault.path, path)) {
        entry.remaining--
        return fault
      }
    }
    return undefined
  }
}

const STATUS_MESSAGES: Record<FaultStatus, string> = {
  429: 'Too Many Requests',
  403: 'Forbidden',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
  404: 'Not Found'
}

const SECONDARY_RATE_LIMIT =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.'

/** The reply of a status fault: JSON for the API and the registry, HTML for pages and storage. */
export function faultReply(fault: StatusFault, json: boolean): Reply {
  const message = fault.status === 403 && fault.secondaryRateLimit ? SECONDARY_RATE_LIMIT : STATUS_MESSAGES[fault.status]
  const reply = json
    ? jsonReply(fault.status, { message, documentation_url: 'https://docs.github.com/rest' })
    : htmlReply(fault.status, `<!DOCTYPE html><html><body><h1>${fault.status}</h1><p>${message}</p></body></html>`)
  if (fault.retryAfter !== undefined) reply.headers['retry-after'] = String(fault.retryAfter)
  return reply
}
