/**
 * Sizing container images within a refresh (SPEC 5.4): versions never sized get at most
 * `SIZES_PER_REFRESH` registry lookups per refresh; a known size is never fetched again.
 */
import type { ImageSizer } from '../ports.js'
import type { PackageRef, VersionObservation } from '../types.js'
import type { PackageMemory, PackageRefreshContext } from './refresh-package.js'
import { isStopError } from './page-fetch.js'

/** Registry size lookups per refresh at most (sizes are immutable, so the rest come in later refreshes). */
export const SIZES_PER_REFRESH = 3

/**
 * Sizes versions never sized (SPEC 5.4: a known size is never fetched again), with at most
 * `SIZES_PER_REFRESH` registry lookups per refresh. Versions new to the store come first, newest
 * first, so a new release is sized at once. The backlog (versions already known, still unsized: not
 * reached yet, or the registry had no size for them) follows, newest first but from a starting
 * point that moves with the hour of the refresh, so versions the registry never sizes cannot hold
 * the others back refresh after refresh. A version without a size (null: no such manifest) is not
 * asked again in the run (by this or another package of the same image); `private` (the repository
 * cannot be pulled anonymously) ends the package's lookups.
 */
export async function sizeNewestUnsized(
  ctx: PackageRefreshContext,
  ref: PackageRef,
  newestFirst: VersionObservation[],
  memory: PackageMemory | null,
  at: Date
): Promise<void> {
  const sized = memory?.sizedVersionIds ?? new Set<number>()
  const known = memory?.knownVersionIds ?? new Set<number>()
  const keyOf = (reference: string): string => `${ref.owner}/${ref.name}@${reference}`.toLowerCase()
  const unsized = newestFirst.filter((version) => {
    const reference = imageReference(version)
    return !sized.has(version.id) && reference !== null && !ctx.unsizable?.has(keyOf(reference))
  })
  const fresh = unsized.filter((version) => !known.has(version.id))
  const backlog = unsized.filter((version) => known.has(version.id))
  const start = backlog.length > 0 ? Math.floor(at.getTime() / 3_600_000) % backlog.length : 0
  const order = [...fresh, ...backlog.slice(start), ...backlog.slice(0, start)]

  for (const version of order.slice(0, SIZES_PER_REFRESH)) {
    const reference = imageReference(version) as string
    let size: Awaited<ReturnType<ImageSizer['sizeOf']>>
    try {
      size = await ctx.sizer.sizeOf(ref.owner, ref.name, reference, ctx.signal)
    } catch (error) {
      if (ctx.signal.aborted || isStopError(error)) throw error
      // A size is a nice-to-have: the numbers of the refresh still count.
      ctx.log.debug(`size of ${ref.owner}/${ref.name}@${reference} not read: ${String(error)}`)
      continue
    }
    if (size === 'private') return
    if (size === null) ctx.unsizable?.add(keyOf(reference))
    else version.size = size
  }
}

/** The digest when the version name is one, else its first tag. */
function imageReference(version: VersionObservation): string | null {
  if (version.name.startsWith('sha256:')) return version.name
  return version.tags[0] ?? null
}
