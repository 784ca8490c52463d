/**
 * The job summary (markdown) of a run: pure, from the RunResult, so it is tested without Actions.
 * Every list shows at most LISTED_LIMIT items and a count of the rest, every item is cut to a
 * line's length, and the whole stays under 1 MiB (Actions refuses a larger summary; SPEC 12).
 */
import { LISTED_LIMIT, listed } from './log.js'
import type { RunResult } from './pipeline/run.js'
import type { Settings } from './settings.js'
import { pasteBadgesMarkdown, type PasteBadge } from './render/api/paste.js'

/** GitHub's limit for a step summary is 1 MiB; the cut leaves room for the note that says so. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 1024
const MAX_ITEM_CHARS = 1000

/** One item as one line of bounded length (a stranger's error text can be anything). */
function line(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ')
  return flat.length > MAX_ITEM_CHARS ? `${flat.slice(0, MAX_ITEM_CHARS)}…` : flat
}

function escapeCell(text: string): string {
  return line(text).replace(/\|/g, '\\|')
}

function moreNote(more: number): string {
  return more > 0 ? `\n\n… and ${more} more (the first ${LISTED_LIMIT} are listed)` : ''
}

/** A table of at most LISTED_LIMIT rows, with a count of the rows left out. */
function table(header: string[], allRows: string[][]): string {
  const { shown, more } = listed(allRows)
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`]
  for (const row of shown) lines.push(`| ${row.map(escapeCell).join(' | ')} |`)
  return lines.join('\n') + moreNote(more)
}

/** A bullet list of at most LISTED_LIMIT items, with a count of those left out. */
function bullets(items: readonly string[]): string {
  const { shown, more } = listed(items)
  return shown.map((item) => `- ${line(item)}`).join('\n') + moreNote(more)
}

/** The summary cut to SUMMARY_MAX_BYTES at a line boundary, saying so (the last fence: lists are capped already). */
export function bounded(markdown: string): string {
  if (Buffer.byteLength(markdown, 'utf8') <= SUMMARY_MAX_BYTES) return markdown
  let cut = Buffer.from(markdown, 'utf8').subarray(0, SUMMARY_MAX_BYTES).toString('utf8')
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))
  return `${cut}\n\n… (the summary is cut here: GitHub shows at most 1 MiB)\n`
}

export function renderSummary(result: RunResult, settings: Settings): string {
  const { owner, name } = settings.env.repository
  const parts: string[] = ['## backage']
  const status = result.complete ? 'complete' : `stopped early (${result.stopReason ?? 'incomplete'})`
  parts.push(
    `Run ${status}: ${result.ownersRefreshed} owners and ${result.packagesRefreshed} packages refreshed, ` +
      `${result.refresh.stale.length} stale. The index holds ${result.counts.owners} owners, ` +
      `${result.counts.repos} repos and ${result.counts.packages} packages. Database restored from: ${result.restoredFrom}.`
  )
  const links: string[] = []
  if (result.indexCommit) {
    links.push(`[index branch](${settings.env.serverUrl}/${owner}/${name}/tree/${settings.indexBranch}) at \`${result.indexCommit.slice(0, 12)}\``)
  }
  if (result.indexDir) links.push(`dry run: index written to \`${result.indexDir}\``)
  if (result.releaseTag) {
    links.push(`[snapshot release ${result.releaseTag}](${settings.env.serverUrl}/${owner}/${name}/releases/tag/${result.releaseTag})`)
  }
  if (links.length > 0) parts.push(links.join(' · '))

  if (result.refresh.owners.length > 0) {
    const rows = [...result.refresh.owners]
      .sort((a, b) => b.downloads - a.downloads)
      .map((o) => [o.login, String(o.packages), String(o.downloads)])
    parts.push('### Owners refreshed', table(['owner', 'packages', 'downloads'], rows))
  }
  if (result.refresh.stale.length > 0) {
    const rows = result.refresh.stale.map((s) => [`${s.ref.owner}/${s.ref.type}/${s.ref.name}`, s.page, s.marker])
    parts.push(
      '### Stale packages (kept at their last good numbers)',
      table(['package', 'page', 'marker not understood'], rows)
    )
  }
  if (result.refresh.failedOwners.length > 0) {
    parts.push('### Owners that failed', table(['owner', 'error'], result.refresh.failedOwners.map((f) => [f.login, f.error])))
  }
  if (result.errors.length > 0 || result.ownerFileProblems.length > 0) {
    parts.push('### Problems', bullets([...result.errors, ...result.ownerFileProblems]))
  }
  if (result.badges.length > 0) parts.push(readyToPaste(result.badges))
  const requests = Object.entries(result.requests).map(([kind, count]) => `${kind} ${count}`)
  const rate = Object.entries(result.rateLimit)
    .filter((entry): entry is [string, { remaining: number; limit: number }] => entry[1] !== undefined)
    .map(([kind, r]) => `${kind} ${r.remaining}/${r.limit}`)
  parts.push(
    '### Requests and time',
    table(
      ['requests', 'rate limit remaining', 'time per stage'],
      [[requests.join(', ') || 'none', rate.join(', ') || 'unknown', result.timings.map((t) => `${t.stage} ${(t.ms / 1000).toFixed(1)} s`).join(', ')]]
    )
  )
  return bounded(parts.join('\n\n') + '\n')
}

/** The heading of the ready-to-paste badges (the demo prints the section under it). */
export const READY_TO_PASTE_HEADING = '### Badges, ready to paste'

/** SPEC 10.3: the repository owner's badges, ready to paste (the same list as the index README's). */
export function readyToPaste(badges: readonly PasteBadge[]): string {
  return `${READY_TO_PASTE_HEADING}\n\n${pasteBadgesMarkdown(badges).trimEnd()}`
}
