/**
 * Shards (SPEC 13.2), the pure part: the `K/N` form of the `shard` input, which owners a shard
 * refreshes (`fnv1a32(utf8(String(id))) % N === K − 1`), and the name a shard's delta is handed over
 * under. The hash is of the numeric id, never the login: a login can be renamed, an id cannot, so an
 * owner stays in its shard across runs.
 */

export interface Shard {
  /** K, from 1. */
  index: number
  /** N, the number of shards, 1 ≤ K ≤ N ≤ MAX_SHARDS. */
  count: number
}

export const MAX_SHARDS = 64

/** The prefix every delta's name starts with (artifacts and files alike). */
export const SHARD_NAME_PREFIX = 'backage-shard-'

/** `K/N` → the shard, or null when the text is not that form within the bounds. */
export function parseShard(text: string): Shard | null {
  const match = /^(\d{1,2})\/(\d{1,2})$/.exec(text.trim())
  if (match === null) return null
  const index = Number(match[1])
  const count = Number(match[2])
  if (index < 1 || count < 1 || index > count || count > MAX_SHARDS) return null
  return { index, count }
}

/** 32-bit FNV-1a of the bytes, unsigned. */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5
  for (const byte of bytes) {
    hash ^= byte
    // hash * 16777619 mod 2^32, with Math.imul keeping it within 32 bits.
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

const encoder = new TextEncoder()

/** The shard (K − 1, from 0) an owner id belongs to among `count` shards. */
export function shardOfOwnerId(id: number, count: number): number {
  return fnv1a32(encoder.encode(String(id))) % count
}

/** Whether `shard` refreshes the owner; an owner without an id yet waits for the merge job. */
export function isOwnerInShard(id: number | null, shard: Shard): boolean {
  return id !== null && shardOfOwnerId(id, shard.count) === shard.index - 1
}

/** `backage-shard-K-of-N`: the artifact's name; the folder adapter adds `.db`. */
export function shardName(shard: Shard): string {
  return `${SHARD_NAME_PREFIX}${shard.index}-of-${shard.count}`
}

/** The shard a handed-over name stands for (`backage-shard-K-of-N`, `.db` allowed), or null. */
export function parseShardName(name: string): Shard | null {
  const match = /^backage-shard-(\d{1,2})-of-(\d{1,2})(?:\.db)?$/.exec(name)
  return match === null ? null : parseShard(`${match[1]}/${match[2]}`)
}
