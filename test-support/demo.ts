/**
 * `npm run demo`: no network, no token. Starts the embedded sample GitHub (the fake server the
 * tests use, with its sample scenario), runs the bundled action against it in dry run, then prints
 * where the index went, a table of what it found, the badge URLs a user would paste and the job
 * summary a real run writes, as text. Only what a person needs: workflow commands are turned into
 * plain lines or dropped.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import * as path from 'node:path'
import { FakeGitHub } from './fake-github/server.js'
import { sampleScenario } from './sample-scenario.js'
import { bundledAction, createSandbox, runAction } from './e2e.js'
import { siteHowTo } from './static-server.js'
import { DEFAULT_HOSTS } from '../src/settings.js'
import { indexFileUrl, indexPath, rawBaseUrl } from '../src/render/paths.js'

/** Shown for a value the index does not know (`-1`, e.g. the size of a non-container package). */
export const UNKNOWN = '—'
import { READY_TO_PASTE_HEADING } from '../src/summary.js'

export interface PublishedPackage {
  owner: string
  repo: string
  package: string
  package_type: string
  downloads: string
  downloads_month: string
  downloads_week: string
  downloads_day: string
  size: string
  versions: string
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')
}

/** A line of the action's stdout as a person reads it, or null to drop it (masks, debug, group ends). */
export function plainLine(line: string): string | null {
  if (line.trim() === '') return null
  const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line)
  if (!command) return line
  const [, name = '', message = ''] = command
  if (name === 'group') return `▸ ${message}`
  if (name === 'warning' || name === 'notice' || name === 'error') return `${name}: ${message}`
  return null
}

