/**
 * Shard deltas as workflow artifacts (SPEC 13.2), through `@actions/artifact`: the shard uploads
 * `backage-shard-K-of-N` (replacing one of the same name from an earlier attempt, kept one day), the
 * merge lists the artifacts of the current workflow run and downloads those named so. The library
 * talks to the results service of `ACTIONS_RESULTS_URL` with `ACTIONS_RUNTIME_TOKEN`, and refuses
 * GitHub Enterprise Server hosts; settings.ts checks both before any network call.
 */
import * as path from 'node:path'
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact'
import { parseShardName, shardName } from '../domain/shard.js'
import type { DeltaHandover, HandedDelta } from '../pipeline/handover.js'

/** Artifacts are only handed from the shards to the merge of the same run: one day is plenty. */
export const SHARD_RETENTION_DAYS = 1

export function artifactHandover(
  log: { info(message: string): void },
  client: ArtifactClient = new DefaultArtifactClient()
): DeltaHandover {
  return {
    where: 'workflow artifacts',
    async put(shard, file) {
      const name = shardName(shard)
      // A re-run attempt of the job finds its earlier upload: the newer reading replaces it.
      try {
        await client.deleteArtifact(name)
        log.info(`replaced the artifact ${name} of an earlier attempt`)
      } catch (error) {
        if (!isNotFound(error)) throw error
      }
      await client.uploadArtifact(name, [file], path.dirname(file), { retentionDays: SHARD_RETENTION_DAYS })
      return name
    },
    async fetchAll(dir) {
      const { artifacts } = await client.listArtifacts({ latest: true })
      const found: HandedDelta[] = []
      for (const artifact of artifacts) {
        const shard = parseShardName(artifact.name)
        if (shard === null || artifact.name !== shardName(shard)) continue
        const into = path.join(dir, artifact.name)
        await client.downloadArtifact(artifact.id, { path: into })
        found.push({ name: artifact.name, shard, file: path.join(into, `${artifact.name}.db`) })
      }
      return found
    }
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ArtifactNotFoundError' || /not found/i.test(error.message))
}
