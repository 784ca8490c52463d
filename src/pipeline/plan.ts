/**
 * Planning a run (SPEC 4.3): which owners to refresh, in which order, and which cycle the run
 * belongs to. Pure: the store's rows and the clock in, an ordered plan out.
 */

/** What the planner needs to know about one owner. */
export interface PlanOwner {
  login: string
  /** Asked for by the `owners` input, `owners-file` or the repository owner itself. */
  manual: boolean
  /** Never refreshed. */
  isNew: boolean
  /** The oldest `lastRefresh` among the owner's packages (null: some package never refreshed). */
  oldestPackageRefresh: string | null
  /** When the owner was last refreshed (null: never). */
  lastRefresh: string | null
  /** Discovery edges pointing at the owner (stars, follows, ...). */
  edgeCount: number
  /** Consecutive failures. */
  failures: number
  /** ISO time before which the owner is not retried (null: no backoff). */
  nextAttempt: string | null
}

/** Why an owner is in the plan, for the log and the job summary. */
export type PlanReason = 'new' | 'manual' | 'queue'

export interface PlannedOwner {
  login: string
  reason: PlanReason
}

/** Share of the front of the queue reserved for new owners and manual requests. */
export const DEFAULT_RESERVED_SHARE = 0.25

/**
 * Orders the owners for this run. Owners in backoff are left out. New owners and manual requests
 * take a reserved share of the front, interleaved (first slot theirs) so that neither group starves
 * the other; the rest come by the age of their oldest package refresh (never-refreshed first), then
 * by discovery edges (more first), then by login so the order is deterministic.
 */
export function planOwners(input: { owners: PlanOwner[]; now: Date; reservedShare?: number }): PlannedOwner[] {
  const share = clampShare(input.reservedShare ?? DEFAULT_RESERVED_SHARE)
  const nowMs = input.now.getTime()
  const ready = input.owners.filter((owner) => !inBackoff(owner, nowMs))

  const priority = ready
    .filter((owner) => owner.manual || owner.isNew)
    // Manual requests are what a person asked for just now: they go before merely new owners.
    .sort((a, b) => Number(b.manual) - Number(a.manual) || compareByAge(a, b))
  const rest = ready.filter((owner) => !owner.manual && !owner.isNew).sort(compareByAge)

  const plan: PlannedOwner[] = []
  let p = 0
  let r = 0
  while (p < priority.length || r < rest.length) {
    // The priority group gets slot i while it has had no more than `share * i` slots so far.
    const priorityTurn = p <= share * plan.length + 1e-9
    if (p < priority.length && (priorityTurn || r >= rest.length)) {
      const owner = priority[p++] as PlanOwner
      plan.push({ login: owner.login, reason: owner.manual ? 'manual' : 'new' })
    } else {
      const owner = rest[r++] as PlanOwner
      plan.push({ login: owner.login, reason: 'queue' })
    }
  }
  return plan
}

const HOUR_MS = 60 * 60 * 1000
const MAX_BACKOFF_MS = 24 * HOUR_MS

/** When a failed owner may be tried again: 1 h after the first failure, doubling, at most 24 h. */
export function backoffUntil(failures: number, now: Date): string {
  const exponent = Math.max(0, Math.min(failures, 32) - 1)
  const delay = Math.min(HOUR_MS * 2 ** exponent, MAX_BACKOFF_MS)
  return new Date(now.getTime() + delay).toISOString()
}

// ---- cycles ----

/**
 * The cycle this run works in. A cycle ends when every known package has been refreshed since it
 * began, i.e. every package carries a `refreshedCycle` at least the stored cycle; then the next one
 * starts. Cycles count from 1; `stored` is null before the first run.
 */
export function currentCycle(stored: number | null, refreshedCycles: Iterable<number>): number {
  const cycle = stored ?? 1
  let any = false
  for (const refreshed of refreshedCycles) {
    any = true
    if (refreshed < cycle) return cycle
  }
  return any ? cycle + 1 : cycle
}

/**
 * The order in which an owner's packages are refreshed, so a run stopped inside an owner has done
 * the most overdue ones: packages not yet refreshed in the current cycle (never refreshed first),
 * then by age of their last refresh. Stable for equal keys.
 */
export function orderPackagesForCycle<T extends { refreshedCycle: number | null; lastRefresh: string | null }>(
  packages: readonly T[],
  cycle: number
): T[] {
  const pending = (pkg: T): number => ((pkg.refreshedCycle ?? 0) < cycle ? 0 : 1)
  return [...packages].sort((a, b) => pending(a) - pending(b) || compareIsoNullFirst(a.lastRefresh, b.lastRefresh))
}

// ---- from store rows to plan input ----

/** The fields of the store's owner row the planner reads (structurally `StoredOwner`). */
export interface OwnerRow {
  login: string
  lastRefresh: string | null
  failures: number
  nextAttempt: string | null
  edges: readonly string[]
}

/** The fields of the store's package row the planner reads (structurally `StoredPackage`). */
export interface PackageRow {
  ref: { owner: string }
  lastRefresh: string | null
}

/**
 * Builds the planner's view from the store: `manual` holds the logins asked for by the inputs,
 * the owners file and the repository owner (compared case-insensitively).
 */
export function planOwnersFromStore(
  owners: readonly OwnerRow[],
  packages: readonly PackageRow[],
  manual: Iterable<string>
): PlanOwner[] {
  const manualSet = new Set([...manual].map((login) => login.toLowerCase()))
  const oldest = new Map<string, string | null>()
  for (const pkg of packages) {
    const key = pkg.ref.owner.toLowerCase()
    const previous = oldest.get(key)
    if (previous === undefined || compareIsoNullFirst(pkg.lastRefresh, previous) < 0) oldest.set(key, pkg.lastRefresh)
  }
  return owners.map((owner) => ({
    login: owner.login,
    manual: manualSet.has(owner.login.toLowerCase()),
    isNew: owner.lastRefresh === null,
    // An owner without known packages has nothing overdue, so it sorts by its own last refresh.
    oldestPackageRefresh: oldest.has(owner.login.toLowerCase())
      ? (oldest.get(owner.login.toLowerCase()) ?? null)
      : owner.lastRefresh,
    lastRefresh: owner.lastRefresh,
    edgeCount: owner.edges.length,
    failures: owner.failures,
    nextAttempt: owner.nextAttempt
  }))
}

// ---- helpers ----

function inBackoff(owner: PlanOwner, nowMs: number): boolean {
  if (owner.nextAttempt === null) return false
  const until = Date.parse(owner.nextAttempt)
  return Number.isFinite(until) && until > nowMs
}

function compareByAge(a: PlanOwner, b: PlanOwner): number {
  return (
    compareIsoNullFirst(a.oldestPackageRefresh, b.oldestPackageRefresh) ||
    b.edgeCount - a.edgeCount ||
    compareStrings(a.login.toLowerCase(), b.login.toLowerCase()) ||
    compareStrings(a.login, b.login)
  )
}

/** Never (null) sorts before any time; times compare as instants. */
function compareIsoNullFirst(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return Date.parse(a) - Date.parse(b) || compareStrings(a, b)
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function clampShare(share: number): number {
  if (!Number.isFinite(share)) return DEFAULT_RESERVED_SHARE
  return Math.min(1, Math.max(0, share))
}
