import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { zstdCompressSync } from 'node:zlib'
import { Store } from '../../src/store/store.js'
import {
  CorruptSnapshot,
  checksumLine,
  decompressionCap,
  compressDatabase,
  parseChecksumLine,
  restoreDatabase,
  sha256Hex
} from '../../src/store/snapshot.js'
import { isSnapshotTag, snapshotTagFor } from '../../src/store/snapshot-tags.js'
import { LATEST_SCHEMA_VERSION } from '../../src/store/schema.js'
import { DatabaseSync } from 'node:sqlite'
import { refresh, tmpDir, version } from './refresh-builder.js'

let tmp: ReturnType<typeof tmpDir>
beforeEach(() => {
  tmp = tmpDir('backage-snapshot-')
})
afterEach(() => tmp.dispose())

function filledStore(file: string): Store {
  const store = Store.open(file)
  store.upsertOwner({ login: 'acme', id: 42, type: 'Organization' }, '2026-03-01T00:00:00Z')
  store.addEdges('acme', ['self'])
  for (let day = 1; day <= 5; day++) {
    store.savePackageRefresh(
      refresh({ day: `2026-03-0${day}`, downloads: 1000 + day, versions: [version(1, 10 * day, ['latest'])] }),
      day
    )
  }
  store.setMeta('cycle', '5')
  return store
}

describe('compressDatabase / restoreDatabase', () => {
  it('round-trips the database: same rows, same read model', async () => {
    const store = filledStore(path.join(tmp.dir, 'live.db'))
    const snapshot = await compressDatabase(store)
    expect(snapshot.sha256).toBe(sha256Hex(snapshot.data))
    expect(snapshot.data.byteLength).toBeLessThan(snapshot.rawBytes)

    const restoredPath = path.join(tmp.dir, 'restored.db')
    await restoreDatabase(snapshot.data, snapshot.sha256, restoredPath)
    const restored = Store.open(restoredPath)
    try {
      expect(restored.snapshots()).toEqual(store.snapshots())
      expect(restored.listOwners()).toEqual(store.listOwners())
      expect(restored.listPackages()).toEqual(store.listPackages())
      expect(restored.getMeta('cycle')).toBe('5')
    } finally {
      restored.close()
      store.close()
    }
  })

  it('keeps the event loop turning while it compresses and decompresses (signal handlers still run)', async () => {
    const store = filledStore(path.join(tmp.dir, 'live.db'))
    let turns = 0
    let spinning = true
    const spin = (): void => {
      turns++
      if (spinning) setImmediate(spin)
    }
    try {
      setImmediate(spin)
      turns = 0
      const snapshot = await compressDatabase(store)
      expect(turns).toBeGreaterThan(0)
      turns = 0
      await restoreDatabase(snapshot.data, snapshot.sha256, path.join(tmp.dir, 'restored.db'))
      expect(turns).toBeGreaterThan(0)
    } finally {
      spinning = false
      store.close()
    }
  })

  it('keeps an uncompressed copy when asked (for the Actions cache)', async () => {
    const store = filledStore(path.join(tmp.dir, 'live.db'))
    const copy = path.join(tmp.dir, 'copy.db')
    const snapshot = await compressDatabase(store, { copyTo: copy })
    store.close()
    expect(readFileSync(copy).byteLength).toBe(snapshot.rawBytes)
  })

  it('rejects a checksum mismatch, garbage and a damaged database, leaving the target untouched', async () => {
    const store = filledStore(path.join(tmp.dir, 'live.db'))
    const snapshot = await compressDatabase(store)
    store.close()
    const target = path.join(tmp.dir, 'target.db')
    writeFileSync(target, 'previous contents')

    const wrongSum = '0'.repeat(64)
    await expect(restoreDatabase(snapshot.data, wrongSum, target)).rejects.toThrow(CorruptSnapshot)
    await expect(restoreDatabase(snapshot.data, wrongSum, target)).rejects.toMatchObject({ check: 'checksum' })

    const garbage = new Uint8Array([1, 2, 3, 4, 5])
    await expect(restoreDatabase(garbage, sha256Hex(garbage), target)).rejects.toMatchObject({ check: 'decompression' })

    // A valid zstd stream of a database with its pages damaged: integrity_check must catch it.
    const raw = Buffer.from(readFileSync(path.join(tmp.dir, 'live.db')))
    const damaged = Buffer.from(raw)
    for (let i = 4096 + 100; i < damaged.length; i += 37) damaged[i] = 0xff
    const compressed = new Uint8Array(zstdCompressSync(damaged))
    await expect(restoreDatabase(compressed, sha256Hex(compressed), target)).rejects.toMatchObject({ check: 'integrity' })

    expect(readFileSync(target, 'utf8')).toBe('previous contents')
    expect(existsSync(`${target}-wal`)).toBe(false)
  })

  it('bounds decompression at 25 × the asset (at least 64 MiB, at most 16 GiB)', async () => {
    const MiB = 1024 ** 2
    expect(decompressionCap(1000)).toBe(64 * MiB)
    expect(decompressionCap(4 * MiB)).toBe(100 * MiB)
    expect(decompressionCap(2 * 1024 ** 3)).toBe(16 * 1024 ** 3)
    // 72 MiB of zeros compress to a few KB: past the 64 MiB floor, far over 25 × the asset.
    const bomb = new Uint8Array(zstdCompressSync(Buffer.alloc(72 * MiB)))
    expect(bomb.byteLength * 25).toBeLessThan(64 * MiB)
    const target = path.join(tmp.dir, 'bomb.db')
    await expect(restoreDatabase(bomb, sha256Hex(bomb), target)).rejects.toMatchObject({
      check: 'decompression',
      message: expect.stringContaining(`past ${64 * MiB} bytes`)
    })
    expect(existsSync(target)).toBe(false)
  })

  it('refuses a database written by a newer version of the action', async () => {
    const store = filledStore(path.join(tmp.dir, 'live.db'))
    store.close()
    const db = new DatabaseSync(path.join(tmp.dir, 'live.db'))
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(LATEST_SCHEMA_VERSION + 1)
    db.close()
    const raw = readFileSync(path.join(tmp.dir, 'live.db'))
    const data = new Uint8Array(zstdCompressSync(raw))
    const target = path.join(tmp.dir, 'target.db')
    await expect(restoreDatabase(data, sha256Hex(data), target)).rejects.toMatchObject({
      check: 'schema',
      message: expect.stringContaining(`schema version ${LATEST_SCHEMA_VERSION + 1} is newer`)
    })
    expect(existsSync(target)).toBe(false)
  })
})

