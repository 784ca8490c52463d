/**
 * UTC days as the database stores them: whole days since 1970-01-01 (2-3 bytes in SQLite, against
 * 10 for `YYYY-MM-DD`), which matters in tables with a row per package or version per day.
 */
import { utcDay, type Day } from '../types.js'

const MS_PER_DAY = 86_400_000
const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/

export function dayNumber(day: Day): number {
  const ms = DAY_FORMAT.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN
  if (!Number.isFinite(ms)) throw new Error(`not a UTC day (YYYY-MM-DD): ${JSON.stringify(day)}`)
  return Math.round(ms / MS_PER_DAY)
}

export function dayString(dayNumber: number): Day {
  return utcDay(new Date(dayNumber * MS_PER_DAY))
}
