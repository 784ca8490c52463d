/**
 * The `shard` and `mode` inputs (SPEC 2.1, 13.2) and where deltas are handed over: a folder named by
 * `BACKAGE_SHARDS_DIR`, else workflow artifacts, which exist only inside Actions and only on the hosts
 * `@actions/artifact` serves. Part of settings.ts (which spells the input names), checked before any
 * network call; each problem names the input and the expected form.
 */
import * as path from 'node:path'
import { MAX_SHARDS, parseShard, type Shard } from './domain/shard.js'

export interface ShardSettings {
  shard: Shard | null
  mode: 'run' | 'merge'
  shardsDir: string | null
}

export function readShardSettings(
  shardText: string,
  modeText: string,
  env: NodeJS.ProcessEnv,
  names: { shard: string; mode: string },
  problems: string[]
): ShardSettings {
  const shard = shardText === '' ? null : parseShard(shardText)
  if (shardText !== '' && shard === null) {
    problems.push(`input "${names.shard}" is "${shardText}": expected K/N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}, such as 2/4, or empty`)
  }
  if (modeText !== 'run' && modeText !== 'merge') {
    problems.push(`input "${names.mode}" is "${modeText}": expected run or merge`)
  }
  const mode = modeText === 'merge' ? 'merge' : 'run'
  if (shardText !== '' && mode === 'merge') {
    problems.push(
      `input "${names.shard}" is "${shardText}" with input "${names.mode}" merge: a merge job applies every shard's delta, ` +
        `so it takes no shard; expected "${names.shard}" empty in the merge job`
    )
  }
  const dirText = (env.BACKAGE_SHARDS_DIR ?? '').trim()
  const shardsDir = dirText === '' ? null : path.resolve(dirText)
  const handsOver = shardText !== '' || mode === 'merge'
  const which = shardText !== '' ? names.shard : names.mode
  const runtime = (env.ACTIONS_RUNTIME_TOKEN ?? '').trim() !== '' && (env.ACTIONS_RESULTS_URL ?? '').trim() !== ''
  if (handsOver && shardsDir === null && !runtime) {
    problems.push(
      `input "${which}" needs a place to hand deltas over: workflow artifacts (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL, ` +
        'present inside GitHub Actions) or a folder named by the environment variable BACKAGE_SHARDS_DIR'
    )
  }
  const server = (env.GITHUB_SERVER_URL ?? '').trim() || 'https://github.com'
  if (handsOver && shardsDir === null && runtime && !artifactsServed(server)) {
    problems.push(
      `input "${which}": workflow artifacts (@actions/artifact) do not work on GitHub Enterprise Server (${server}); ` +
        'set BACKAGE_SHARDS_DIR to a folder on a volume the jobs share, or run a single job'
    )
  }
  return { shard, mode, shardsDir }
}

/** The hosts `@actions/artifact` serves: github.com and GHE.com (`*.ghe.com`); it refuses the rest. */
function artifactsServed(serverUrl: string): boolean {
  try {
    const host = new URL(serverUrl).hostname.toLowerCase()
    return host === 'github.com' || host.endsWith('.ghe.com') || host.endsWith('.localhost')
  } catch {
    return false
  }
}
