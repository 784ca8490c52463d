/**
 * The job summary (markdown) of a run: pure, from the RunResult, so it is tested without Actions.
 */
import type { RunResult } from './pipeline/run.js'
import type { Settings } from './settings.js'
import { pasteBadgesMarkdown, type PasteBadge } from './render/api/paste.js'

const MAX_ROWS = 50

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`]
  for (const row of rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`)
  return lines.join('\n')
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
      .slice(0, MAX_ROWS)
      .map((o) => [o.login, String(o.packages), String(o.downloads)])
    parts.push('### Owners refreshed', table(['owner', 'packages', 'downloads'], rows))
  }
  if (result.refresh.stale.length > 0) {
    const rows = result.refresh.stale
      .slice(0, MAX_ROWS)
      .map((s) => [`${s.ref.owner}/${s.ref.type}/${s.ref.name}`, s.page, s.marker])
    parts.push(
      '### Stale packages (kept at their last good numbers)',
      table(['package', 'page', 'marker not understood'], rows)
    )
  }
  if (result.refresh.failedOwners.length > 0) {
    parts.push('### Owners that failed', table(['owner', 'error'], result.refresh.failedOwners.map((f) => [f.login, f.error])))
  }
  if (result.errors.length > 0 || result.ownerFileProblems.length > 0) {
    parts.push('### Problems', [...result.errors, ...result.ownerFileProblems].map((p) => `- ${p}`).join('\n'))
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
  return parts.join('\n\n') + '\n'
}

/** The heading of the ready-to-paste badges (the demo prints the section under it). */
export const READY_TO_PASTE_HEADING = '### Badges, ready to paste'

/** SPEC 10.3: the repository owner's badges, ready to paste (the same list as the index README's). */
export function readyToPaste(badges: readonly PasteBadge[]): string {
  return `${READY_TO_PASTE_HEADING}\n\n${pasteBadgesMarkdown(badges).trimEnd()}`
}
