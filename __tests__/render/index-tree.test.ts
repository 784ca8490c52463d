import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { syntheticSnapshots } from '../../bench/render.js'
import { fitToBudget } from '../../src/render/budget.js'
import { renderIndex, renderIndexFiles } from '../../src/render/index-tree.js'
import { renderJson } from '../../src/render/json.js'
import { packageObject, type PackageObject } from '../../src/render/package-object.js'
import { DEFAULT_README_TEMPLATE } from '../../src/render/readme.js'
import { renderXmlArray } from '../../src/render/xml.js'
import type { PackageSnapshot } from '../../src/types.js'
import { notSite, snapshot, version } from './snapshots.js'

const options = {
  date: '2026-10-03',
  readmeTemplate: DEFAULT_README_TEMPLATE,
  placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'mirror', branch: 'index' }
}

const world: PackageSnapshot[] = [
  snapshot({ owner: 'zeta', repo: 'app', name: 'web', type: 'npm', downloads: 5 }),
  snapshot({ owner: 'acme', repo: 'tools', name: 'cli', type: 'npm', downloads: 10 }),
  snapshot({ owner: 'acme', repo: 'tools', name: 'cli', type: 'container', downloads: 20 }),
  snapshot({ owner: 'acme', repo: 'Tools', name: 'B', type: 'npm', downloads: 30 }),
  snapshot({ owner: 'acme', repo: 'xacc/alpine', name: 'xacc/alpine', type: 'container', downloads: 30 }),
  snapshot({ owner: 'acme', repo: 'tools', name: 'api', type: 'container', downloads: 40 })
]

// The site (SPEC 11) is the same few files in every index, written last; its own tests cover it.

function parseArray(text: string | undefined): PackageObject[] {
  return JSON.parse(text ?? 'null') as PackageObject[]
}