describe('checksum line and snapshot tags', () => {
  it('writes and reads the checksum line inside release notes', () => {
    const sum = 'ab'.repeat(32)
    expect(parseChecksumLine(`notes\n\n${checksumLine(sum)}\n`)).toBe(sum)
    expect(parseChecksumLine('no checksum here')).toBeNull()
  })

  it('makes UTC tags, unique on collision', () => {
    const now = new Date('2026-03-05T07:08:09.500Z')
    expect(snapshotTagFor(now, [])).toBe('snapshot-20260305-070809')
    expect(snapshotTagFor(now, ['snapshot-20260305-070809'])).toBe('snapshot-20260305-070809-2')
    expect(snapshotTagFor(now, ['snapshot-20260305-070809', 'snapshot-20260305-070809-2'])).toBe('snapshot-20260305-070809-3')
  })

  it('knows snapshot tags by their exact form only', () => {
    const table: [string, boolean][] = [
      ['snapshot-20260305-070809', true],
      ['snapshot-20260305-070809-12', true],
      ['snapshot-20991231-000000', true], // the form is right; its order comes from created_at
      ['snapshot-1.2', false],
      ['snapshot-20260305-070809-', false],
      ['snapshot-2026035-070809', false],
      ['snapshot-20260305-070809-rc1', false],
      ['Snapshot-20260305-070809', false],
      ['v1.0.0', false]
    ]
    expect(table.map(([tag]) => [tag, isSnapshotTag(tag)])).toEqual(table)
  })
})
