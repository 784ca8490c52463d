/**
 * Tags of snapshot releases (SPEC 7): `snapshot-YYYYMMDD-HHMMSS` in UTC, with `-2`, `-3`... when a
 * tag of the same second exists. The tag is a naming convention, not a clock: snapshots are ordered
 * by the release's `created_at` (see pipeline/snapshot-releases.ts), so a skewed or hand-made tag
 * such as `snapshot-20991231-000000` cannot pass for the newest.
 */
export const SNAPSHOT_TAG_PREFIX = 'snapshot-'

const TAG = /^snapshot-\d{8}-\d{6}(-\d+)?$/

/** True for tags of the snapshot form only (a Java `snapshot-1.2` is not one). */
export function isSnapshotTag(tag: string): boolean {
  return TAG.test(tag)
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