/** A job summary (markdown) as plain text: headings underlined, tables aligned, links as `text <url>`. */
export function summaryAsText(markdown: string): string {
  const out: string[] = []
  let table: string[][] = []
  const flush = (): void => {
    if (table.length > 0) out.push(...formatTable(table).split('\n').map((row) => `  ${row}`))
    table = []
  }
  for (const raw of markdown.split('\n')) {
    const line = raw.replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 <$2>').replace(/`/g, '')
    if (line.startsWith('|')) {
      if (/^\|(\s*-+\s*\|)+$/.test(line)) continue
      table.push(line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|')))
      continue
    }
    flush()
    const heading = /^(#+)\s+(.*)$/.exec(line)
    if (heading) {
      const title = heading[2] ?? ''
      out.push(title, (heading[1] === '##' ? '=' : '-').repeat(title.length))
    } else {
      out.push(line)
    }
  }
  flush()
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim()
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  return rows.map((row) => pad(row, widths).trimEnd()).join('\n')
}

/** Every package object of the index, read from the per-owner aggregates. */
export function readIndex(indexDir: string): PublishedPackage[] {
  const packages: PublishedPackage[] = []
  for (const owner of readdirSync(indexDir, { withFileTypes: true })) {
    if (!owner.isDirectory() || owner.name.startsWith('.')) continue
    const file = path.join(indexDir, owner.name, '.json')
    if (existsSync(file)) packages.push(...(JSON.parse(readFileSync(file, 'utf8')) as PublishedPackage[]))
  }
  return packages
}

/** Owners of the summary's "Owners refreshed" table with 0 packages. */
function ownersWithoutPackages(summary: string): string[] {
  const section = summary.split('### Owners refreshed')[1]?.split('\n### ')[0] ?? ''
  return [...section.matchAll(/^\| ([^|]+?) \| 0 \|/gm)].map((match) => match[1] ?? '')
}

/** Prints the ready-to-paste badges of the repository owner's packages, as the run's job summary lists them. */
export function printReadyToPaste(summary: string, print: (line: string) => void): void {
  const start = summary.indexOf(READY_TO_PASTE_HEADING)
  if (start < 0) return
  const end = summary.indexOf('\n### ', start + READY_TO_PASTE_HEADING.length)
  print('\nbadges to paste (endpoint Markdown, SVG and JSON URLs; on github.com they start with https://raw.githubusercontent.com/):')
  print(summary.slice(start + READY_TO_PASTE_HEADING.length, end < 0 ? undefined : end).trim())
}

export interface DemoResult {
  indexDir: string
  packages: PublishedPackage[]
}

/** Runs the whole demo, printing through `print`; the index folder is kept for the user. */
export async function runDemo(print: (line: string) => void = console.log): Promise<DemoResult> {
  if (!existsSync(bundledAction)) throw new Error(`${bundledAction} is missing: run npm run bundle first`)
  const scenario = sampleScenario()
  const gh = await FakeGitHub.start({ scenario })
  const sandbox = createSandbox({
    'owners.txt': '# the demo indexes these owners besides the discovered ones\nacme-labs\n',
    'optout.txt': '# nothing opted out in the demo\n'
  })
  const { owner, name } = scenario.repository
  print(`backage demo: a sample GitHub is serving ${scenario.owners.length} owners at ${gh.url} (no network used)`)
  print(`running ${path.relative(process.cwd(), bundledAction)} in dry run as ${owner}/${name} ...\n`)
  try {
    const run = await runAction({
      gh,
      workspace: sandbox.newWorkspace(),
      runnerTemp: sandbox.runnerTemp,
      inputs: { 'dry-run': 'true', concurrency: '4' },
      onOutput: (chunk) => {
        for (const line of chunk.split('\n')) {
          const plain = plainLine(line)
          if (plain !== null) print(`  │ ${plain}`)
        }
      }
    })
    if (run.code !== 0) {
      print(run.stderr)
      throw new Error(`the action exited with code ${run.code}`)
    }
    const indexDir = path.join(sandbox.runnerTemp, 'backage-index')
    const packages = readIndex(indexDir)
    const indexOwners = new Set(packages.map((p) => p.owner))
    const refreshed = Number(run.outputs.owners ?? '0')
    print(`\nindex written to ${indexDir}: ${packages.length} packages of ${indexOwners.size} owners`)
    if (refreshed !== indexOwners.size) {
      const empty = ownersWithoutPackages(run.summary)
      const why = empty.length > 0 ? `${empty.join(', ')} ${empty.length === 1 ? 'has' : 'have'} no public packages` : 'the others have no public packages'
      print(`${refreshed} owners were refreshed; the index lists ${indexOwners.size} because ${why}.`)
    }
    print(`run complete: ${run.outputs.complete === 'true' ? 'yes' : 'no'}; stale packages: ${run.outputs.stale ?? UNKNOWN}\n`)
    const rows = [['owner/repo/package', 'type', 'downloads', 'month', 'week', 'day', 'versions', 'size']]
    const shown = (value: string): string => (value === '-1' || value === '' ? UNKNOWN : value)
    for (const p of packages) {
      rows.push([`${p.owner}/${p.repo}/${p.package}`, p.package_type, ...[p.downloads, p.downloads_month, p.downloads_week, p.downloads_day, p.versions, p.size].map(shown)])
    }
    print(formatTable(rows))
    print(`(${UNKNOWN}: not known; sizes exist for container images only)`)
    const first = packages[0]
    if (first) {
      // Where the files would be served if this were github.com: the same builders the action uses.
      const base = rawBaseUrl(DEFAULT_HOSTS.server, owner, name, 'index')
      const file = (suffix: '.json' | '.xml'): string =>
        indexFileUrl(base, indexPath({ owner: first.owner, repo: first.repo, package: decodeURIComponent(first.package) }, suffix))
      print(`\nendpoint (after a real run on github.com): ${file('.json')}`)
      print(`badge: https://img.shields.io/badge/dynamic/json?url=${encodeURIComponent(file('.json'))}&query=%24.downloads&label=downloads`)
      print(
        `badge (XML, latest tag): https://img.shields.io/badge/dynamic/xml?url=${encodeURIComponent(file('.xml'))}&query=${encodeURIComponent('/xml/version[./latest[.="true"]]/tags[.!="latest"]')}&label=latest`
      )
    }
    printReadyToPaste(run.summary, print)
    print(`\nopen ${path.join(indexDir, 'README.md')} to see the index README.`)
    for (const line of siteHowTo(indexDir)) print(line)
    print('\nThe job summary a real run writes on its workflow run page:\n')
    print(summaryAsText(run.summary))
    return { indexDir, packages }
  } finally {
    await gh.stop()
    // Keep the index folder for the user to inspect; drop the git sandbox around it.
    for (const entry of readdirSync(sandbox.root)) {
      if (entry !== 'runner-temp') rmSync(path.join(sandbox.root, entry), { recursive: true, force: true })
    }
  }
}
