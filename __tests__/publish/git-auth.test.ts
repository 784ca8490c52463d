/**
 * The `token` input is what pushes the index, even when actions/checkout left its own credentials
 * under the URL-scoped key `http.<origin>/.extraheader` (which beats a plain `http.extraheader`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { publishIndex } from '../../src/publish/git.js'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'
import { git } from '../../test-support/e2e.js'

describe('publishIndex credentials', () => {
  let gh: FakeGitHub
  let root: string
  beforeAll(async () => {
    gh = await FakeGitHub.start({ scenario: sampleScenario() })
    root = mkdtempSync(path.join(os.tmpdir(), 'backage-git-auth-'))
  })
  afterAll(async () => {
    await gh.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('overrides a checkout-scoped extraheader with the token', async () => {
    expect(gh.gitRepository).toBeTruthy() // the fake's bare repository exists from here on
    const workspace = path.join(root, 'checkout')
    git(root, 'init', '--quiet', workspace)
    git(workspace, 'remote', 'add', 'origin', `${gh.serverUrl}/backage-demo/backage.git`)
    // What actions/checkout leaves behind, here with a credential the server refuses.
    git(workspace, 'config', `http.${gh.serverUrl}/.extraheader`, 'AUTHORIZATION: bearer stale-checkout-token')

    const files = new Map([['a.json', '{"a":1}\n']])
    const options = {
      workspace,
      remote: 'origin',
      branch: 'index',
      history: 'squash' as const,
      files,
      message: 'index',
      author: { name: 'bot', email: 'bot@example.invalid' }
    }
    await expect(publishIndex(options)).rejects.toThrow()
    const result = await publishIndex({ ...options, auth: { token: 'the-input-token' } })
    expect(result.changed).toBe(true)
    expect(git(gh.gitRepository, 'rev-parse', 'refs/heads/index')).toBe(result.commit)
  })
})
