/**
 * The index README's URLs follow GITHUB_SERVER_URL (SPEC 10): raw.githubusercontent.com on
 * github.com, SERVER/OWNER/REPO/raw/BRANCH on GitHub Enterprise, with the limits stated there.
 */
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_README_TEMPLATE, renderReadme, type ReadmeValues } from '../../src/render/readme.js'

const counts = { owners: '2', repos: '4', packages: '6', rawOwners: 2, rawRepos: 4, rawPackages: 6, date: '2026-11-20' }

function readme(serverUrl: string): string {
  const values: ReadmeValues = { serverUrl, owner: 'me', repo: 'mirror', branch: 'index', ...counts }
  return renderReadme(DEFAULT_README_TEMPLATE, values)
}

describe('the index README', () => {
  it('on github.com: raw.githubusercontent.com and the /raw/ form, badges over the raw URL, no Enterprise note', () => {
    const text = readme('https://github.com')
    expect(text).toContain('- `https://raw.githubusercontent.com/me/mirror/index/OWNER/REPO/PACKAGE.json`')
    expect(text).toContain('- `https://github.com/me/mirror/raw/index/OWNER/REPO/PACKAGE.json`')
    expect(text).toContain('dynamic/json?url=https%3A%2F%2Fraw.githubusercontent.com%2Fme%2Fmirror%2Findex%2FOWNER%2FREPO%2FPACKAGE.json&query=%24.downloads')
    expect(text).not.toContain('Enterprise')
    expect(text).not.toMatch(/<[A-Z_]+>/)
  })

  it('on GitHub Enterprise: every URL is SERVER/OWNER/REPO/raw/BRANCH/..., and the badge limits are stated', () => {
    const text = readme('https://ghe.example.com')
    expect(text).toContain('- `https://ghe.example.com/me/mirror/raw/index/OWNER/REPO/PACKAGE.json`')
    expect(text).toContain('dynamic/json?url=https%3A%2F%2Fghe.example.com%2Fme%2Fmirror%2Fraw%2Findex%2FOWNER%2FREPO%2FPACKAGE.json&query=%24.size')
    expect(text).toContain('dynamic/xml?url=https%3A%2F%2Fghe.example.com%2Fme%2Fmirror%2Fraw%2Findex%2FOWNER%2FREPO%2FPACKAGE.xml')
    expect(text).not.toContain('github.com')
    expect(text).not.toContain('githubusercontent')
    expect(text).toContain('GitHub Enterprise Server')
    expect(text).not.toMatch(/<[A-Z_]+>/)
  })
})