describe('renderIndex', () => {
  const files = renderIndex(world, options)

  it('writes the root counts with formatted and raw forms and the run day', () => {
    expect(files.get('.json')).toBe(
      '{"owners":"2","repos":"4","packages":"6","raw_owners":2,"raw_repos":4,"raw_packages":6,"date":"2026-10-03"}\n'
    )
    expect(files.get('.xml')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><xml><owners>2</owners><repos>4</repos><packages>6</packages>' +
        '<raw_owners>2</raw_owners><raw_repos>4</raw_repos><raw_packages>6</raw_packages><date>2026-10-03</date></xml>\n'
    )
  })

  it('orders aggregates by owner, repo, type and package as plain strings', () => {
    const owner = parseArray(files.get('acme/.json'))
    expect(owner.map((o) => [o.repo, o.package_type, o.package])).toEqual([
      ['Tools', 'npm', 'B'],
      ['tools', 'container', 'api'],
      ['tools', 'container', 'cli'],
      ['tools', 'npm', 'cli'],
      ['xacc%2Falpine', 'container', 'xacc%2Falpine']
    ])
    expect(parseArray(files.get('acme/tools/.json')).map((o) => o.package)).toEqual(['api', 'cli', 'cli'])
    expect(files.get('acme/tools/.xml')).toBe(renderXmlArray(parseArray(files.get('acme/tools/.json'))))
  })

  it('writes one package file per package, in URL form, with ranks over the whole set', () => {
    const api = JSON.parse(files.get('acme/tools/api.json') ?? 'null') as PackageObject
    expect(api.raw_owner_rank).toBe(1)
    expect(api.raw_repo_rank).toBe(1)
    expect(files.get('acme/tools/api.json')).toBe(renderJson(api))
    expect(files.has('acme/xacc%2Falpine/xacc%2Falpine.json')).toBe(true)
    expect(files.has('acme/xacc%2Falpine/xacc%2Falpine.xml')).toBe(true)
    // Same name, two types, one repo: the first in order (container) keeps the path.
    expect((JSON.parse(files.get('acme/tools/cli.json') ?? 'null') as PackageObject).package_type).toBe('container')
    expect([...files.keys()].filter(notSite).sort()).toEqual(
      [
        '.json', '.xml', '.nojekyll', '.backage-index', 'README.md',
        'acme/.json', 'acme/.xml', 'zeta/.json', 'zeta/.xml',
        'acme/tools/.json', 'acme/tools/.xml', 'acme/Tools/.json', 'acme/Tools/.xml',
        'acme/xacc%2Falpine/.json', 'acme/xacc%2Falpine/.xml', 'zeta/app/.json', 'zeta/app/.xml',
        'acme/tools/api.json', 'acme/tools/api.xml', 'acme/tools/cli.json', 'acme/tools/cli.xml',
        'acme/Tools/B.json', 'acme/Tools/B.xml', 'acme/xacc%2Falpine/xacc%2Falpine.json',
        'acme/xacc%2Falpine/xacc%2Falpine.xml', 'zeta/app/web.json', 'zeta/app/web.xml'
      ].sort()
    )
    expect(files.get('.nojekyll')).toBe('')
  })

  it('fills the README placeholders and counts', () => {
    const readme = files.get('README.md') ?? ''
    expect(readme).toContain('https://raw.githubusercontent.com/me/mirror/index/OWNER/REPO/PACKAGE.json')
    expect(readme).toContain('https://github.com/me/mirror/raw/index/OWNER/REPO/PACKAGE.json')
    expect(readme).toContain('raw.githubusercontent.com%2Fme%2Fmirror%2Findex%2F')
    expect(readme).toContain('**2** owners, **4** repositories and **6** packages')
    expect(readme).not.toMatch(/<(GITHUB_\w+|OWNERS|REPOS|PACKAGES|DATE|RAW_\w+)>/)
    const custom = renderIndex(world, { ...options, readmeTemplate: 'Index of <GITHUB_OWNER>/<GITHUB_REPO>@<GITHUB_BRANCH>: <PACKAGES>' })
    expect(custom.get('README.md')).toBe('Index of me/mirror@index: 6')
  })

  it('gives a package file bytes that depend only on its data', () => {
    const later = renderIndex(
      [...world.slice(1), snapshot({ owner: 'zeta', repo: 'app', name: 'web', type: 'npm', downloads: 6 })],
      { ...options, date: '2026-10-04' }
    )
    expect(later.get('acme/tools/api.json')).toBe(files.get('acme/tools/api.json'))
    expect(later.get('acme/.xml')).toBe(files.get('acme/.xml'))
    expect(later.get('zeta/app/web.json')).not.toBe(files.get('zeta/app/web.json'))
  })
})

describe('size budget', () => {
  const many = (name: string, count: number, owner = 'acme'): PackageSnapshot =>
    snapshot({
      owner,
      name,
      versions: Array.from({ length: count }, (_, i) =>
        version(i + 1, { tags: i === 2 ? ['latest'] : [], name: `sha256:${'0'.repeat(64)}` })
      )
    })

  it('drops the oldest non-latest, non-newest versions of the packages with most versions first', () => {
    const objects = [many('big', 30), many('small', 5)].map((s) => packageObject(s, { owner: 1, repo: 1 }))
    const full = renderJson(objects)
    const limit = Buffer.byteLength(full) - 2000
    const fitted = fitToBudget(objects, (o) => ({ json: renderJson(o), xml: renderXmlArray(o) }), limit)
    expect(Buffer.byteLength(fitted.json)).toBeLessThan(limit)
    expect(Buffer.byteLength(fitted.xml)).toBeLessThan(limit)
    const [big, small] = parseArray(fitted.json)
    expect(small?.version).toHaveLength(5) // the smaller package is untouched
    const ids = big?.version.map((v) => v.id) ?? []
    expect(ids).toContain(3) // latest kept
    expect(ids).toContain(30) // newest kept
    expect(ids).not.toContain(1) // oldest dropped first
    expect(ids.slice(1)).toEqual(Array.from({ length: ids.length - 1 }, (_, i) => 30 - ids.length + 2 + i))
    expect(big?.raw_versions).toBe(30) // counts still describe the whole package
    expect(fitted.droppedVersions).toBe(30 - ids.length)
  })

  it('keeps every file of the index under the limit', () => {
    const limit = 20_000
    const files = renderIndex([many('a', 40), many('b', 60), many('c', 3, 'solo')], { ...options, sizeLimit: limit })
    for (const [path, text] of files) if (notSite(path)) expect([path, Buffer.byteLength(text) < limit]).toEqual([path, true])
    const owner = parseArray(files.get('acme/.json'))
    expect(owner.map((o) => o.version.length).every((n) => n < 40)).toBe(true)
    expect(parseArray(files.get('solo/.json'))[0]?.version).toHaveLength(3)
    // A package file over the limit is trimmed too, keeping newest and latest.
    const b = JSON.parse(files.get('acme/tools/b.json') ?? 'null') as PackageObject
    expect(b.version.length).toBeLessThan(60)
    expect(b.version.some((v) => v.latest) && b.version.some((v) => v.newest)).toBe(true)
  })
})

