/** README section "Badges and the API": every file the static API writes is documented there (SPEC 10). */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { renderIndex } from '../src/render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../src/render/readme.js'
import { snapshot } from './render/snapshots.js'

const readme = readFileSync('README.md', 'utf8')
const section = readme.split('## Badges and the API')[1]?.split('\n## ')[0] ?? ''

/** The file names the API renders for a small world, as the README writes them. */
function apiFileNames(): Set<string> {
  const files = renderIndex([snapshot({ owner: 'acme', repo: 'tools', name: 'cli' }), snapshot({ owner: 'acme', type: 'npm', repo: 'web', name: 'web' })], {
    date: '2026-10-03',
    readmeTemplate: DEFAULT_README_TEMPLATE,
    placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'idx', branch: 'index' },
    api: {
      rawBase: 'https://raw.githubusercontent.com/me/idx/index',
      serverUrl: 'https://github.com',
      registryHost: 'ghcr.io',
      svgOwners: ['acme'],
      timestamp: 1_790_000_000,
      histories: () => new Map(),
      changes: [],
      paste: []
    }
  })
  const names = new Set<string>()
  for (const path of files.keys()) {
    const api = /\.api\/(.*)$/.exec(path)?.[1]
    const name = api ?? path.split('/').at(-1) ?? ''
    if (api !== undefined || name.startsWith('~') || path.includes('~badges/') || /^[a-z]+\.json$/.test(path)) {
      names.add((api ?? (path.includes('~badges/') ? `~badges/${name}` : name)).replace(/page-\d+/, 'page-N').replace(/\.svg$/, '.json'))
    }
  }
  return names
}

describe('README: Badges and the API', () => {
  it('documents every file of the static API', () => {
    const names = apiFileNames()
    expect(names.size).toBeGreaterThanOrEqual(17)
    for (const name of names) {
      const base = name.split('/').at(-1) ?? name
      expect([name, section.includes(base)]).toEqual([name, true])
    }
  })

  it('says which shields form to use and why, with copy-paste badges and example URLs', () => {
    expect(section).toContain('https://img.shields.io/endpoint?url=')
    expect(section).toMatch(/shields refuses\s+`github\.com` hosts for endpoint badges/)
    expect(section).toContain('![downloads](https://img.shields.io/endpoint?url=https%3A%2F%2Fraw.githubusercontent.com%2FME%2FINDEX%2Findex%2FOWNER%2FREPO%2FPACKAGE.api%2Fbadges%2Fdownloads.json)')
    expect(section).toContain('RAW/OWNER/REPO/PACKAGE.api/history.json')
    expect(section).toContain('RAW/changes.json')
  })
})
