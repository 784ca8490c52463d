/**
 * publishIndex against a real bare repository as `origin` and a real clone as the workspace.
 * A race is staged with a real `pre-push` hook in the workspace: it pushes from another clone
 * after our fetch, so the remote branch moves under our push.
 */
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publishIndex, type PublishIndexOptions } from '../../src/publish/git.js'
import { git } from './git-support.js'

const root = mkdtempSync(join(tmpdir(), 'backage-git-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))


let counter = 0
let origin = ''
let workspace = ''

/** A bare origin with `main`, and a fresh clone of it as the workspace. */
function setup(): void {
  const dir = join(root, String(++counter))
  origin = join(dir, 'origin.git')
  workspace = join(dir, 'workspace')
  git(root, 'init', '--quiet', '--bare', '-b', 'main', origin)
  git(origin, 'config', 'receive.fsckObjects', 'true') // as github.com
  git(root, 'clone', '--quiet', origin, workspace)
  writeFileSync(join(workspace, 'owners.txt'), 'acme\n')
  git(workspace, 'add', 'owners.txt')
  git(workspace, 'commit', '--quiet', '-m', 'main')
  git(workspace, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main')
}

function options(files: Record<string, string | Uint8Array>, overrides: Partial<PublishIndexOptions> = {}): PublishIndexOptions {
  return {
    workspace,
    remote: 'origin',
    branch: 'index',
    history: 'squash',
    files: new Map(Object.entries(files)),
    message: 'Update index',
    author: { name: 'backage', email: 'backage@example.com' },
    ...overrides
  }
}

/** path → content of the branch in the bare origin, the marker file aside (its own test checks it). */
function branchFiles(branch = 'index'): Record<string, string> {
  const paths = git(origin, 'ls-tree', '-r', '--name-only', '-z', branch)
    .split('\0')
    .filter((p) => p !== '' && p !== '.backage-index')
  return Object.fromEntries(paths.map((p) => [p, git(origin, 'cat-file', 'blob', `${branch}:${p}`)]))
}

function commitCount(branch = 'index'): number {
  return Number(git(origin, 'rev-list', '--count', branch))
}

/** Installs a pre-push hook that, once, commits `file` in another clone and pushes it to `index`. */
function raceOnce(mode: 'orphan' | 'on-top', file: string): void {
  const other = join(root, `other-${++counter}`)
  git(root, 'clone', '--quiet', origin, other)
  const marker = join(other, '.raced')
  const steps =
    mode === 'orphan'
      ? `git checkout -q --orphan race && git rm -rq --cached . && echo x > ${file} && echo i > .backage-index && git add ${file} .backage-index`
      : `git fetch -q origin index && git checkout -q -B race FETCH_HEAD && echo x > ${file} && git add ${file}`
  const hook = `#!/bin/sh
cat > /dev/null
[ -e "${marker}" ] && exit 0
touch "${marker}"
unset $(git rev-parse --local-env-vars)
cd "${other}" && ${steps} && git commit -qm race && git push -q --force origin HEAD:refs/heads/index
`
  const path = join(workspace, '.git', 'hooks', 'pre-push')
  writeFileSync(path, hook)
  chmodSync(path, 0o755)
}

describe('publishIndex', () => {
  beforeEach(setup)

  it('creates the branch as one orphan commit and force-pushes a single commit again under squash', async () => {
    const first = await publishIndex(options({ '.json': '{"a":1}\n', 'acme/tools/cli.json': '1\n', '.nojekyll': '' }))
    expect(first.changed).toBe(true)
    expect(git(origin, 'rev-parse', 'index')).toBe(first.commit)
    expect(branchFiles()).toEqual({ '.json': '{"a":1}', 'acme/tools/cli.json': '1', '.nojekyll': '' })
    expect(commitCount()).toBe(1)

    const second = await publishIndex(options({ '.json': '{"a":2}\n', 'acme/tools/api.json': '2\n' }))
    expect(second.changed).toBe(true)
    expect(second.commit).not.toBe(first.commit)
    expect(commitCount()).toBe(1) // squash: still one commit
    expect(branchFiles()).toEqual({ '.json': '{"a":2}', 'acme/tools/api.json': '2' }) // removed files are gone
    expect(git(origin, 'log', '-1', '--format=%an <%ae>|%cn|%s', 'index')).toBe(
      'backage <backage@example.com>|backage|Update index'
    )
  })

  it('adds one commit per run under keep', async () => {
    const first = await publishIndex(options({ 'a.json': '1\n' }, { history: 'keep' }))
    const second = await publishIndex(options({ 'a.json': '2\n' }, { history: 'keep' }))
    expect(commitCount()).toBe(2)
    expect(git(origin, 'rev-parse', 'index^')).toBe(first.commit)
    expect(git(origin, 'rev-parse', 'index')).toBe(second.commit)
  })

  // Every ref but the remote-tracking one a push to `origin` updates, as any `git push` does.
  const localRefs = (): string[] =>
    git(workspace, 'for-each-ref', '--format=%(refname)').split('\n').filter((r) => r !== 'refs/remotes/origin/index')

  it('leaves the workspace branch, index and working tree as they were', async () => {
    writeFileSync(join(workspace, 'owners.txt'), 'acme\nlocal-edit\n') // an uncommitted change must survive
    const before = {
      head: git(workspace, 'rev-parse', 'HEAD'),
      branch: git(workspace, 'symbolic-ref', 'HEAD'),
      status: git(workspace, 'status', '--porcelain'),
      index: git(workspace, 'ls-files', '-s'),
      refs: localRefs()
    }
    await publishIndex(options({ 'owners.txt': 'other\n', 'x/y.json': '{}\n' }))
    await publishIndex(options({ 'owners.txt': 'changed\n' }, { history: 'keep' }))
    expect({
      head: git(workspace, 'rev-parse', 'HEAD'),
      branch: git(workspace, 'symbolic-ref', 'HEAD'),
      status: git(workspace, 'status', '--porcelain'),
      index: git(workspace, 'ls-files', '-s'),
      refs: localRefs()
    }).toEqual(before)
    expect(before.status).toBe('M owners.txt')
    expect(readFileSync(join(workspace, 'owners.txt'), 'utf8')).toBe('acme\nlocal-edit\n')
  })

  it('pushes nothing when the content is unchanged', async () => {
    const files = { 'a.json': '1\n', 'b/c.xml': '<xml/>\n' }
    const first = await publishIndex(options(files))
    const lines: string[] = []
    const again = await publishIndex(options(files, { message: 'other message', log: (l) => lines.push(l) }))
    expect(again).toEqual({ commit: first.commit, changed: false })
    expect(git(origin, 'rev-parse', 'index')).toBe(first.commit)
    expect(lines.some((l) => l.startsWith('pushing'))).toBe(false)
  })

  it('keeps nested paths with %2F in their names, and accepts bytes', async () => {
    const files = {
      'acme/xacc%2Falpine/xacc%2Falpine.json': '{"package":"xacc%2Falpine"}\n',
      'acme/xacc%2Falpine/.xml': new TextEncoder().encode('<xml>é</xml>\n'),
      'acme/tools/.json': '[]\n'
    }
    await publishIndex(options(files))
    expect(branchFiles()).toEqual({
      'acme/xacc%2Falpine/xacc%2Falpine.json': '{"package":"xacc%2Falpine"}',
      'acme/xacc%2Falpine/.xml': '<xml>é</xml>',
      'acme/tools/.json': '[]'
    })
    expect(git(origin, 'ls-tree', '--name-only', 'index', 'acme/')).toBe('acme/tools\nacme/xacc%2Falpine')
  })

  it('streams the files from a generator, reusing the blobs the remote already has', async () => {
    let made = 0
    function* generate(content: string): Generator<[string, string]> {
      for (let i = 0; i < 500; i++) {
        made++
        yield [`owner-${i % 7}/repo-${i}/package.json`, `${content} ${i}\n`]
      }
      yield ['.nojekyll', '']
    }
    const lines: string[] = []
    const first = await publishIndex(options({}, { files: generate('v1'), log: (l) => lines.push(l) }))
    expect(first.changed).toBe(true)
    expect(made).toBe(500)
    const files = branchFiles()
    expect(Object.keys(files)).toHaveLength(501)
    expect(files['owner-3/repo-10/package.json']).toBe('v1 10')
    expect(lines).toContain('wrote 502 files (0 unchanged), deleted 0') // 501 and the marker file, added by the writer
    // The same content from a Map makes the same tree; from a generator again, nothing changes.
    const fromMap = new Map(generate('v1'))
    const again = await publishIndex(options({}, { files: fromMap, log: (l) => lines.push(l) }))
    expect(again).toEqual({ commit: first.commit, changed: false })
    expect(lines).toContain('wrote 502 files (502 unchanged), deleted 0')
    const third = await publishIndex(options({}, { files: generate('v1') }))
    expect(third).toEqual({ commit: first.commit, changed: false })
  })

  it('fails without committing anything when the files cannot be made', async () => {
    const first = await publishIndex(options({ 'a.json': '1\n' }))
    function* failing(): Generator<[string, string]> {
      yield ['a.json', '2\n']
      throw new Error('render failed')
    }
    await expect(publishIndex(options({}, { files: failing() }))).rejects.toThrow('render failed')
    expect(git(origin, 'rev-parse', 'index')).toBe(first.commit)
    expect(branchFiles()).toEqual({ 'a.json': '1' })
    expect(git(workspace, 'for-each-ref', 'refs/backage-tmp/')).toBe('')
  })

  it('retries once when another clone moved the branch under squash', async () => {
    await publishIndex(options({ 'a.json': '1\n' }))
    raceOnce('orphan', 'intruder.txt')
    const lines: string[] = []
    const result = await publishIndex(options({ 'a.json': '2\n' }, { log: (l) => lines.push(l) }))
    expect(lines.some((l) => l.includes('attempt 2'))).toBe(true)
    expect(result.changed).toBe(true)
    expect(git(origin, 'rev-parse', 'index')).toBe(result.commit)
    expect(branchFiles()).toEqual({ 'a.json': '2' })
    expect(commitCount()).toBe(1)
  })

  it('rebuilds the parent on the moved branch under keep', async () => {
    await publishIndex(options({ 'a.json': '1\n' }, { history: 'keep' }))
    raceOnce('on-top', 'intruder.txt')
    const result = await publishIndex(options({ 'a.json': '2\n' }, { history: 'keep' }))
    expect(git(origin, 'rev-parse', 'index')).toBe(result.commit)
    expect(git(origin, 'log', '-1', '--format=%s', 'index^')).toBe('race')
    expect(commitCount()).toBe(3)
    expect(branchFiles()).toEqual({ 'a.json': '2' })
  })

  it('works with a URL remote and never shows the token', async () => {
    const lines: string[] = []
    const token = 'ghs_secretsecret'
    const result = await publishIndex(
      options({ 'a.json': '1\n' }, { remote: `file://${origin}`, auth: { token }, log: (l) => lines.push(l) })
    )
    expect(git(origin, 'rev-parse', 'index')).toBe(result.commit)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join('\n')).not.toContain(token)
    expect(lines.join('\n')).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'))
  })

  it('fails clearly when the remote does not exist', async () => {
    await expect(
      publishIndex(options({ 'a.json': '1\n' }, { remote: join(root, 'missing.git'), auth: { token: 'tok_hidden' } }))
    ).rejects.toThrow(/cannot read branch 'index' of remote '.*missing\.git'/)
    await expect(
      publishIndex(options({ 'a.json': '1\n' }, { remote: join(root, 'missing.git'), auth: { token: 'tok_hidden' } }))
    ).rejects.not.toThrow(/tok_hidden/)
  })
})
