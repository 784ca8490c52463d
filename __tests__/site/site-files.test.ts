/**
 * The site's files as the action writes them (SPEC 11): the embedded copy is fresh, the names and
 * the size are as promised, the page loads only its own files under a Content-Security-Policy, and
 * the index carries the site after its other files.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { renderIndexFiles } from '../../src/render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../../src/render/readme.js'
import { siteFiles } from '../../src/site/files.js'
import { GENERATED_MODULE, siteAssets, siteAssetsModule } from '../../test-support/site-assets.js'

const place = { serverUrl: 'https://github.com', owner: 'me', repo: 'mirror', branch: 'index' }
const files = new Map(siteFiles(place))
const html = files.get('index.html') ?? ''

describe('the site files', () => {
  it('are embedded fresh: the generated module equals a rebuild from src/site/page and uplot', () => {
    expect(readFileSync(GENERATED_MODULE, 'utf8')).toBe(siteAssetsModule(siteAssets()))
  })

  it('are index.html at the root and the assets under site.assets/, under 300 kB in all', () => {
    expect([...files.keys()]).toEqual([
      'index.html',
      'site.assets/site.css',
      'site.assets/app.js',
      'site.assets/badges.js',
      'site.assets/chart.js',
      'site.assets/data.js',
      'site.assets/dom.js',
      'site.assets/home.js',
      'site.assets/package-view.js',
      'site.assets/scope-view.js',
      'site.assets/search.js',
      'site.assets/format.js',
      'site.assets/uPlot.iife.min.js',
      'site.assets/uPlot.min.css',
      'site.assets/uPlot.LICENSE.txt'
    ])
    const bytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0)
    expect(bytes).toBeLessThan(300_000)
  })

  it('sets a Content-Security-Policy that allows scripts from the page origin only, and has no inline script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? ''
    expect(csp.split('; ')).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "connect-src 'self'", "object-src 'none'"]))
    const scripts = [...html.matchAll(/<script\b([^>]*)>([^<]*)<\/script>/g)]
    expect(scripts.map((m) => [/src="([^"]+)"/.exec(m[1] ?? '')?.[1], m[2]])).toEqual([
      ['site.assets/uPlot.iife.min.js', ''],
      ['site.assets/app.js', '']
    ])
    expect(html).not.toMatch(/\son[a-z]+=/i)
  })

  it("never parses data as HTML: the page's own scripts use no HTML-parsing DOM API", () => {
    for (const [name, text] of files) {
      if (!name.endsWith('.js') || name.includes('uPlot')) continue
      expect([name, text.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|eval\(|new Function/g)]).toEqual([name, null])
    }
  })

  it('refers only to files of the site or of the index', () => {
    const referenced = [...html.matchAll(/(?:src|href)="([^"#][^"]*)"/g)].map((m) => m[1] ?? '')
    const data = ['list.json', 'statistics.json', 'data:,']
    for (const ref of referenced) expect([ref, files.has(ref) || data.includes(ref)]).toEqual([ref, true])
    for (const [name, text] of files) {
      if (!name.endsWith('.js') || name.includes('uPlot')) continue
      for (const m of text.matchAll(/\bfrom '(\.[^']+)'/g)) {
        expect([name, m[1], files.has(`site.assets/${(m[1] ?? '').replace(/^\.\//, '')}`)]).toEqual([name, m[1], true])
      }
    }
  })

  it('tells the page where the index is published, escaped as an attribute', () => {
    expect(html).toContain('<html lang="en" data-owner="me" data-repo="mirror" data-branch="index">')
    const odd = new Map(siteFiles({ owner: 'me', repo: 'mirror', branch: 'a"b<c&d' })).get('index.html') ?? ''
    expect(odd).toContain('data-branch="a&quot;b&lt;c&amp;d"')
  })

  it('is pictured in the README by the committed screenshot of npm run screenshot', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('](docs/site-package.png)')
    expect(readFileSync('docs/site-package.png').subarray(1, 4).toString('latin1')).toBe('PNG')
  })

  it('comes with every index, after its other files', () => {
    const options = { date: '2026-10-03', readmeTemplate: DEFAULT_README_TEMPLATE, placeholders: place }
    const paths = [...renderIndexFiles([], options)].map(([path]) => path)
    expect(paths.slice(-files.size)).toEqual([...files.keys()])
    expect(new Map(renderIndexFiles([], options)).get('index.html')).toBe(html)
  })
})
