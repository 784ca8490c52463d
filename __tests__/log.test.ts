/** The caps on problems (SPEC 12): 10 annotations, 50 listed lines, then a count. */
import { describe, expect, it } from '@jest/globals'
import { cappedLog, type Log } from '../src/log.js'

function recorder(): { log: Log; calls: string[] } {
  const calls: string[] = []
  const log: Log = {
    debug: (m) => calls.push(`debug ${m}`),
    info: (m) => calls.push(`info ${m}`),
    notice: (m) => calls.push(`notice ${m}`),
    warning: (m) => calls.push(`warning ${m}`),
    error: (m) => calls.push(`error ${m}`)
  }
  return { log, calls }
}

describe('cappedLog', () => {
  it('makes the first 10 problems annotations, the next 40 plain lines, and counts the rest', () => {
    const { log: base, calls } = recorder()
    const log = cappedLog(base)
    for (let i = 1; i <= 100_000; i++) log.warning(`bad line ${i}`)
    log.info('still said')
    log.finish()
    expect(calls.filter((c) => c.startsWith('warning '))).toEqual(Array.from({ length: 10 }, (_, i) => `warning bad line ${i + 1}`))
    expect(calls.slice(10, 12)).toEqual(['info warning: bad line 11', 'info warning: bad line 12'])
    expect(calls[49]).toBe('info warning: bad line 50')
    expect(calls.slice(50)).toEqual(['info still said', 'info … and 99950 more warnings and notices not shown (the first 50 are above)'])
  })

  it('shares the caps between warnings, errors and notices, and says nothing more under them', () => {
    const { log: base, calls } = recorder()
    const log = cappedLog(base)
    for (let i = 0; i < 4; i++) {
      log.notice('n')
      log.warning('w')
      log.error('e')
    }
    log.finish()
    expect(calls.filter((c) => /^(notice|warning|error) /.test(c))).toHaveLength(10)
    expect(calls.slice(10)).toEqual(['info warning: w', 'info error: e'])
  })
})
