/**
 * Incremental publish (SPEC 13.3) against a real bare origin: the second publish comes from a fresh
 * clone of `main` only (so it fetches the index tip shallow, as a run does), changes a few files,
 * drops others and keeps a folder it did not re-render. The origin keeps every received pack
 * (`receive.unpackLimit=1`), so the objects a push sent are counted from that pack's index.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publishIndex, type PublishIndexOptions } from '../../src/publish/git.js'
import { git } from './git-support.js'

const root = mkdtempSync(join(tmpdir(), 'backage-incr-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))


const origin = join(root, 'origin.git')

function packs(): Set<string> {
  return new Set(readdirSync(join(origin, 'objects', 'pack')).filter((f) => f.endsWith('.idx')))
}

/** The origin's packs and objects now. */
function originState(): { packs: Set<string>; objects: Set<string> } {
  return { packs: packs(), objects: new Set(git(origin, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)').split('\n')) }
}

/** Objects, by type, that the origin received since `before` and did not have. */
function receivedObjects(before: { packs: Set<string>; objects: Set<string> }): Record<string, number> {
  const byType: Record<string, number> = {}
  for (const idx of packs()) {
    if (before.packs.has(idx)) continue
    const ids = execFileSync('git', ['show-index'], { input: execFileSync('cat', [join(origin, 'objects', 'pack', idx)]), encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(' ')[1] ?? '')
    for (const id of ids) {
      if (before.objects.has(id)) continue // a thin pack's base, completed by the origin itself
      const type = git(origin, 'cat-file', '-t', id)
      byType[type] = (byType[type] ?? 0) + 1
    }
  }
  return byType
}

/** A fresh clone of `main` alone: the index branch is not in it. */
function freshWorkspace(name: string): string {
  const dir = join(root, name)
  git(root, 'clone', '--quiet', '--single-branch', '-b', 'main', origin, dir)
  return dir
}

function options(workspace: string, files: Map<string, string>, keep?: string[]): PublishIndexOptions {
  return {
    workspace,
    remote: 'origin',
    branch: 'index',
    history: 'squash',
    files,
    ...(keep ? { keep } : {}),
    message: 'Update index',
    author: { name: 'backage', email: 'backage@example.com' }
  }
}

/** 10 owners × 10 files, `o<o>/p<p>.json` holding `v1 <o><p>`, and one root file. */
function firstFiles(): Map<string, string> {
  const files = new Map<string, string>([['index.json', '[]']])
  for (let o = 0; o < 10; o++) for (let p = 0; p < 10; p++) files.set(`o${o}/p${p}.json`, `v1 ${o}${p}`)
  return files
}

beforeAll(() => {
  git(root, 'init', '--quiet', '--bare', '-b', 'main', origin)
  git(origin, 'config', 'receive.fsckObjects', 'true')
  git(origin, 'config', 'receive.unpackLimit', '1')
  const seed = join(root, 'seed')
  git(root, 'init', '--quiet', '-b', 'main', seed)
  git(seed, 'commit', '--quiet', '--allow-empty', '-m', 'main')
  git(seed, 'push', '--quiet', origin, 'main')
})

describe('publishIndex on the previous tree', () => {
  it('sends only the changed objects, deletes what is gone, keeps kept folders, stays one parentless commit', async () => {
    const first = await publishIndex(options(freshWorkspace('ws1'), firstFiles()))
    const o9Before = git(origin, 'rev-parse', 'index:o9')
    const o3Before = git(origin, 'rev-parse', 'index:o3')

    // The next run: o9 is not re-rendered (kept) but its p0 is given anew; o7 is gone; o8/p9 is
    // gone; o0/p0..p4 changed; o0/new.json is new; everything else is given again unchanged.
    const files = new Map<string, string>([['index.json', '[]']])
    for (let o = 0; o < 9; o++) {
      if (o === 7) continue
      for (let p = 0; p < 10; p++) {
        if (o === 8 && p === 9) continue
        files.set(`o${o}/p${p}.json`, o === 0 && p < 5 ? `v2 ${o}${p}` : `v1 ${o}${p}`)
      }
    }
    files.set('o0/new.json', 'new')
    files.set('o9/p0.json', 'v3 90')
    const lines: string[] = []
    const workspace = freshWorkspace('ws2')
    const before = originState()
    const second = await publishIndex({ ...options(workspace, files, ['o9']), log: (l) => lines.push(l) })

    expect(second.changed).toBe(true)
    expect(second.commit).not.toBe(first.commit)
    // 7 blobs (5 changed, o0/new.json, o9/p0.json); trees root, o0, o8, o9; the commit.
    expect(receivedObjects(before)).toEqual({ blob: 7, tree: 4, commit: 1 })
    expect(git(workspace, 'rev-parse', '--is-shallow-repository')).toBe('true')
    // Given: 7 × 10 + 9 (o8) + o0/new + o9/p0 + index.json + the marker = 83, of which 7 changed;
    // deleted: o7 × 10 and o8/p9.
    expect(lines).toContain('wrote 83 files (76 unchanged), deleted 11')

    expect(git(origin, 'rev-list', '--count', 'index')).toBe('1')
    expect(git(origin, 'cat-file', '-p', 'index')).not.toMatch(/^parent /m)
    const paths = git(origin, 'ls-tree', '-r', '--name-only', 'index').split('\n')
    expect(paths).toHaveLength(92) // 100 + 1 new - 10 (o7) - 1 (o8/p9) + index.json + marker
    expect(paths.some((p) => p.startsWith('o7/'))).toBe(false)
    expect(paths).not.toContain('o8/p9.json')
    expect(git(origin, 'cat-file', 'blob', 'index:o0/p0.json')).toBe('v2 00')
    expect(git(origin, 'cat-file', 'blob', 'index:o0/p5.json')).toBe('v1 05')
    expect(git(origin, 'cat-file', 'blob', 'index:o0/new.json')).toBe('new')
    expect(git(origin, 'cat-file', 'blob', 'index:o9/p0.json')).toBe('v3 90')
    expect(git(origin, 'cat-file', 'blob', 'index:o9/p7.json')).toBe('v1 97')
    expect(git(origin, 'rev-parse', 'index:o9')).not.toBe(o9Before) // p0 replaced inside the kept folder
    expect(git(origin, 'rev-parse', 'index:o3')).toBe(o3Before)
    expect(git(origin, 'cat-file', 'blob', 'index:.backage-index')).not.toBe('')
    git(origin, 'fsck', '--strict', '--no-progress')
  })

  it('keeps a folder byte-identical when only the root files are given', async () => {
    const o5Before = git(origin, 'rev-parse', 'index:o5')
    const o2Before = git(origin, 'rev-parse', 'index:o2')
    const result = await publishIndex(options(freshWorkspace('ws3'), new Map([['index.json', '["x"]']]), ['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o8', 'o9']))
    expect(result.changed).toBe(true)
    expect(git(origin, 'rev-parse', 'index:o5')).toBe(o5Before)
    expect(git(origin, 'rev-parse', 'index:o2')).toBe(o2Before)
    expect(git(origin, 'cat-file', 'blob', 'index:index.json')).toBe('["x"]')
    expect(git(origin, 'ls-tree', '-r', '--name-only', 'index').split('\n')).toHaveLength(92)
    expect(git(origin, 'rev-list', '--count', 'index')).toBe('1')
    git(origin, 'fsck', '--strict', '--no-progress')
  })

  it('refuses to keep folders when the branch has no previous tree', async () => {
    await expect(publishIndex({ ...options(freshWorkspace('ws5'), new Map([['index.json', '[]']]), ['o1']), branch: 'fresh' })).rejects.toThrow(
      /no previous tree to keep folders from/
    )
    expect(git(origin, 'for-each-ref', 'refs/heads/fresh')).toBe('')
  })

  it('refuses a kept folder outside the tree', async () => {
    await expect(publishIndex(options(freshWorkspace('ws4'), new Map(), ['../x']))).rejects.toThrow(/kept folder outside/)
  })
})
