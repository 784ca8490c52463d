/**
 * The dry-run / `--out` folder (SPEC 12): written only when missing, empty or an earlier index;
 * nothing is written beside it or deleted outside it. Real folders in a temp directory.
 */
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { checkIndexFolder, IndexFolderRefused, writeIndexFolder } from '../../src/publish/folder.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'backage-folder-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let parent = ''
let counter = 0
beforeEach(() => {
  parent = path.join(root, String(++counter))
  mkdirSync(parent)
})

/** Every file below `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()
}

const index = (files: Record<string, string>): Map<string, string> => new Map(Object.entries(files))

describe('writeIndexFolder', () => {
  it('creates a missing folder with the marker first, and writes nothing beside it', () => {
    const target = path.join(parent, 'out')
    writeIndexFolder(target, index({ '.json': '{}\n', 'acme/tools/cli.json': '1\n' }))
    expect(tree(target)).toEqual(['.backage-index', '.json', 'acme/tools/cli.json'])
    expect(readdirSync(parent)).toEqual(['out'])
  })

  it('replaces an earlier index, removing only the files the new one lacks and emptied folders', () => {
    const target = path.join(parent, 'out')
    writeIndexFolder(target, index({ '.json': '1\n', 'acme/old/gone.json': 'x\n', 'acme/tools/cli.json': '1\n' }))
    const result = writeIndexFolder(target, index({ '.json': '2\n', 'acme/tools/cli.json': '2\n' }))
    expect(result.removed).toBe(1)
    expect(tree(target)).toEqual(['.backage-index', '.json', 'acme/tools/cli.json'])
    expect(existsSync(path.join(target, 'acme', 'old'))).toBe(false)
    expect(readFileSync(path.join(target, 'acme/tools/cli.json'), 'utf8')).toBe('2\n')
    expect(readdirSync(parent)).toEqual(['out'])
  })

  it('turns a folder of the earlier index into a file and back', () => {
    const target = path.join(parent, 'out')
    writeIndexFolder(target, index({ 'acme/x/a.json': '1\n' }))
    writeIndexFolder(target, index({ 'acme/x': 'file\n' }))
    expect(tree(target)).toEqual(['.backage-index', 'acme/x'])
    writeIndexFolder(target, index({ 'acme/x/b.json': '2\n' }))
    expect(tree(target)).toEqual(['.backage-index', 'acme/x/b.json'])
  })

  it('refuses a folder with other files (a home folder), changing and deleting nothing', () => {
    const home = path.join(parent, 'home')
    mkdirSync(path.join(home, 'Documents'), { recursive: true })
    writeFileSync(path.join(home, '.bashrc'), 'alias x=y\n')
    writeFileSync(path.join(home, 'Documents', 'thesis.txt'), 'years of work\n')
    expect(() => writeIndexFolder(home, index({ '.json': '{}\n' }))).toThrow(IndexFolderRefused)
    expect(() => checkIndexFolder(home)).toThrow(
      `the index folder ${home} is not empty and holds no .backage-index file, so it is not an index written by backage-action; ` +
        'nothing was written or deleted. Choose a missing or empty folder.'
    )
    expect(tree(home)).toEqual(['.bashrc', 'Documents/thesis.txt'])
    expect(readdirSync(parent)).toEqual(['home'])
  })

  it('refuses a file, and a marker that is a folder', () => {
    const file = path.join(parent, 'file')
    writeFileSync(file, 'data\n')
    expect(() => checkIndexFolder(file)).toThrow(/is a file, not a folder/)
    const fake = path.join(parent, 'fake')
    mkdirSync(path.join(fake, '.backage-index'), { recursive: true })
    expect(() => checkIndexFolder(fake)).toThrow(IndexFolderRefused)
  })

  it('accepts an empty folder', () => {
    const empty = path.join(parent, 'empty')
    mkdirSync(empty)
    expect(checkIndexFolder(empty)).toBe('empty')
    writeIndexFolder(empty, index({ 'README.md': '# x\n' }))
    expect(tree(empty)).toEqual(['.backage-index', 'README.md'])
  })

  it('never writes through a link planted in an earlier index', () => {
    const target = path.join(parent, 'out')
    const elsewhere = path.join(parent, 'elsewhere')
    mkdirSync(elsewhere)
    writeIndexFolder(target, index({ '.json': '1\n' }))
    symlinkSync(elsewhere, path.join(target, 'acme'))
    symlinkSync(path.join(elsewhere, 'victim'), path.join(target, '.xml'))
    writeIndexFolder(target, index({ '.json': '2\n', '.xml': '<xml/>\n', 'acme/tools/cli.json': '1\n' }))
    expect(readdirSync(elsewhere)).toEqual([])
    expect(tree(target)).toEqual(['.backage-index', '.json', '.xml', 'acme/tools/cli.json'])
  })

  it('refuses a path that leaves the folder', () => {
    const target = path.join(parent, 'out')
    for (const bad of ['../escape.json', '/abs.json', 'a/../../b.json', '.git/config']) {
      expect(() => writeIndexFolder(target, index({ [bad]: 'x\n' }))).toThrow(/refusing a path outside the index folder/)
    }
    expect(readdirSync(parent)).toEqual(['out'])
  })
})
