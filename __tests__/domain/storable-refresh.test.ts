/** What of a refresh may reach the database (SPEC 12), as hand-written cases. No database. */
import { describe, expect, it } from '@jest/globals'
import { storableRefresh } from '../../src/domain/storable-refresh.js'
import { refresh, version } from '../store/refresh-builder.js'

const UNSAFE = 2 ** 53 + 2

describe('storableRefresh', () => {
  it('keeps a refresh whose numbers are all safe as it is', () => {
    const input = refresh({ versionsPassStartedAt: '2026-03-01T00:00:00.000Z', versionsPassComplete: true })
    expect(storableRefresh(input)).toEqual({ refresh: input, refused: [] })
  })

  it('drops a version with an unsafe count or id; the list is then neither complete nor a valid pass', () => {
    const input = refresh({
      versions: [version(1, 600), version(2, UNSAFE), version(UNSAFE, 5), version(3, 1e30)],
      versionsComplete: true,
      versionsPassStartedAt: '2026-03-01T00:00:00.000Z',
      versionsPassComplete: true
    })
    const { refresh: out, refused } = storableRefresh(input)
    expect(out.versions.map((x) => x.id)).toEqual([1])
    expect([out.versionsComplete, out.versionsPassStartedAt, out.versionsPassComplete]).toEqual([false, null, false])
    expect(refused).toHaveLength(3)
  })

  it('drops an unsafe window or size alone, and an unsafe version count', () => {
    const input = refresh({
      versions: [
        version(1, 600, [], { windows: { day: 1, week: -1, month: UNSAFE } }),
        version(2, 400, [], { size: { size: 10, platforms: { 'linux/amd64': 10, 'linux/arm64': 1.5 } } }),
        version(3, 300, [], { windows: { day: 0, week: -1, month: 9 }, size: { size: 7, platforms: {} } })
      ],
      versionCount: UNSAFE
    })
    const { refresh: out, refused } = storableRefresh(input)
    expect(out.versions).toEqual([
      version(1, 600),
      version(2, 400),
      version(3, 300, [], { windows: { day: 0, week: -1, month: 9 }, size: { size: 7, platforms: {} } })
    ])
    expect(out.versionsComplete).toBe(true) // every version is still there
    expect(out.versionCount).toBeNull()
    expect(refused).toHaveLength(3)
  })
})
