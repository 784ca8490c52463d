/**
 * Names GitHub accepts that would break a naive tree (SPEC 6.4, 12): a repository or package named
 * `.json`, `.xml`, `.gitmodules` or `.gitattributes`, and a name too long for a file.
 */
import { describe, expect, it } from '@jest/globals'
import { renderIndex } from '../../src/render/index-tree.js'
import type { PackageObject } from '../../src/render/package-object.js'
import { DEFAULT_README_TEMPLATE } from '../../src/render/readme.js'
import type { PackageSnapshot } from '../../src/types.js'
import { notSite, snapshot } from './snapshots.js'

const options = {
  date: '2026-10-03',
  readmeTemplate: DEFAULT_README_TEMPLATE,
  placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'mirror', branch: 'index' }
}

const hostile: PackageSnapshot[] = [
  snapshot({ owner: 'acme', repo: '.json', name: 'a', downloads: 1 }),
  snapshot({ owner: 'acme', repo: '.xml', name: 'b', downloads: 2 }),
  snapshot({ owner: 'acme', repo: '.gitmodules', name: 'c', downloads: 3 }),
  snapshot({ owner: 'acme', repo: 'tools', name: '.gitattributes', downloads: 4 }),
  // A package without a repository uses its name as the repo folder.
  snapshot({ owner: 'acme', repo: '.json', name: '.json', type: 'npm', downloads: 5 })
]

describe('hostile names', () => {
  const files = renderIndex(hostile, options)

  it('never replace the owner aggregate nor make a dotted or .git path', () => {
    expect([...files.keys()].filter(notSite).sort()).toEqual(
      [
        '.backage-index', '.json', '.nojekyll', '.xml', 'README.md',
        'acme/.json', 'acme/.xml',
        'acme/%2Ejson/.json', 'acme/%2Ejson/.xml', 'acme/%2Ejson/a.json', 'acme/%2Ejson/a.xml',
        'acme/%2Ejson/%2Ejson.json', 'acme/%2Ejson/%2Ejson.xml',
        'acme/%2Exml/.json', 'acme/%2Exml/.xml', 'acme/%2Exml/b.json', 'acme/%2Exml/b.xml',
        'acme/%2Egitmodules/.json', 'acme/%2Egitmodules/.xml', 'acme/%2Egitmodules/c.json', 'acme/%2Egitmodules/c.xml',
        'acme/tools/.json', 'acme/tools/.xml', 'acme/tools/%2Egitattributes.json', 'acme/tools/%2Egitattributes.xml'
      ].sort()
    )
    // The owner aggregate is the array of all five, not a repo's package list.
    const owner = JSON.parse(files.get('acme/.json') ?? 'null') as PackageObject[]
    expect(owner).toHaveLength(5)
    expect(JSON.parse(files.get('.json') ?? 'null')).toMatchObject({ raw_owners: 1, raw_repos: 4, raw_packages: 5 })
  })

  it('keeps the URL form (SPEC 6.2) in the objects: a leading dot stays a dot there', () => {
    const object = JSON.parse(files.get('acme/%2Ejson/%2Ejson.json') ?? 'null') as PackageObject
    expect([object.repo, object.package]).toEqual(['.json', '.json'])
    const attributes = JSON.parse(files.get('acme/tools/%2Egitattributes.json') ?? 'null') as PackageObject
    expect([attributes.repo, attributes.package]).toEqual(['tools', '.gitattributes'])
  })

  it('skips a package whose segment is over 250 bytes, telling the caller once, and counts it nowhere', () => {
    const long = snapshot({ owner: 'acme', repo: 'tools', name: `${'x/'.repeat(90)}y`, downloads: 9 })
    const skipped: string[] = []
    const withLong = renderIndex([...hostile, long], { ...options, onSkipped: (s) => skipped.push(s.name) })
    expect(skipped).toEqual([long.name])
    expect([...withLong.keys()].filter((name) => name.includes('x%2F'))).toEqual([])
    expect(JSON.parse(withLong.get('.json') ?? 'null')).toMatchObject({ raw_packages: 5 })
    expect((JSON.parse(withLong.get('acme/tools/.json') ?? 'null') as PackageObject[]).map((o) => o.package)).toEqual([
      '.gitattributes'
    ])
  })
})
