/**
 * What the store keeps for quiet packages (SPEC 13.1, migration 5): the newest full reading and its
 * chart, the count of quiet refreshes, and a version-3 file that gains them empty.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Store } from '../../src/store/store.js'
import { migrate } from '../../src/store/schema.js'
import type { DailyCount } from '../../src/types.js'
import { refresh, tmpDir } from './refresh-builder.js'

let tmp: ReturnType<typeof tmpDir>
let store: Store
let dbPath: string

beforeEach(() => {
  tmp = tmpDir()
  dbPath = path.join(tmp.dir, 'backage.db')
  store = Store.open(dbPath)
})

afterEach(() => {
  store.close()
  tmp.dispose()
})

const chart: DailyCount[] = [
  { date: '2026-02-28', count: 4 },
  { date: '2026-02-27', count: 6 }
]
const quietOf = (): unknown => store.listPackages()[0]?.quiet

describe('Store: quiet packages', () => {
  it('records a full reading (chart read, nothing stale) with its chart, oldest first', () => {
    store.savePackageRefresh(refresh({ downloads: 1000, chart: chart }), 1)
    expect(quietOf()).toEqual({
      total: 1000,
      stale: false,
      fullReadAt: '2026-03-01T10:00:00.000Z',
      chart: [
        { date: '2026-02-27', count: 6 },
        { date: '2026-02-28', count: 4 }
      ],
      quietCount: 0,
      slot: 1
    })
  })

  it('a reading that is stale, or has no chart, leaves the last full reading as it was', () => {
    store.savePackageRefresh(refresh({ downloads: 1000, chart: chart }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-02', downloads: 1200, windows: null, chart: [], problems: [{ page: 'p', marker: 'chart' }] }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-03', downloads: 1300, chart: chart, windows: null, problems: [{ page: 'p', marker: 'chart' }] }), 1)
    expect(quietOf()).toMatchObject({ total: 1300, stale: true, fullReadAt: '2026-03-01T10:00:00.000Z' })
  })

  it('counts quiet refreshes, listing confirmations among them', () => {
    store.savePackageRefresh(refresh({ chart: chart, quiet: true }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-02', quiet: true }), 1)
    store.savePackageRefresh(refresh({ day: '2026-03-03', quiet: false, chart: chart }), 1)
    expect(quietOf()).toMatchObject({ quietCount: 2, fullReadAt: '2026-03-03T10:00:00.000Z' })
  })

  it('a stored chart that is not well-formed reads as none (the listing then never confirms)', () => {
    store.savePackageRefresh(refresh({ chart: chart }), 1)
    const raw = new DatabaseSync(dbPath)
    try {
      const stored = raw.prepare('SELECT chart FROM packages').get()
      expect(stored).toEqual({ chart: '{"end":"2026-02-28","counts":[6,4]}' })
      for (const bad of ['{"end":"2026-02-27","counts":[-1]}', '{"a":1}', 'not json', '{"end":"27.02.2026","counts":[3]}', `{"end":"2026-02-27","counts":[${2 ** 53}]}`, '[]', 'null', '{"end":"2026-13-45","counts":[1]}']) {
        raw.prepare('UPDATE packages SET chart = ?').run(bad)
        expect([bad, store.listPackages()[0]?.quiet.chart ?? null]).toEqual([bad, []])
      }
    } finally {
      raw.close()
    }
  })

  it('migrates a version-3 file: its packages gain no full reading and no quiet refresh', () => {
    const oldPath = path.join(tmp.dir, 'v3.db')
    const db = new DatabaseSync(oldPath)
    expect(migrate(db, 3)).toBe(3)
    db.exec(`INSERT INTO owners (login, id, type, first_seen) VALUES ('acme', 42, 'Organization', '2026-01-01T00:00:00Z')`)
    db.exec(`INSERT INTO packages (pkg, owner, owner_type, type, name, repo, owner_id, first_seen, last_seen)
             VALUES (7, 'acme', 'orgs', 'npm', 'kit', 'web', 42, '2026-01-01T00:00:00Z', '2026-01-02')`)
    db.exec(`INSERT INTO package_days (pkg, day, downloads, d_month, d_week, d_day) VALUES (7, 20455, 99, 30, 7, 1)`)
    db.close()
    const migrated = Store.open(oldPath)
    try {
      expect(migrated.listPackages()[0]?.quiet).toEqual({ total: 99, stale: false, fullReadAt: null, chart: [], quietCount: 0, slot: 7 })
    } finally {
      migrated.close()
    }
  })
})
