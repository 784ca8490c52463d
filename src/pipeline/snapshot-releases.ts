/**
 * Which releases are snapshots, and in what order (SPEC 7), for restore and pruning alike. A snapshot
 * release has a tag of the snapshot form, is not a draft and carries the snapshot asset; snapshots are
 * ordered by the release's `created_at` as the API reports it (ties: the higher release id), because
 * the tag is a naming convention that a skewed clock or a hand-made tag can make lie.
 */
import type { Release } from '../ports.js'
import { SNAPSHOT_ASSET_NAME } from '../store/snapshot.js'
import { isSnapshotTag } from '../store/snapshot-tags.js'

export interface SnapshotReleases {
  /** Snapshot releases, newest first. */
  snapshots: Release[]
  /** Drafts with a snapshot tag: a release being written, or left by a run that was killed. */
  drafts: Release[]
  /** Releases that look like snapshots but are not, with why (each worth a notice). */
  ignored: { tag: string; reason: string }[]
}

/** Creation time in ms; a time the API did not give sorts as the oldest. */
export function createdAt(release: Release): number {
  const time = Date.parse(release.created_at)
  return Number.isFinite(time) ? time : Number.NEGATIVE_INFINITY
}

/** Newest first by `created_at`, ties by the higher id. */
export function newestFirst(a: Release, b: Release): number {
  const byTime = createdAt(b) - createdAt(a)
  return Number.isNaN(byTime) || byTime === 0 ? b.id - a.id : byTime
}

export function classifyReleases(releases: readonly Release[]): SnapshotReleases {
  const result: SnapshotReleases = { snapshots: [], drafts: [], ignored: [] }
  for (const release of releases) {
    const tag = release.tag_name
    if (!isSnapshotTag(tag)) {
      // The repository's own releases (v1.0.0) are none of our business; a lookalike gets a notice.
      if (/^snapshot/i.test(tag)) result.ignored.push({ tag, reason: 'its tag is not of the form snapshot-YYYYMMDD-HHMMSS' })
    } else if (release.draft) {
      result.drafts.push(release)
    } else if (!release.assets.some((asset) => asset.name === SNAPSHOT_ASSET_NAME)) {
      result.ignored.push({ tag, reason: `it carries no ${SNAPSHOT_ASSET_NAME} asset` })
    } else {
      result.snapshots.push(release)
    }
  }
  result.snapshots.sort(newestFirst)
  result.drafts.sort(newestFirst)
  return result
}
