/**
 * Database snapshots (SPEC 7): a consistent copy compressed with zstd and named by its SHA-256, and
 * the way back: verify, decompress, check integrity, then move into place atomically. Also the one
 * place that defines how release notes carry the checksum and what the asset is called.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib'
import type { Store } from './store.js'
import { errorMessage } from '../log.js'

export const SNAPSHOT_ASSET_NAME = 'backage.db.zst'
export const SNAPSHOT_CONTENT_TYPE = 'application/zstd'

/** zstd level: 9 compresses a history database well at a few tens of MB/s. */
const ZSTD_LEVEL = 9

/** Machine-readable checksum line of the release notes, e.g. `sha256: 3a7b...`. */
export function checksumLine(sha256: string): string {
  return `sha256: ${sha256}`
}

/** The checksum a release body states, or null when it states none. */
export function parseChecksumLine(body: string): string | null {
  const match = /^sha256: ([0-9a-f]{64})\s*$/m.exec(body)
  return match?.[1] ?? null
}

/** A snapshot that must not be used: names what failed (checksum, decompression, integrity). */
export class CorruptSnapshot extends Error {
  constructor(
    readonly check: 'checksum' | 'decompression' | 'integrity',
    detail: string
  ) {
    super(`corrupt snapshot (${check}): ${detail}`)
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
 * copy. With `copyTo`, the uncompressed copy is kept there (the Actions cache stores it).
 */
export async function compressDatabase(store: Store, options: { copyTo?: string } = {}): Promise<CompressedDatabase> {
  store.checkpoint()
  const base = options.copyTo === undefined ? os.tmpdir() : path.dirname(options.copyTo)
  const dir = mkdtempSync(path.join(base, '.backage-snapshot-'))
  const copy = path.join(dir, 'backage.db')
  try {
    store.vacuumInto(copy)
    const raw = readFileSync(copy)
    const data = new Uint8Array(zstdCompressSync(raw, { params: { [constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } }))
    if (options.copyTo !== undefined) renameSync(copy, options.copyTo)
    return { data, sha256: sha256Hex(data), rawBytes: raw.byteLength }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Restores a compressed snapshot to `dbPath`: checksum, decompression and `PRAGMA integrity_check`
 * must all pass, else `CorruptSnapshot` is thrown and `dbPath` is left as it was.
 */
export async function restoreDatabase(data: Uint8Array, expectedSha256: string, dbPath: string): Promise<void> {
  const actual = sha256Hex(data)
  if (actual !== expectedSha256.toLowerCase()) {
    throw new CorruptSnapshot('checksum', `expected sha256 ${expectedSha256}, got ${actual}`)
  }
  let raw: Uint8Array
  try {
    raw = zstdDecompressSync(data)
  } catch (error) {
    throw new CorruptSnapshot('decompression', String(error))
  }
  const dir = mkdtempSync(path.join(path.dirname(dbPath), '.backage-restore-'))
  try {
    const staged = path.join(dir, 'backage.db')
    writeFileSync(staged, raw)
    installDatabaseFile(staged, dbPath)
  } finally {
    rmSync(dir, { recursive: true, force: true })
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
