/**
 * A shard's refresh report as it travels in its delta (SPEC 13.2), and the merge job's report made of
 * them: the `owners`/`packages`/`stale` outputs of a merge are the sums over the shards, and it is
 * complete only when every shard handed a complete report over. Pure.
 */
import type { PackageRef } from '../types.js'
import { packageRef } from '../package-ref.js'
import type { RefreshReport, StalePackage } from './refresh.js'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const count = (value: unknown): number => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0)
const str = (value: unknown): string => (typeof value === 'string' ? value : '')
const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

function ref(value: unknown): PackageRef | null {
  if (!isObject(value)) return null
  const checked = packageRef({
    ownerType: str(value.ownerType),
    owner: str(value.owner),
    type: str(value.type),
    name: str(value.name),
    repo: typeof value.repo === 'string' ? value.repo : null
  })
  return checked.ok ? checked.ref : null
}

function refs(value: unknown): PackageRef[] {
  return items(value).flatMap((item) => {
    const checked = ref(item)
    return checked === null ? [] : [checked]
  })
}

/**
 * The report a delta carries, read defensively (the file came through a service): items that do not
 * have the expected shape are left out. Null when it is not a report at all.
 */
export function reportFromJson(text: string): RefreshReport | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  if (!isObject(parsed) || typeof parsed.complete !== 'boolean') return null
  const retired = isObject(parsed.retired) ? parsed.retired : {}
  return {
    owners: items(parsed.owners).flatMap((item) =>
      isObject(item) && typeof item.login === 'string'
        ? [{ login: item.login, packages: count(item.packages), downloads: count(item.downloads) }]
        : []
    ),
    refreshed: refs(parsed.refreshed),
    stale: items(parsed.stale).flatMap((item): StalePackage[] => {
      const checked = isObject(item) ? ref(item.ref) : null
      return checked === null || !isObject(item) ? [] : [{ ref: checked, page: str(item.page), marker: str(item.marker) }]
    }),
    failedOwners: items(parsed.failedOwners).flatMap((item) =>
      isObject(item) && typeof item.login === 'string' ? [{ login: item.login, error: str(item.error) }] : []
    ),
    retired: {
      owners: items(retired.owners).filter((login): login is string => typeof login === 'string'),
      packages: refs(retired.packages)
    },
    complete: parsed.complete,
    stopReason: typeof parsed.stopReason === 'string' ? parsed.stopReason : null
  }
}

/** One report for the merge: the shards' lists joined; complete when no shard is missing or stopped. */
export function combineReports(reports: { label: string; report: RefreshReport }[], missing: string[]): RefreshReport {
  const reasons = [
    ...missing.map((label) => `shard ${label} handed over no delta`),
    ...reports.filter(({ report }) => !report.complete).map(({ label, report }) => `shard ${label}: ${report.stopReason ?? 'stopped early'}`)
  ]
  return {
    owners: reports.flatMap(({ report }) => report.owners),
    refreshed: reports.flatMap(({ report }) => report.refreshed),
    stale: reports.flatMap(({ report }) => report.stale),
    failedOwners: reports.flatMap(({ report }) => report.failedOwners),
    retired: {
      owners: reports.flatMap(({ report }) => report.retired.owners),
      packages: reports.flatMap(({ report }) => report.retired.packages)
    },
    complete: reasons.length === 0,
    stopReason: reasons.length === 0 ? null : reasons.join('; ')
  }
}
