/**
 * The hand-over of shard deltas (SPEC 13.2): the port the shard and merge stages use, the folder
 * adapter (`BACKAGE_SHARDS_DIR`: self-hosting, the CLI, the tests) and the choice between it and
 * workflow artifacts (github/artifacts.ts).
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import * as path from 'node:path'
import { parseShardName, shardName, type Shard } from '../domain/shard.js'
import { artifactHandover } from '../github/artifacts.js'

/** A delta found for the merge: the name it was handed over under, its shard, its local file. */
export interface HandedDelta {
  name: string
  shard: Shard
  file: string
}

export interface DeltaHandover {
  /** Where deltas go, for the log. */
  readonly where: string
  /** Hands the shard's delta over, replacing one of the same shard; returns the name it goes by. */
  put(shard: Shard, file: string): Promise<string>
  /** Every delta handed over in this workflow run (folder: every one in it), local files under `dir`. */
  fetchAll(dir: string): Promise<HandedDelta[]>
}

/** Deltas as `backage-shard-K-of-N.db` files in one folder (a shared volume across runners). */
export function folderHandover(folder: string): DeltaHandover {
  return {
    where: `the folder ${folder} (BACKAGE_SHARDS_DIR)`,
    async put(shard, file) {
      mkdirSync(folder, { recursive: true })
      const target = path.join(folder, `${shardName(shard)}.db`)
      // Copied beside it, then renamed: a merge never reads half a file.
      const partial = `${target}.partial-${process.pid}`
      copyFileSync(file, partial)
      renameSync(partial, target)
      return target
    },
    async fetchAll() {
      let names: string[]
      try {
        names = readdirSync(folder)
      } catch {
        return []
      }
      return names.flatMap((name): HandedDelta[] => {
        const shard = name.endsWith('.db') ? parseShardName(name) : null
        return shard === null ? [] : [{ name, shard, file: path.join(folder, name) }]
      })
    }
  }
}

/** The folder when `BACKAGE_SHARDS_DIR` is set, else workflow artifacts (settings checked they exist). */
export function createHandover(shardsDir: string | null, log: { info(message: string): void }): DeltaHandover {
  return shardsDir !== null ? folderHandover(shardsDir) : artifactHandover(log)
}

/** The local file name a shard's delta is written to before it is handed over. */
export function deltaFileName(shard: Shard): string {
  return `${shardName(shard)}.db`
}

/** An empty folder for the deltas of this run (left over ones from an earlier run on this machine go). */
export function freshFolder(dir: string): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return dir
}
