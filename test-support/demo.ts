/**
 * `npm run demo`: no network, no token. Starts the embedded sample GitHub (the fake server the
 * tests use, with its sample scenario), runs the bundled action against it in dry run, then prints
 * where the index went, a table of what it found, and the badge URLs a user would paste.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import * as path from 'node:path'
import { FakeGitHub } from './fake-github/server.js'
import { sampleScenario } from './sample-scenario.js'
import { bundledAction, createSandbox, runAction } from './e2e.js'
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
          if (line.trim() !== '' && !line.startsWith('::debug::')) print(`  │ ${line}`)
        }
      }
    })
    if (run.code !== 0) {
      print(run.stderr)
      throw new Error(`the action exited with code ${run.code}`)
    }
    const indexDir = path.join(sandbox.runnerTemp, 'backage-index')
    const packages = readIndex(indexDir)
    print(`\nindex written to ${indexDir} (${packages.length} packages; outputs: ${JSON.stringify(run.outputs)})\n`)
    const rows = [['owner/repo/package', 'type', 'downloads', 'month', 'week', 'day', 'versions', 'size']]
    for (const p of packages) {
      rows.push([`${p.owner}/${p.repo}/${p.package}`, p.package_type, p.downloads, p.downloads_month, p.downloads_week, p.downloads_day, p.versions, p.size])
    }
    print(formatTable(rows))
    const first = packages[0]
    if (first) {
      const raw = `https://raw.githubusercontent.com/${owner}/${name}/index/${first.owner}/${first.repo}/${first.package}.json`
      print(`\nendpoint (after a real run): ${raw}`)
      print(`badge: https://img.shields.io/badge/dynamic/json?url=${encodeURIComponent(raw)}&query=%24.downloads&label=downloads`)
      const xml = raw.replace(/\.json$/, '.xml')
      print(
        `badge (XML, latest tag): https://img.shields.io/badge/dynamic/xml?url=${encodeURIComponent(xml)}&query=${encodeURIComponent('/xml/version[./latest[.="true"]]/tags[.!="latest"]')}&label=latest`
      )
    }
    printReadyToPaste(run.summary, print)
    print(`\nopen ${path.join(indexDir, 'README.md')} to see the index README.`)
    return { indexDir, packages }
  } finally {
    await gh.stop()
    // Keep the index folder for the user to inspect; drop the git sandbox around it.
    for (const entry of readdirSync(sandbox.root)) {
      if (entry !== 'runner-temp') rmSync(path.join(sandbox.root, entry), { recursive: true, force: true })
    }
  }
}