describe('renderIndexFiles', () => {
  /** sha256 of every (path, content), sorted by path. */
  const digest = (files: Iterable<readonly [string, string]>): string => {
    const hash = createHash('sha256')
    const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [path, content] of sorted) hash.update(`${path}\0${content}\0`)
    return hash.digest('hex')
  }

  it('yields every file of renderIndex once, owner by owner, the root files last', () => {
    const yielded = [...renderIndexFiles(world, options)]
    const paths = yielded.map(([path]) => path).filter(notSite)
    expect(new Set(paths).size).toBe(paths.length)
    expect(new Map(yielded)).toEqual(renderIndex(world, options))
    const ownerOf = (path: string): string => (path.includes('/') ? (path.split('/')[0] ?? '') : '')
    expect([...new Set(paths.map(ownerOf))]).toEqual(['acme', 'zeta', ''])
    expect(paths.slice(-5)).toEqual(['.json', '.xml', 'README.md', '.nojekyll', '.backage-index'])
  })

  it('renders the same bytes as the in-memory renderer it replaced', () => {
    // Digests taken with the renderer before streaming (one Map of every file), on an input out of
    // order with many owners, ties, a shared path and repo-less packages; and with a small size
    // limit so aggregates are trimmed. (Updated when the README template gained its ready-to-paste
    // badges block, SPEC 10.3: with the previous template the digests were a6d103b9… and f9ef05a7….)
    const input = [...syntheticSnapshots(600).reverse(), ...world]
    // The marker file (added later) and the site aside, ordinary names keep every byte and path.
    const indexOnly = (files: [string, string][]): [string, string][] =>
      files.filter(([name]) => name !== '.backage-index' && notSite(name))
    const full = indexOnly([...renderIndexFiles(input, options)])
    expect(full).toHaveLength(1706)
    expect(digest(full)).toBe('92c9898be2b93113c4802cc17a829891798db106f085f11262437ecae08108e9')
    const trimmed = indexOnly([...renderIndexFiles(input, { ...options, sizeLimit: 20_000 })])
    expect(trimmed).toHaveLength(1706)
    expect(digest(trimmed)).toBe('c7c02d5547c448b8b99cbf40d9e35830b0348ad6e42e4f47afd6085ca0de001e')
  })

  it('renders an owner only when its files are asked for', () => {
    const broken = snapshot({ owner: 'zzz', name: 'broken' })
    Object.defineProperty(broken, 'versions', {
      get: () => {
        throw new Error('zzz rendered')
      }
    })
    const files = renderIndexFiles([...world, broken], options)
    const first = files.next()
    expect(first.done).toBe(false)
    expect(first.value?.[0]).toMatch(/^acme\//)
    expect(() => [...files]).toThrow('zzz rendered')
  })
})
