import { describe, expect, it } from '@jest/globals'
import {
  backoffUntil,
  currentCycle,
  orderPackagesForCycle,
  planOwners,
  planOwnersFromStore,
  type PlanOwner
} from '../../src/pipeline/plan.js'

const now = new Date('2026-10-03T12:00:00Z')

function owner(login: string, fields: Partial<PlanOwner> = {}): PlanOwner {
  return {
    login,
    manual: false,
    isNew: false,
    oldestPackageRefresh: '2026-10-01T00:00:00Z',
    lastRefresh: '2026-10-01T00:00:00Z',
    edgeCount: 0,
    failures: 0,
    nextAttempt: null,
    ...fields
  }
}

describe('planOwners', () => {
  it('puts a new owner first even when thousands of known owners are due', () => {
    const known = Array.from({ length: 3000 }, (_, i) =>
      owner(`known-${i}`, { oldestPackageRefresh: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString() })
    )
    const plan = planOwners({ owners: [...known, owner('fresh', { isNew: true, oldestPackageRefresh: null, lastRefresh: null })], now })
    expect(plan[0]).toEqual({ login: 'fresh', reason: 'new' })
    expect(plan).toHaveLength(3001)
    expect(plan[1]).toEqual({ login: 'known-0', reason: 'queue' })
  })

  it('interleaves priority owners at the reserved share so neither group starves', () => {
    const priority = Array.from({ length: 6 }, (_, i) => owner(`p${i}`, { isNew: true, oldestPackageRefresh: null }))
    const rest = Array.from({ length: 6 }, (_, i) =>
      owner(`r${i}`, { oldestPackageRefresh: `2026-09-0${i + 1}T00:00:00Z` })
    )
    const logins = planOwners({ owners: [...rest, ...priority], now }).map((o) => o.login)
    expect(logins).toEqual(['p0', 'r0', 'r1', 'r2', 'p1', 'r3', 'r4', 'r5', 'p2', 'p3', 'p4', 'p5'])

    const half = planOwners({ owners: [...rest, ...priority], now, reservedShare: 0.5 }).map((o) => o.login)
    expect(half.slice(0, 6)).toEqual(['p0', 'r0', 'p1', 'r1', 'p2', 'r2'])
  })

  it('puts manual requests before merely new owners', () => {
    const plan = planOwners({
      owners: [owner('newbie', { isNew: true, oldestPackageRefresh: null }), owner('asked', { manual: true })],
      now,
      reservedShare: 1
    })
    expect(plan).toEqual([
      { login: 'asked', reason: 'manual' },
      { login: 'newbie', reason: 'new' }
    ])
  })

  it('orders the rest by oldest package refresh (never first), then edges, then login', () => {
    const plan = planOwners({
      owners: [
        owner('recent', { oldestPackageRefresh: '2026-10-02T00:00:00Z', edgeCount: 99 }),
        owner('b-few', { oldestPackageRefresh: '2026-09-01T00:00:00Z', edgeCount: 1 }),
        owner('a-few', { oldestPackageRefresh: '2026-09-01T00:00:00Z', edgeCount: 1 }),
        owner('many', { oldestPackageRefresh: '2026-09-01T00:00:00Z', edgeCount: 5 }),
        owner('never', { oldestPackageRefresh: null })
      ],
      now
    })
    expect(plan.map((o) => o.login)).toEqual(['never', 'many', 'a-few', 'b-few', 'recent'])
  })

  it('skips owners in backoff and takes them back once it has passed', () => {
    const plan = planOwners({
      owners: [
        owner('waiting', { failures: 2, nextAttempt: '2026-10-03T13:00:00Z' }),
        owner('waiting-new', { isNew: true, failures: 1, nextAttempt: '2026-10-03T12:00:01Z' }),
        owner('due', { failures: 3, nextAttempt: '2026-10-03T11:59:59Z' })
      ],
      now
    })
    expect(plan.map((o) => o.login)).toEqual(['due'])
  })
})

describe('backoffUntil', () => {
  it('starts at one hour and doubles up to a day', () => {
    const hours = [1, 2, 3, 4, 5, 6, 7, 50].map((failures) => (Date.parse(backoffUntil(failures, now)) - now.getTime()) / 3_600_000)
    expect(hours).toEqual([1, 2, 4, 8, 16, 24, 24, 24])
  })
})

describe('cycles', () => {
  it('stays in a cycle while some package has not been refreshed in it, then starts the next', () => {
    expect(currentCycle(null, [])).toBe(1)
    expect(currentCycle(null, [1, 0])).toBe(1)
    expect(currentCycle(3, [3, 2, 3])).toBe(3)
    expect(currentCycle(3, [3, 3, 4])).toBe(4)
  })

  it('orders packages not yet refreshed in the cycle first, oldest refresh first', () => {
    const packages = [
      { name: 'done-old', refreshedCycle: 5, lastRefresh: '2026-01-01T00:00:00Z' },
      { name: 'pending-recent', refreshedCycle: 4, lastRefresh: '2026-09-01T00:00:00Z' },
      { name: 'never', refreshedCycle: null, lastRefresh: null },
      { name: 'pending-old', refreshedCycle: 4, lastRefresh: '2026-08-01T00:00:00Z' }
    ]
    expect(orderPackagesForCycle(packages, 5).map((p) => p.name)).toEqual(['never', 'pending-old', 'pending-recent', 'done-old'])
  })
})

describe('planOwnersFromStore', () => {
  it('derives new, manual, oldest package refresh and edge counts', () => {
    const owners = planOwnersFromStore(
      [
        { login: 'Alice', lastRefresh: '2026-10-02T00:00:00Z', failures: 0, nextAttempt: null, edges: ['stargazer', 'follower'] },
        { login: 'bob', lastRefresh: null, failures: 1, nextAttempt: '2026-10-03T13:00:00Z', edges: [] }
      ],
      [
        { ref: { owner: 'alice' }, lastRefresh: '2026-10-02T00:00:00Z' },
        { ref: { owner: 'Alice' }, lastRefresh: '2026-09-15T00:00:00Z' }
      ],
      ['BOB']
    )
    expect(owners).toEqual([
      {
        login: 'Alice',
        manual: false,
        isNew: false,
        oldestPackageRefresh: '2026-09-15T00:00:00Z',
        lastRefresh: '2026-10-02T00:00:00Z',
        edgeCount: 2,
        failures: 0,
        nextAttempt: null
      },
      {
        login: 'bob',
        manual: true,
        isNew: true,
        oldestPackageRefresh: null,
        lastRefresh: null,
        edgeCount: 0,
        failures: 1,
        nextAttempt: '2026-10-03T13:00:00Z'
      }
    ])
  })
})
