/**
 * Human forms of counts and sizes (SPEC 6.2): the largest unit 1000^k not above the value,
 * truncated (never rounded) to one decimal, `.0` dropped. Integer arithmetic throughout, so a
 * value just below a unit boundary (999950 → `999.9k`) is never pushed over it by float rounding.
 */

const COUNT_UNITS = ['', 'k', 'M', 'B', 'T'] as const
const SIZE_UNITS = ['', ' kB', ' MB', ' GB', ' TB'] as const

function formatWithUnits(value: number, units: readonly string[]): string {
  const n = Math.trunc(value)
  if (n < 1000) return String(n) // includes -1 = unknown
  let k = 0
  let unit = 1
  while (k < units.length - 1 && n >= unit * 1000) {
    k++
    unit *= 1000
  }
  // Tenths of the unit, exactly: (n - n mod d) / d is an exact integer division for safe integers.
  const tenthDivisor = unit / 10
  const tenths = (n - (n % tenthDivisor)) / tenthDivisor
  const whole = Math.floor(tenths / 10)
  const decimal = tenths % 10
  return `${whole}${decimal === 0 ? '' : `.${decimal}`}${units[k] ?? ''}`
}

/** `4181` → `4.1k`, `1500000` → `1.5M`, `999` → `999`, `-1` → `-1`. */
export function formatCount(n: number): string {
  return formatWithUnits(n, COUNT_UNITS)
}

/** `87996604` → `87.9 MB`, `88009952` → `88 MB`; under 1000 bytes just the number. */
export function formatSize(bytes: number): string {
  return formatWithUnits(bytes, SIZE_UNITS)
}
