/** A tiny concurrency limiter: at most `size` tasks run at once, the rest wait in FIFO order. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>

export function createLimit(size: number): Limit {
  const slots = Math.max(1, Math.floor(size))
  let running = 0
  const waiting: (() => void)[] = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so `running` never overshoots.
    if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}
