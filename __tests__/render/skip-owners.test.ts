/**
 * Rendering without the owners whose data did not change (SPEC 13.3): their folders are left out
 * (the publish keeps them from the previous tree) while the root files still count them.
 */
import { describe, expect, it } from '@jest/globals'
import { ownerFolder, renderIndex } from '../../src/render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../../src/render/readme.js'
import { snapshot } from './snapshots.js'

const options = {
  date: '2026-10-03',
  readmeTemplate: DEFAULT_README_TEMPLATE,
  placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'mirror', branch: 'index' }
}

const world = [
  snapshot({ owner: 'zeta', repo: 'app', name: 'web', type: 'npm', downloads: 5 }),
  snapshot({ owner: 'acme', repo: 'tools', name: 'cli', type: 'npm', downloads: 10 }),
  snapshot({ owner: 'acme', repo: 'xacc/alpine', name: 'xacc/alpine', type: 'container', downloads: 30 }),
  snapshot({ owner: 'acme', repo: 'solo', name: 'solo', type: 'container', downloads: 40 })
]

describe('renderIndexFiles with skipOwners', () => {
  it('leaves out the skipped owner folders and keeps the root counts', () => {
    const full = renderIndex(world, options)
    const partial = renderIndex(world, { ...options, skipOwners: new Set(['acme']) })
    expect(ownerFolder('acme')).toBe('acme')
    expect([...partial.keys()].filter((p) => p.startsWith('acme/'))).toEqual([])
    expect(partial.get('zeta/app/web.json')).toBe(full.get('zeta/app/web.json'))
    // 2 owners, 4 packages; repos: zeta/app, acme/tools, acme/xacc%2Falpine, acme/solo.
    expect(JSON.parse(partial.get('.json') ?? 'null')).toMatchObject({ raw_owners: 2, raw_repos: 4, raw_packages: 4 })
    expect(partial.get('.json')).toBe(full.get('.json'))
    expect(partial.get('README.md')).toBe(full.get('README.md'))
    // Every file of the full render is either in the partial one or inside the kept folder.
    for (const path of full.keys()) expect(partial.has(path) || path.startsWith(`${ownerFolder('acme')}/`)).toBe(true)
  })
})
