/**
 * Hostile names end to end (SPEC 6.4, 12): repositories named `.gitmodules`, `.gitattributes`,
 * `.json`, `.xml` and a package named `.json` make a valid index under `%2E…` names, which a remote
 * running `receive.fsckObjects` accepts (the harness runs `git fsck --strict` after every run), and
 * the owner's aggregate `dot-lab/.json` stays the owner's array. A name too long for a file is left
 * out with one warning.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { hostileScenario, LONG_NAME } from '../../test-support/hostile-scenario.js'
import { assertRemoteFsckClean, createSandbox, git, readBranch, runAction, type Sandbox } from '../../test-support/e2e.js'

type Json = Record<string, unknown>

describe('hostile repository and package names, end to end', () => {
  let gh: FakeGitHub
  let sandbox: Sandbox

  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario: hostileScenario() })
    sandbox = createSandbox()
  })

  afterAll(async () => {
    await gh.stop()
    sandbox.dispose()
  })

  it('pushes a valid index holding them under %2E names, twice', async () => {
    for (let run = 1; run <= 2; run++) {
      const result = await runAction({ gh, workspace: sandbox.newWorkspace(), inputs: { discover: 'none', release: 'false' } })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.outputs.packages).toBe('6') // refreshed and stored; one of them is not published
      // The package whose name does not fit is left out with one warning per run.
      const warnings = result.stdout.split('\n').filter((line) => line.startsWith('::warning::'))
      expect(warnings).toEqual([`::warning::dot-lab/tools/npm/${LONG_NAME} is left out of the index: a name of it is over 250 bytes as a file name`])
    }
    const files = readBranch(sandbox.origin, 'index')
    const parse = (name: string): Json => JSON.parse(files.get(name) ?? 'null') as Json
    // [path on the branch, repo and package fields (URL form, SPEC 6.2), total from the scenario]
    const expected: [string, string, string, number][] = [
      ['dot-lab/%2Egitmodules/modules-kit.json', '.gitmodules', 'modules-kit', 300],
      ['dot-lab/%2Egitattributes/attributes-kit.json', '.gitattributes', 'attributes-kit', 110],
      ['dot-lab/%2Ejson/json-kit.json', '.json', 'json-kit', 6000],
      ['dot-lab/%2Exml/xml-kit.json', '.xml', 'xml-kit', 7],
      ['dot-lab/tools/%2Ejson.json', 'tools', '.json', 42]
    ]
    for (const [name, repo, pkg, total] of expected) {
      expect([name, parse(name)]).toEqual([name, expect.objectContaining({ repo, package: pkg, raw_downloads: total })])
      expect(files.has(name.replace(/\.json$/, '.xml'))).toBe(true)
    }
    const owner = JSON.parse(files.get('dot-lab/.json') ?? 'null') as Json[]
    expect(owner.map((p) => p.package).sort()).toEqual(['.json', 'attributes-kit', 'json-kit', 'modules-kit', 'xml-kit'])
    expect(files.get('dot-lab/.xml')?.startsWith('<?xml')).toBe(true)
    expect(parse('.json')).toMatchObject({ raw_owners: 1, raw_repos: 5, raw_packages: 5 })
    expect([...files.keys()].filter((name) => name.includes('d%2Fd%2F'))).toEqual([])
    // Apart from the aggregates, the only dotted names are the two root marker files.
    const dotted = [...files.keys()].filter((name) => name.split('/').some((part) => part.startsWith('.') && !['.json', '.xml'].includes(part)))
    expect(dotted.sort()).toEqual(['.backage-index', '.nojekyll'])
  })

  it('the harness would catch the old tree: the origin refuses it and fsck --strict fails on it', () => {
    // What a naive writer made of a repository named `.gitmodules`: a folder where git wants a file.
    const workspace = sandbox.newWorkspace()
    const blob = git(workspace, 'hash-object', '-w', '--stdin')
    const inner = git(workspace, 'mktree', '--missing') // an empty tree stands in for the folder's files
    const tree = execFileSync('git', ['mktree'], { cwd: workspace, input: `100644 blob ${blob}\t.json\n040000 tree ${inner}\t.gitmodules\n`, encoding: 'utf8' }).trim()
    const commit = git(workspace, 'commit-tree', tree, '-m', 'naive')
    expect(() => git(workspace, 'push', '--quiet', 'origin', `${commit}:refs/heads/naive`)).toThrow(/gitmodules/i)
    expect(() => assertRemoteFsckClean(workspace)).toThrow(/git fsck --strict failed[\s\S]*gitmodules/i)
  })
})
