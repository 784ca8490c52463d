/**
 * What of a refresh may be stored (SPEC 12): a number that is not a safe integer ≥ 0 must never reach
 * the database, where it would break every later run. The package's own numbers are judged by
 * `mergeReading`; this judges the versions and the counts around them. Pure.
 *
 * A version observation with an unsafe id or download count is dropped; the list it came from is then
 * not complete (nothing may be deleted on its evidence) and neither is a pass over the versions pages.
 * An unsafe window or size is dropped alone (the version's other numbers still count).
 */
import type { DownloadWindows, ImageSize, PackageRefresh, VersionObservation } from '../types.js'
import { isCount } from './merge-reading.js'

/** A GitHub id (owner, version): a safe integer > 0. */
export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

/** A count, or −1 where −1 means unknown. */
export function isCountOrUnknown(value: unknown): value is number {
  return value === -1 || isCount(value)
}

export interface StorableRefresh {
  refresh: PackageRefresh
  /** What was dropped, for the log. */
  refused: string[]
}

export function storableRefresh(refresh: PackageRefresh): StorableRefresh {
  const refused: string[] = []
  const versions: VersionObservation[] = []
  for (const version of refresh.versions) {
    if (!isId(version.id) || !isCount(version.downloads)) {
      refused.push(`version ${String(version.id)}: downloads ${String(version.downloads)} or its id is not a safe integer`)
      continue
    }
    const kept: VersionObservation = { id: version.id, name: version.name, tags: version.tags, downloads: version.downloads }
    if (version.windows !== undefined) {
      if (windowsOk(version.windows)) kept.windows = version.windows
      else refused.push(`version ${version.id}: windows ${JSON.stringify(version.windows)} are not safe integers`)
    }
    if (version.size !== undefined) {
      if (sizeOk(version.size)) kept.size = version.size
      else refused.push(`version ${version.id}: size ${JSON.stringify(version.size)} is not a safe integer`)
    }
    versions.push(kept)
  }
  const droppedVersions = versions.length < refresh.versions.length
  const versionCount = refresh.versionCount === null || isCount(refresh.versionCount) ? refresh.versionCount : null
  if (versionCount !== refresh.versionCount) refused.push(`version count ${String(refresh.versionCount)} is not a safe integer`)
  return {
    refresh: {
      ...refresh,
      versions,
      versionCount,
      versionsComplete: refresh.versionsComplete && !droppedVersions,
      versionsPassStartedAt: droppedVersions ? null : refresh.versionsPassStartedAt,
      versionsPassComplete: refresh.versionsPassComplete && !droppedVersions
    },
    refused
  }
}

function windowsOk(windows: DownloadWindows): boolean {
  return isCountOrUnknown(windows.day) && isCountOrUnknown(windows.week) && isCountOrUnknown(windows.month)
}

function sizeOk(size: ImageSize): boolean {
  return isCount(size.size) && Object.values(size.platforms).every(isCount)
}
