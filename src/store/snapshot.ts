/**
 * Database snapshots (SPEC 7): a consistent copy compressed with zstd and named by its SHA-256, and
 * the way back: verify, decompress, check integrity, then move into place atomically. Also the one
 * place that defines how release notes carry the checksum and what the asset is called.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Readable, Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { constants, createZstdCompress, createZstdDecompress } from 'node:zlib'
import type { Store } from './store.js'
import { LATEST_SCHEMA_VERSION } from './schema.js'
import { errorMessage } from '../log.js'

export const SNAPSHOT_ASSET_NAME = 'backage.db.zst'
export const SNAPSHOT_CONTENT_TYPE = 'application/zstd'

/** zstd level: 9 compresses a history database well at a few tens of MB/s. */
const ZSTD_LEVEL = 9

/**
 * A snapshot decompresses to at most 25 × the asset and never past 16 GiB (SPEC 12): no zip bomb.
 * A young database is mostly empty pages and compresses far better than 25×, so below 64 MiB the
 * ratio is not applied.
 */
export const DECOMPRESSION_RATIO_CAP = 25
export const DECOMPRESSION_MAX_BYTES = 16 * 1024 ** 3
export const DECOMPRESSION_FLOOR_BYTES = 64 * 1024 ** 2

export function decompressionCap(assetBytes: number): number {
  return Math.min(Math.max(DECOMPRESSION_RATIO_CAP * assetBytes, DECOMPRESSION_FLOOR_BYTES), DECOMPRESSION_MAX_BYTES)
}

/** Machine-readable checksum line of the release notes, e.g. `sha256: 3a7b...`. */
export function checksumLine(sha256: string): string {
  return `sha256: ${sha256}`
}

/** The checksum a release body states, or null when it states none. */
export function parseChecksumLine(body: string): string | null {
  const match = /^sha256: ([0-9a-f]{64})\s*$/m.exec(body)
  return match?.[1] ?? null
}

/**
 * A snapshot that must not be used: names what failed. `schema` is not damage but a file written by
 * a newer version of the action, which this one would misread.
 */
export class CorruptSnapshot extends Error {
  constructor(
    readonly check: 'checksum' | 'decompression' | 'integrity' | 'schema',
    detail: string
  ) {
    super(check === 'schema' ? detail : `corrupt snapshot (${check}): ${detail}`)
    this.name = 'CorruptSnapshot'
  }
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

export interface CompressedDatabase {
  data: Uint8Array
  sha256: string
  /** Size of the uncompressed (vacuumed) database file. */
  rawBytes: number
}

/**
 * Checkpoints, copies the database with `VACUUM INTO` (compact and consistent) and compresses the
 * copy as a stream, so the event loop (and with it the signal handlers) keeps running during it.
 * With `copyTo`, the uncompressed copy is kept there (the Actions cache stores it).
 */
export async function compressDatabase(store: Store, options: { copyTo?: string } = {}): Promise<CompressedDatabase> {
  store.checkpoint()
  const base = options.copyTo === undefined ? os.tmpdir() : path.dirname(options.copyTo)
  const dir = mkdtempSync(path.join(base, '.backage-snapshot-'))
  const copy = path.join(dir, 'backage.db')
  try {
    store.vacuumInto(copy)
    const rawBytes = statSync(copy).size
    const chunks: Buffer[] = []
    const hash = createHash('sha256')
    const collect = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk)
        hash.update(chunk)
        done()
      }
    })
    const zstd = createZstdCompress({ params: { [constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } })
    await pipeline(createReadStream(copy), zstd, collect)
    if (options.copyTo !== undefined) renameSync(copy, options.copyTo)
    return { data: new Uint8Array(Buffer.concat(chunks)), sha256: hash.digest('hex'), rawBytes }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Restores a compressed snapshot to `dbPath`: checksum, decompression (streamed, within
 * `decompressionCap`), `PRAGMA integrity_check` and a schema this action knows must all pass, else
 * `CorruptSnapshot` is thrown and `dbPath` is left as it was.
 */
export async function restoreDatabase(data: Uint8Array, expectedSha256: string, dbPath: string): Promise<void> {
  const actual = sha256Hex(data)
  if (actual !== expectedSha256.toLowerCase()) {
    throw new CorruptSnapshot('checksum', `expected sha256 ${expectedSha256}, got ${actual}`)
  }
  const dir = mkdtempSync(path.join(path.dirname(dbPath), '.backage-restore-'))
  try {
    const staged = path.join(dir, 'backage.db')
    await decompressTo(data, staged, decompressionCap(data.byteLength))
    installDatabaseFile(staged, dbPath)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Streams the zstd `data` into `file`, stopping with `CorruptSnapshot` past `cap` bytes. */
async function decompressTo(data: Uint8Array, file: string, cap: number): Promise<void> {
  let written = 0
  const bounded = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.byteLength
      if (written > cap) done(new CorruptSnapshot('decompression', `it expands past ${cap} bytes (${DECOMPRESSION_RATIO_CAP} × the asset, at least 64 MiB, at most 16 GiB)`))
      else done(null, chunk)
    }
  })
  try {
    await pipeline(Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]), createZstdDecompress(), bounded, createWriteStream(file))
  } catch (error) {
    if (error instanceof CorruptSnapshot) throw error
    throw new CorruptSnapshot('decompression', errorMessage(error))
  }
}

/**
 * Checks the SQLite file at `candidate` and, when `PRAGMA integrity_check` says `ok`, moves it to
 * `dbPath` (same file system: an atomic rename), dropping the old file's WAL and shared memory.
 * On failure throws `CorruptSnapshot` and leaves `dbPath` untouched.
 */
export function installDatabaseFile(candidate: string, dbPath: string): void {
  const problem = integrityProblem(candidate)
  if (problem !== null) throw new CorruptSnapshot('integrity', problem)
  const version = storedSchemaVersion(candidate)
  if (version > LATEST_SCHEMA_VERSION) {
    throw new CorruptSnapshot(
      'schema',
      `its database schema version ${version} is newer than this action knows (${LATEST_SCHEMA_VERSION}): it was written by a newer version of the action`
    )
  }
  for (const sidecar of [`${dbPath}-wal`, `${dbPath}-shm`]) if (existsSync(sidecar)) rmSync(sidecar)
  renameSync(candidate, dbPath)
}

/** null when the file is a sound SQLite database, else what `integrity_check` (or opening) said. */
export function integrityProblem(file: string): string | null {
  let db: DatabaseSync | undefined
  try {
    db = new DatabaseSync(file, { readOnly: true })
    const rows = db.prepare('PRAGMA integrity_check').all()
    const messages = rows.map((row) => String(Object.values(row)[0]))
    return messages.length === 1 && messages[0] === 'ok' ? null : messages.slice(0, 5).join('; ')
  } catch (error) {
    return errorMessage(error)
  } finally {
    db?.close()
  }
}

/** The schema version recorded in a (sound) database file, read without writing to it (0: none). */
function storedSchemaVersion(file: string): number {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get()
    if (table === undefined) return 0
    const version = db.prepare('SELECT max(version) AS version FROM schema_version').get()?.version
    return typeof version === 'number' ? version : 0
  } finally {
    db.close()
  }
}
