import { describe, expect, it } from '@jest/globals'
import { formatCount, formatSize } from '../../src/render/format.js'

describe('formatCount (SPEC 6.2)', () => {
  it.each([
    [4181, '4.1k'],
    [1500000, '1.5M'],
    [999950, '999.9k'],
    [999, '999'],
    [-1, '-1'],
    [0, '0'],
    [1000, '1k'],
    [1099, '1k'],
    [999999, '999.9k'],
    [1000000, '1M'],
    [2883, '2.8k'],
    [45169, '45.1k'],
    [1234567890, '1.2B'],
    [9_999_999_999_999, '9.9T'],
    [1_500_000_000_000_000, '1500T']
  ])('%d → %s', (n, text) => {
    expect(formatCount(n)).toBe(text)
  })
})

describe('formatSize (SPEC 6.2)', () => {
  it.each([
    [87996604, '87.9 MB'],
    [88009952, '88 MB'],
    [2131096524, '2.1 GB'],
    [999, '999'],
    [0, '0'],
    [-1, '-1'],
    [1000, '1 kB'],
    [1999, '1.9 kB'],
    [1_234_000_000_000, '1.2 TB']
  ])('%d → %s', (n, text) => {
    expect(formatSize(n)).toBe(text)
  })
})
