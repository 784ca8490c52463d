/**
 * Tags of snapshot releases (SPEC 7): `snapshot-YYYYMMDD-HHMMSS` in UTC, with `-2`, `-3`... when a
 * tag of the same second exists. The tag is the snapshot's time, so ordering needs no API call.
 */
export const SNAPSHOT_TAG_PREFIX = 'snapshot-'

const TAG = /^snapshot-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?$/

export interface SnapshotTag {
  /** The UTC second the snapshot was taken. */
  time: Date
  /** 1 for the plain tag, 2 for `-2`, ... */
  sequence: number
}

export function isSnapshotTag(tag: string): boolean {
  return tag.startsWith(SNAPSHOT_TAG_PREFIX)
}

/** The time and sequence a snapshot tag encodes, or null when it is not of the snapshot form. */
export function parseSnapshotTag(tag: string): SnapshotTag | null {
  const match = TAG.exec(tag)
  if (match === null) return null
  const [, year, month, day, hour, minute, second, sequence] = match
  const time = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`)
  if (Number.isNaN(time.getTime())) return null
  return { time, sequence: sequence === undefined ? 1 : Number(sequence) }
}

/** Newest first; tags that do not parse sort last, among themselves by name descending. */
export function compareSnapshotTagsNewestFirst(a: string, b: string): number {
  const pa = parseSnapshotTag(a)
  const pb = parseSnapshotTag(b)
  if (pa && pb) return pb.time.getTime() - pa.time.getTime() || pb.sequence - pa.sequence
  if (pa) return -1
  if (pb) return 1
  return a < b ? 1 : a > b ? -1 : 0
}

/** The tag for a snapshot taken at `now`, unique among `existing`. */
export function snapshotTagFor(now: Date, existing: Iterable<string>): string {
  const taken = new Set(existing)
  const iso = now.toISOString() // YYYY-MM-DDTHH:MM:SS.sssZ
  const base = `${SNAPSHOT_TAG_PREFIX}${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`
  if (!taken.has(base)) return base
  for (let sequence = 2; ; sequence++) {
    const tag = `${base}-${sequence}`
    if (!taken.has(tag)) return tag
  }
}
