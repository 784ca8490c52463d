/**
 * The small pieces a quiet refresh (SPEC 13.1) needs beside refresh-package.ts: what the package
 * page shows for the versions decision, a versions reading that reads nothing and keeps the stored
 * cursor and pass (the versions keep their numbers and `date`), and the listing's confirmation.
 */
import { utcDay, type DailyCount, type DownloadWindows, type PackagePage, type PackageRef, type PackageRefresh } from '../types.js'
import type { PageFacts, QuietState, RotationBudget, VersionsPlan } from '../domain/quiet.js'
import type { PackageMemory, VersionsRead } from './refresh-package.js'

/** The total and the newest version the page shows (null: it shows none, which counts as known). */
export function pageFacts(page: PackagePage): PageFacts {
  const ids = page.recent.map((row) => row.id)
  return { total: page.total, newestShown: ids.length > 0 ? Math.max(...ids) : null }
}

/**
 * The versions decision with the run's share of rotations (SPEC 13.1): whether the list is read, and
 * whether the refresh counts as quiet for the rotation. `granted`: the turn was taken already (by the
 * listing path); no budget (a caller outside the stage): every turn is granted.
 */
export function quietDecision(plan: VersionsPlan, budget: RotationBudget | undefined, granted: boolean): { readList: boolean; counted: boolean } {
  if (plan === 'read') return { readList: true, counted: false }
  if (granted) return { readList: true, counted: true }
  const allowed = budget ? budget.take(plan === 'rotation') : plan === 'rotation'
  if (plan === 'rotation') return { readList: allowed, counted: allowed }
  return { readList: false, counted: true }
}

/** No versions page read: nothing is proven, the rotation cursor and a pass in progress stay. */
export function versionsKept(memory: PackageMemory): VersionsRead {
  return { rows: new Map(), complete: false, count: null, nextCursor: memory.versionsCursor, pass: 'kept', passEnds: false }
}

/**
 * The refresh that the listing's confirmation stands for (SPEC 13.1): the stored total, the windows
 * derived from the newest full reading, no versions read (the cursor and a pass in progress stay).
 * Not a full reading itself (no chart), so it never extends the 7 days.
 */
export function listingConfirmation(
  ref: PackageRef,
  ownerId: number,
  memory: PackageMemory & { quiet: QuietState },
  windows: DownloadWindows,
  /** The derived days (0 each) since the newest chart day of that reading. */
  derived: DailyCount[],
  at: Date,
  /** Counted as a quiet refresh (false: a rotation turn the run's share refused, kept for next time). */
  counted: boolean
): PackageRefresh {
  return {
    ref,
    ownerId,
    day: utcDay(at),
    at: at.toISOString(),
    downloads: memory.quiet.total,
    windows,
    lastPublished: null,
    versions: [],
    versionsComplete: false,
    versionCount: null,
    versionsCursor: memory.versionsCursor,
    versionsPassStartedAt: memory.versionsPassStartedAt ?? null,
    versionsPassComplete: false,
    problems: [],
    // Counted as a quiet refresh, so the rotation turn comes for confirmed packages too.
    quiet: counted,
    derived
  }
}
