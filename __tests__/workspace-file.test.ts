/**
 * `owners-file` and `optout-file` (SPEC 12): a regular file inside GITHUB_WORKSPACE, links followed,
 * or none; anything else is a settings error naming the input, before any network call.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Inputs, loadSettings, SettingsError } from '../src/settings.js'
import { resolveWorkspaceFile } from '../src/workspace-file.js'

let root = ''
let workspace = ''
let outside = ''

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'backage-wsfile-')))
  workspace = path.join(root, 'workspace')
  outside = path.join(root, 'outside')
  mkdirSync(path.join(workspace, 'config'), { recursive: true })
  mkdirSync(outside)
  writeFileSync(path.join(workspace, 'owners.txt'), 'acme\n')
  writeFileSync(path.join(workspace, 'config', 'owners.txt'), 'octo\n')
  writeFileSync(path.join(outside, 'secret.txt'), 'root:x:0:0\n')
  mkdirSync(path.join(workspace, 'a-folder.txt'))
  symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'link-out.txt'))
  symlinkSync(path.join(workspace, 'config', 'owners.txt'), path.join(workspace, 'link-in.txt'))
  symlinkSync(outside, path.join(workspace, 'folder-out'))
  symlinkSync(path.join(workspace, 'nowhere'), path.join(workspace, 'dangling.txt'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('resolveWorkspaceFile', () => {
  it('accepts a regular file inside, also through a link that stays inside', () => {
    expect(resolveWorkspaceFile(workspace, 'input "owners-file"', 'owners.txt')).toEqual({
      ok: true,
      file: { path: path.join(workspace, 'owners.txt'), shown: 'owners.txt' }
    })
    expect(resolveWorkspaceFile(workspace, 'input "owners-file"', 'link-in.txt')).toEqual({
      ok: true,
      file: { path: path.join(workspace, 'config', 'owners.txt'), shown: 'link-in.txt' }
    })
  })

  it('takes a missing file as no entries', () => {
    expect(resolveWorkspaceFile(workspace, 'input "optout-file"', 'optout.txt')).toEqual({ ok: true, file: null })
    expect(resolveWorkspaceFile(workspace, 'input "optout-file"', 'config/none/optout.txt')).toEqual({ ok: true, file: null })
  })

  it.each([
    ['../../../../etc/passwd', 'it is outside the workspace'],
    ['/etc/passwd', 'it is outside the workspace'],
    ['link-out.txt', 'it leads outside the workspace'],
    ['folder-out/secret.txt', 'it leads outside the workspace'],
    ['folder-out/missing.txt', 'a folder on its path leads outside the workspace'],
    ['a-folder.txt', 'it is not a regular file'],
    ['.', 'it is not a regular file'],
    ['dangling.txt', 'it is a link to a missing path']
  ])('refuses %p, naming the input and why', (value, why) => {
    const result = resolveWorkspaceFile(workspace, 'input "owners-file"', value)
    expect(result.ok).toBe(false)
    const problem = result.ok ? '' : result.problem
    expect(problem.startsWith(`input "owners-file" is "${value}": ${why}`)).toBe(true)
    expect(problem).toContain(`expected a file inside the workspace (${workspace}), or none`)
    expect(problem).not.toContain('root:x')
  })
})

describe('loadSettings with file inputs', () => {
  const env = (): Record<string, string> => ({ GITHUB_REPOSITORY: 'octo/backage', GITHUB_WORKSPACE: workspace, RUNNER_TEMP: root })

  it('holds the checked files', () => {
    const settings = loadSettings((name) => (name === Inputs.OwnersFile ? 'config/owners.txt' : ''), env())
    expect(settings.ownersFile).toEqual({ path: path.join(workspace, 'config', 'owners.txt'), shown: path.join('config', 'owners.txt') })
    expect(settings.optoutFile).toBeNull()
  })

  it('fails with every bad file input named', () => {
    const inputs: Partial<Record<Inputs, string>> = { [Inputs.OwnersFile]: 'a-folder.txt', [Inputs.OptoutFile]: '../../../../etc/passwd' }
    let problems: string[] = []
    try {
      loadSettings((name) => inputs[name] ?? '', env())
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError)
      problems = (error as SettingsError).problems
    }
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/^input "owners-file" is "a-folder.txt": it is not a regular file/)
    expect(problems[1]).toMatch(/^input "optout-file" is "..\/..\/..\/..\/etc\/passwd": it is outside the workspace/)
  })
})
