/** Primary rate limits as GitHub counts them: a per-hour window per resource, reported in headers. */

export type RateResource = 'core' | 'graphql'

export interface RateState {
  limit: number
  used: number
  remaining: number
  /** Epoch seconds when the window resets. */
  reset: number
}

export class RateBucket {
  private used = 0
  private resetAt: number
  private readonly resource: RateResource
  private readonly limit: number

  constructor(resource: RateResource, limit: number) {
    this.resource = resource
    this.limit = limit
    this.resetAt = nowSeconds() + 3600
  }

  state(): RateState {
    this.roll()
    return { limit: this.limit, used: this.used, remaining: Math.max(0, this.limit - this.used), reset: this.resetAt }
  }

  exhausted(): boolean {
    return this.state().remaining === 0
  }

  consume(points: number): void {
    this.roll()
    this.used += points
  }

  headers(): Record<string, string> {
    const state = this.state()
    return {
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': String(state.remaining),
      'x-ratelimit-used': String(state.used),
      'x-ratelimit-reset': String(state.reset),
      'x-ratelimit-resource': this.resource
    }
  }

  private roll(): void {
    const now = nowSeconds()
    if (now >= this.resetAt) {
      this.used = 0
      this.resetAt = now + 3600
    }
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
