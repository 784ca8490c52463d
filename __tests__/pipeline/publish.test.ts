/** The custom index README of the workspace (SPEC 6.1, 12): used when it is a file of the workspace, never through a link out of it. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { readmeTemplate } from '../../src/pipeline/publish.js'
import { DEFAULT_README_TEMPLATE } from '../../src/render/readme.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'backage-readme-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function workspace(name: string): string {
  const dir = path.join(root, name)
  mkdirSync(path.join(dir, '.backage'), { recursive: true })
  return dir
}

describe('readmeTemplate', () => {
  it('uses .backage/README.md when present, else the built-in template', () => {
    const custom = workspace('custom')
    writeFileSync(path.join(custom, '.backage', 'README.md'), '# <GITHUB_OWNER> packages\n')
    expect(readmeTemplate(custom)).toBe('# <GITHUB_OWNER> packages\n')
    expect(readmeTemplate(workspace('plain'))).toBe(DEFAULT_README_TEMPLATE)
  })

  it('refuses a link out of the workspace, naming the file', () => {
    const linked = workspace('linked')
    writeFileSync(path.join(root, 'runner-secret'), 'secret\n')
    symlinkSync(path.join(root, 'runner-secret'), path.join(linked, '.backage', 'README.md'))
    expect(() => readmeTemplate(linked)).toThrow(/^the custom index README is "\.backage\/README\.md": it leads outside the workspace/)
  })
})
