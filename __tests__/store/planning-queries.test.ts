/** The light queries planning uses instead of loading every version id (listPackages). */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { Store } from '../../src/store/store.js'
import { refresh, tmpDir, version } from './refresh-builder.js'

describe('Store planning queries', () => {
  let tmp: ReturnType<typeof tmpDir>
  let store: Store
  beforeEach(() => {
    tmp = tmpDir()
    store = Store.open(path.join(tmp.dir, 'db.sqlite'))
  })
  afterEach(() => {
    store.close()
    tmp.dispose()
  })

  it('agree with listPackages on refresh times and the lowest cycle, and skip retired owners', () => {
    expect(store.minRefreshedCycle()).toBeNull()
    const ref = (owner: string, name: string) => ({ ownerType: 'users' as const, owner, type: 'npm' as const, name, repo: name })
    store.savePackageRefresh(refresh({ ref: ref('ann', 'a'), at: '2026-03-01T10:00:00.000Z', versions: [version(1, 1)] }), 3)
    store.savePackageRefresh(refresh({ ref: ref('ann', 'b'), at: '2026-03-01T11:00:00.000Z', versions: [version(2, 1)] }), 2)
    store.savePackageRefresh(refresh({ ref: ref('bob', 'c'), at: '2026-03-01T12:00:00.000Z', versions: [version(3, 1)] }), 1)

    const light = store.packageRefreshTimes().map((p) => [p.ref.owner, p.lastRefresh])
    const full = store.listPackages().map((p) => [p.ref.owner, p.lastRefresh])
    expect(light.sort()).toEqual(full.sort())
    expect(light).toHaveLength(3)
    expect(store.minRefreshedCycle()).toBe(1)

    store.retireOwner('bob')
    expect(store.packageRefreshTimes().map((p) => p.ref.owner)).toEqual(['ann', 'ann'])
    expect(store.minRefreshedCycle()).toBe(2)
  })
})
