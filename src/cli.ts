/**
 * `npm start -- --owner NAME [--out DIR]`: the same pipeline as the action, from a terminal, against
 * real github.com (or GITHUB_SERVER_URL/GITHUB_API_URL/GITHUB_GRAPHQL_URL), writing the index to a
 * folder. The database stays in `--data` between runs, so history builds up locally; nothing is
 * pushed or released. The token comes from GH_TOKEN or GITHUB_TOKEN only: a flag would leave it in
 * the shell history and the process list.
 */
import { parseArgs } from 'node:util'
import * as path from 'node:path'
import { DEFAULT_HOSTS, loadSettings, Inputs, type Settings } from './settings.js'
import { runPipeline } from './pipeline/run.js'
import { cappedLog, errorMessage, type Log } from './log.js'

export const HELP = `usage: npm start -- --owner NAME [--owner NAME ...] [options]

Scrapes the download counts of the public GitHub Packages of each owner and writes the
backage index (JSON and XML files) to a folder.

options:
  --owner NAME        a user or organization to index (repeatable, required)
  --out DIR           where to write the index (default: ./backage-index)
  --data DIR          where the database is kept between runs (default: ./.backage)
  --concurrency N     parallel page requests, 1 to 10 (default: 4)
  --max-duration MIN  minutes before a graceful stop (default: 60)
  --registry URL      container registry for image sizes (default: ${DEFAULT_HOSTS.registry})
  --save-pages DIR    save every github.com page fetched into DIR (attach it to a bug report)
  --verbose           print debug lines
  --help              this text

The token is read from GH_TOKEN, else GITHUB_TOKEN (never from a flag). Without one it works
with GitHub's anonymous limit of 60 API requests an hour.`

export class UsageError extends Error {}

export interface CliOptions {
  owners: string[]
  out: string
  data: string
  token: string
  concurrency: string
  maxDuration: string
  /** Empty: the action's default registry. */
  registry: string
  /** Folder for `--save-pages`, or null. */
  savePages: string | null
  verbose: boolean
}

/** Arguments → options; throws UsageError with a message a person can act on. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        owner: { type: 'string', multiple: true },
        out: { type: 'string' },
        data: { type: 'string' },
        concurrency: { type: 'string' },
        'max-duration': { type: 'string' },
        registry: { type: 'string' },
        'save-pages': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new UsageError(`${errorMessage(error)}\n\n${HELP}`)
  }
  const { values } = parsed
  if (values.help) return 'help'
  const owners = values.owner ?? []
  if (owners.length === 0) throw new UsageError(`--owner is required\n\n${HELP}`)
  return {
    owners,
    out: path.resolve(values.out ?? 'backage-index'),
    data: path.resolve(values.data ?? '.backage'),
    token: env.GH_TOKEN || env.GITHUB_TOKEN || '',
    concurrency: values.concurrency ?? '4',
    maxDuration: values['max-duration'] ?? '60',
    registry: values.registry ?? '',
    savePages: values['save-pages'] === undefined ? null : path.resolve(values['save-pages']),
    verbose: values.verbose ?? false
  }
}

/** CLI options → the action's Settings, through the same validation as the action's inputs. */
export function cliSettings(options: CliOptions, env: NodeJS.ProcessEnv): Settings {
  const inputs: Partial<Record<Inputs, string>> = {
    [Inputs.Token]: options.token,
    [Inputs.Owners]: options.owners.join(','),
    [Inputs.Discover]: 'none',
    [Inputs.Concurrency]: options.concurrency,
    [Inputs.MaxDuration]: options.maxDuration,
    [Inputs.RegistryUrl]: options.registry,
    [Inputs.Release]: 'false',
    [Inputs.DryRun]: 'true'
  }
  const first = options.owners[0] ?? ''
  const settings = loadSettings((name) => inputs[name] ?? '', {
    GITHUB_API_URL: env.GITHUB_API_URL,
    GITHUB_GRAPHQL_URL: env.GITHUB_GRAPHQL_URL,
    GITHUB_SERVER_URL: env.GITHUB_SERVER_URL,
    GITHUB_REPOSITORY: env.GITHUB_REPOSITORY ?? `${first}/backage`,
    GITHUB_REPOSITORY_OWNER: first,
    GITHUB_WORKSPACE: process.cwd(),
    RUNNER_TEMP: options.data
  })
  // The CLI names its owners on the command line: it reads no owners or opt-out file.
  return { ...settings, ownersFile: null, optoutFile: null }
}

function consoleLog(verbose: boolean): Log {
  return {
    debug: (m) => verbose && console.log(`debug: ${m}`),
    info: (m) => console.log(m),
    notice: (m) => console.log(`notice: ${m}`),
    warning: (m) => console.warn(`warning: ${m}`),
    error: (m) => console.error(`error: ${m}`)
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let options: CliOptions | 'help'
  let settings: Settings
  try {
    options = parseCli(argv, env)
    if (options === 'help') {
      console.log(HELP)
      return 0
    }
    settings = cliSettings(options, env)
  } catch (error) {
    console.error(errorMessage(error))
    return 2
  }
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort(new Error('interrupted')))
  const log = cappedLog(consoleLog(options.verbose))
  let result
  try {
    // `--out` is checked before anything is fetched: only a missing, empty or earlier index folder.
    result = await runPipeline(settings, {
      log,
      indexDir: options.out,
      stop: stop.signal,
      restore: false,
      savePages: options.savePages ?? undefined
    })
  } catch (error) {
    console.error(errorMessage(error))
    return 1
  } finally {
    log.finish()
  }
  console.log(
    `\n${result.ownersRefreshed} owners, ${result.packagesRefreshed} packages refreshed, ${result.refresh.stale.length} stale` +
      `${result.complete ? '' : ` (stopped early: ${result.stopReason})`}; index in ${result.indexDir}`
  )
  if (options.savePages) console.log(`pages saved in ${options.savePages} (pages.tsv lists each file with its URL)`)
  for (const problem of result.errors) console.error(problem)
  return result.errors.length > 0 ? 1 : 0
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  process.exitCode = await main(process.argv.slice(2), process.env)
}
