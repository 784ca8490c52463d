/**
 * The guard of `index-branch` (SPEC 12) and the tree it pushes (SPEC 6.4), against a real bare
 * origin that, like github.com, runs `receive.fsckObjects`.
 */
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publishIndex, type PublishIndexOptions } from '../../src/publish/git.js'
import { git } from './git-support.js'
import { IndexBranchRefused } from '../../src/publish/index-branch.js'
import { renderIndexFiles } from '../../src/render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../../src/render/readme.js'
import { snapshot } from '../render/snapshots.js'

const root = mkdtempSync(join(tmpdir(), 'backage-branch-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))


let counter = 0
let origin = ''
let workspace = ''

beforeEach(() => {
  const dir = join(root, String(++counter))
  origin = join(dir, 'origin.git')
  workspace = join(dir, 'workspace')
  git(root, 'init', '--quiet', '--bare', '-b', 'main', origin)
  git(origin, 'config', 'receive.fsckObjects', 'true')
  git(root, 'clone', '--quiet', origin, workspace)
  writeFileSync(join(workspace, 'README.md'), 'the project\n')
  git(workspace, 'add', 'README.md')
  git(workspace, 'commit', '--quiet', '-m', 'main')
  git(workspace, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main')
})

/** Pushes a branch of the given files from a scratch orphan commit in the workspace. */
function pushBranch(branch: string, files: Record<string, string>): string {
  git(workspace, 'checkout', '--quiet', '--orphan', `tmp-${branch}`)
  git(workspace, 'rm', '-rq', '--cached', '.')
  for (const [name, content] of Object.entries(files)) writeFileSync(join(workspace, name), content)
  git(workspace, 'add', ...Object.keys(files))
  git(workspace, 'commit', '--quiet', '-m', branch)
  git(workspace, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`)
  const tip = git(workspace, 'rev-parse', 'HEAD')
  git(workspace, 'checkout', '--quiet', '-f', 'main')
  return tip
}

function options(branch: string, files: Iterable<readonly [string, string]>): PublishIndexOptions {
  return {
    workspace,
    remote: 'origin',
    branch,
    history: 'squash',
    files,
    message: 'index',
    author: { name: 'backage', email: 'backage@example.com' }
  }
}

const tipOf = (branch: string): string => git(origin, 'rev-parse', `refs/heads/${branch}`)

describe('index-branch guard', () => {
  it('refuses the default branch of the remote, naming it, and pushes nothing', async () => {
    const main = tipOf('main')
    const attempt = publishIndex(options('main', [['a.json', '1\n']]))
    await expect(attempt).rejects.toThrow(IndexBranchRefused)
    await expect(publishIndex(options('main', [['a.json', '1\n']]))).rejects.toThrow(
      /index-branch "main" is the default branch of origin.*Set the input index-branch/
    )
    expect(tipOf('main')).toBe(main)
  })

  it('refuses a branch it did not write, naming it and what to do, and pushes nothing', async () => {
    const site = pushBranch('gh-pages', { 'index.html': '<h1>my site</h1>\n' })
    await expect(publishIndex(options('gh-pages', [['a.json', '1\n']]))).rejects.toThrow(
      /index-branch "gh-pages" already exists on origin and was not written by backage-action .*has no \.backage-index file.*delete the branch "gh-pages"/
    )
    expect(tipOf('gh-pages')).toBe(site)
  })

  it('overwrites a branch from before the marker (root .json and .nojekyll), then one with the marker', async () => {
    pushBranch('index', { '.json': '{"owners":"1"}\n', '.nojekyll': '' })
    const first = await publishIndex(options('index', [['a.json', '1\n']]))
    expect(tipOf('index')).toBe(first.commit)
    // Every index commit carries the marker, so the next run may replace it.
    expect(git(origin, 'ls-tree', '--name-only', 'index')).toBe(['.backage-index', 'a.json'].join('\n'))
    const second = await publishIndex(options('index', [['a.json', '2\n']]))
    expect(tipOf('index')).toBe(second.commit)
  })

  it('refuses a branch with only one of the legacy files', async () => {
    pushBranch('index', { '.json': '{"mine":true}\n' })
    await expect(publishIndex(options('index', [['a.json', '1\n']]))).rejects.toThrow(IndexBranchRefused)
  })

  it('refuses a path that leaves the tree or names git metadata, before pushing anything', async () => {
    for (const bad of ['../escape.json', '.gitmodules', 'acme/.gitattributes', 'a//b.json', '/abs.json']) {
      await expect(publishIndex(options('index', [['a.json', '1\n'], [bad, 'x\n']]))).rejects.toThrow(
        /refusing a path outside the index tree/
      )
    }
    expect(git(origin, 'for-each-ref', 'refs/heads/index')).toBe('')
  })
})

describe('the tree of hostile names', () => {
  it('is accepted by a remote running receive.fsckObjects and passes git fsck --strict', async () => {
    const hostile = [
      snapshot({ owner: 'acme', repo: '.gitmodules', name: '.gitmodules' }),
      snapshot({ owner: 'acme', repo: '.gitattributes', name: 'x' }),
      snapshot({ owner: 'acme', repo: 'tools', name: '.json' }),
      snapshot({ owner: 'acme', repo: '.xml', name: '.xml' })
    ]
    const files = renderIndexFiles(hostile, {
      date: '2026-10-03',
      readmeTemplate: DEFAULT_README_TEMPLATE,
      placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'mirror', branch: 'index' }
    })
    const result = await publishIndex(options('index', files))
    expect(tipOf('index')).toBe(result.commit)
    const names = git(origin, 'ls-tree', '-r', '--name-only', 'index').split('\n')
    expect(names).toContain('acme/%2Egitmodules/%2Egitmodules.json')
    expect(names).toContain('acme/%2Egitattributes/x.json')
    expect(names).toContain('acme/tools/%2Ejson.json')
    expect(names).toContain('acme/%2Exml/%2Exml.xml')
    expect(names.filter((name) => name.split('/').some((part) => part.startsWith('.git')))).toEqual([])
    expect(() => git(origin, 'fsck', '--strict', '--no-progress')).not.toThrow()
  })
})
