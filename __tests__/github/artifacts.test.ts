/**
 * The workflow-artifact hand-over of shard deltas (SPEC 13.2) through the real `@actions/artifact`,
 * against a fake results service on 127.0.0.1 (the library refuses hosts other than github.com and
 * GHE.com, so GITHUB_SERVER_URL says github.com while ACTIONS_RESULTS_URL points at the fake).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { artifactHandover } from '../../src/github/artifacts.js'
import { FakeArtifactService } from '../../test-support/fake-artifacts.js'

const ENV = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL', 'GITHUB_SERVER_URL', 'GITHUB_WORKSPACE'] as const

describe('artifactHandover', () => {
  let service: FakeArtifactService
  let dir: string
  const saved = new Map<string, string | undefined>()

  beforeAll(async () => {
    service = await FakeArtifactService.start()
    dir = mkdtempSync(path.join(os.tmpdir(), 'backage-artifacts-'))
    for (const name of ENV) saved.set(name, process.env[name])
    process.env.ACTIONS_RUNTIME_TOKEN = FakeArtifactService.runtimeToken('run-1', 'job-1')
    process.env.ACTIONS_RESULTS_URL = `${service.url}/`
    process.env.GITHUB_SERVER_URL = 'https://github.com'
    process.env.GITHUB_WORKSPACE = dir
  })

  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    await service.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** A delta file as the shard stage writes it: `backage-shard-K-of-N.db` in a folder of its own. */
  function deltaFile(folder: string, name: string, content: string): string {
    mkdirSync(path.join(dir, folder), { recursive: true })
    const file = path.join(dir, folder, name)
    writeFileSync(file, content)
    return file
  }

  const quiet = { info: () => undefined }

  it('uploads backage-shard-K-of-N kept one day, replaces an earlier attempt, and the merge downloads each', async () => {
    const handover = artifactHandover(quiet)
    const started = Date.now()
    expect(await handover.put({ index: 1, count: 2 }, deltaFile('a1', 'backage-shard-1-of-2.db', 'first attempt'))).toBe('backage-shard-1-of-2')
    expect(await handover.put({ index: 1, count: 2 }, deltaFile('a2', 'backage-shard-1-of-2.db', 'second attempt'))).toBe('backage-shard-1-of-2')
    expect(await handover.put({ index: 2, count: 2 }, deltaFile('b', 'backage-shard-2-of-2.db', 'shard two'))).toBe('backage-shard-2-of-2')

    expect(service.artifacts.map((artifact) => artifact.name)).toEqual(['backage-shard-1-of-2', 'backage-shard-2-of-2'])
    expect(service.calls).toContain('DeleteArtifact')
    for (const artifact of service.artifacts) {
      const expires = Date.parse(artifact.expiresAt ?? '')
      expect(expires - started).toBeGreaterThan(23 * 3600_000)
      expect(expires - started).toBeLessThan(25 * 3600_000)
    }

    const fetched = await handover.fetchAll(path.join(dir, 'in'))
    const byName = new Map(fetched.map((delta) => [delta.name, delta]))
    expect([...byName.keys()].sort()).toEqual(['backage-shard-1-of-2', 'backage-shard-2-of-2'])
    expect(byName.get('backage-shard-1-of-2')?.shard).toEqual({ index: 1, count: 2 })
    expect(readFileSync(byName.get('backage-shard-1-of-2')?.file ?? '', 'utf8')).toBe('second attempt')
    expect(readFileSync(byName.get('backage-shard-2-of-2')?.file ?? '', 'utf8')).toBe('shard two')
  })

  it('ignores artifacts of the run that are not shard deltas', async () => {
    const handover = artifactHandover(quiet)
    const other = deltaFile('c', 'report.txt', 'not a delta')
    // Uploaded under a name the merge does not take.
    await (await import('@actions/artifact')).default.uploadArtifact('coverage-report', [other], path.dirname(other))
    const names = (await handover.fetchAll(path.join(dir, 'in2'))).map((delta) => delta.name).sort()
    expect(names).toEqual(['backage-shard-1-of-2', 'backage-shard-2-of-2'])
  })
})
