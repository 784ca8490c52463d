/**
 * The JSON files the page reads (SPEC 10, shapes as published) and how it finds them: every path is
 * relative to the page, built from the 6.4 segments of `list.json`, with each `%` written `%25`.
 */

export interface ListFile { packageNames: string[] }

export interface StatisticsFile {
  timestamp: number
  totals: { owners: number; repos: number; packages: number; versions: number; downloads: number }
  start: string
  daily: number[]
}

export interface VersionRef { id: number; name: string; tags: string[] }

export interface PackageFile {
  name: string
  owner: string
  repo: string
  type: string
  html_url: string
  install: string
  latest: VersionRef | null
  newest: VersionRef | null
  versions: number
  tagged: number
  size: number
  downloads: {
    total: number
    last_day: number
    last_week: number
    last_month: number
    last_year: number
    last_year_complete: boolean
  }
  stale?: Record<string, string | null>
  date: string
}

export interface HistoryFile { start: string; end: string; daily: number[]; totals: number[] }

export interface VersionsPage {
  page: number
  page_size: number
  total: number
  next: number | null
  versions: { id: number; name: string; tags: string[]; downloads: number; size: number; date: string }[]
}

export interface BadgeFile { schemaVersion: 1; label: string; message: string; color: string; namedLogo?: string }

/** The path of an index file as a URL path relative to the page (`tools%2Fcli` → `tools%252Fcli`). */
export function relativeUrl(indexPath: string): string {
  return indexPath.replace(/%/g, '%25')
}

export class NotFound extends Error {}

/** Fetches one index file as JSON; a 404 is `NotFound`, anything else an Error naming the file. */
export async function getJson<T>(indexPath: string): Promise<T> {
  const response = await fetch(relativeUrl(indexPath), { headers: { accept: 'application/json' } })
  if (response.status === 404) throw new NotFound(`${indexPath} is not in this index`)
  if (!response.ok) throw new Error(`${indexPath}: HTTP ${response.status}`)
  return (await response.json()) as T
}

/**
 * Where the index is published for programs (SPEC 10's RAW): on GitHub Pages
 * (`OWNER.github.io`) the raw.githubusercontent.com URL of the branch the action wrote into the
 * page; on any other host the page's own folder, which serves the same files.
 */
export function rawBase(): string {
  const { owner, repo, branch } = document.documentElement.dataset
  if (location.hostname.toLowerCase().endsWith('.github.io') && owner && repo && branch) {
    const ref = branch.split('/').map(encodeURIComponent).join('/')
    return `https://raw.githubusercontent.com/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/${ref}`
  }
  return new URL('.', location.href).href.replace(/\/$/, '')
}

/** The URL a program (or shields.io) fetches an index file at. */
export function publicUrl(indexPath: string): string {
  return `${rawBase()}/${relativeUrl(indexPath)}`
}

/** A 6.4 segment as people read it (`xacc%2Falpine` → `xacc/alpine`, `%2Egithub` → `.github`). */
export function readable(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** One Unix time (seconds, UTC midnight) per day from `start`, `count` days: the x values of a chart. */
export function dayStamps(start: string, count: number): number[] {
  const first = Date.parse(`${start}T00:00:00Z`) / 1000
  return Array.from({ length: count }, (_, i) => first + i * 86400)
}
