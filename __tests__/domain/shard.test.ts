/** Shards (SPEC 13.2), the pure part: the `K/N` form, FNV-1a over the owner id, and the names deltas travel under. */
import { describe, expect, it } from '@jest/globals'
import { fnv1a32, isOwnerInShard, parseShard, parseShardName, shardName, shardOfOwnerId } from '../../src/domain/shard.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('fnv1a32', () => {
  // The published FNV-1a 32-bit test vectors, and SPEC 13.2's example.
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['1', 873244444],
    // By hand: (0x811c9dc5 ^ 0x32) * 16777619 mod 2^32 = 0x811c9df7 * 16777619 mod 2^32.
    ['2', 923577301]
  ])('hashes %p to %d', (text, hash) => expect(fnv1a32(utf8(text))).toBe(hash))
})

describe('owners in shards', () => {
  it('puts id 1 in shard 873244444 % N + 1, id 2 in 923577301 % N + 1', () => {
    // 873244444 % 4 = 0, % 3 = 1; 923577301 % 4 = 1, % 3 = 1.
    expect(shardOfOwnerId(1, 4)).toBe(0)
    expect(shardOfOwnerId(1, 3)).toBe(1)
    expect(shardOfOwnerId(2, 4)).toBe(1)
    expect(isOwnerInShard(1, { index: 1, count: 4 })).toBe(true)
    expect(isOwnerInShard(1, { index: 2, count: 4 })).toBe(false)
    expect(isOwnerInShard(2, { index: 2, count: 4 })).toBe(true)
    expect(isOwnerInShard(1, { index: 1, count: 1 })).toBe(true)
  })

  it('leaves owners without an id to the merge job', () => {
    expect(isOwnerInShard(null, { index: 1, count: 1 })).toBe(false)
  })

  it('gives every owner exactly one shard', () => {
    for (let id = 1; id <= 200; id++) {
      const shards = [1, 2, 3, 4, 5].filter((index) => isOwnerInShard(id, { index, count: 5 }))
      expect(shards).toHaveLength(1)
    }
  })
})

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 64/64 ', { index: 64, count: 64 }]
  ])('reads %p', (text, shard) => expect(parseShard(text)).toEqual(shard))
  it.each(['0/4', '5/4', '1/65', '1/0', '1', '1/2/3', 'a/b', '-1/4', '1.5/4', '01/100'])('refuses %p', (text) =>
    expect(parseShard(text)).toBeNull()
  )
})

describe('shard names', () => {
  it('names the artifact backage-shard-K-of-N and reads it back, with or without .db', () => {
    expect(shardName({ index: 3, count: 8 })).toBe('backage-shard-3-of-8')
    expect(parseShardName('backage-shard-3-of-8')).toEqual({ index: 3, count: 8 })
    expect(parseShardName('backage-shard-3-of-8.db')).toEqual({ index: 3, count: 8 })
    expect(parseShardName('backage-shard-9-of-8')).toBeNull()
    expect(parseShardName('other-3-of-8')).toBeNull()
  })
})
