/**
 * Every `.xml` file the index holds parses with a strict parser, whatever strangers put in tags and
 * version names (SPEC 12): characters XML 1.0 does not allow are dropped from text.
 */
import { describe, expect, it } from '@jest/globals'
import { DOMParser } from '@xmldom/xmldom'
import { renderIndexFiles } from '../../src/render/index-tree.js'
import { DEFAULT_README_TEMPLATE } from '../../src/render/readme.js'
import { renderXml, renderXmlDocumentOf } from '../../src/render/xml.js'
import { snapshot, version } from './snapshots.js'

// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. With the
// `u` flag a lone surrogate is one code point outside every range.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/**
 * Parses as a strict XML 1.0 parser would: any warning, error or fatal error of xmldom fails, and so
 * does a character outside `Char` (which xmldom itself lets through).
 */
function parseStrict(text: string): Document {
  const bad = NOT_XML_CHAR.exec(text)
  if (bad) throw new Error(`character U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML 1.0`)
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error('no XML declaration')
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`)
    }
  })
  return parser.parseFromString(text, 'text/xml') as unknown as Document
}

// Text strangers control: a tag with U+0001 (reported: it made invalid XML), lone surrogates, U+FFFE/U+FFFF.
const HOSTILE = ['v1\u0001', 'a\uD800b', 'c\uDC00', 'd\uFFFE\uFFFFe', 'nul\u0000l', 'esc\u001B', 'del\u007F-ok']
const CLEAN = ['v1', 'ab', 'c', 'de', 'null', 'esc', 'del\u007F-ok'] // U+007F is an allowed Char

describe('XML text', () => {
  it('drops every character XML 1.0 does not allow and keeps the rest (pairs, tabs, newlines, é)', () => {
    expect(renderXml({ tags: HOSTILE })).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><xml>${CLEAN.map((t) => `<tags>${t}</tags>`).join('')}</xml>\n`
    )
    expect(renderXml({ a: '😀 é\tx\ny' })).toBe('<?xml version="1.0" encoding="UTF-8"?><xml><a>😀 é\tx\ny</a></xml>\n')
  })

  it('the strict parser used below does fail on a control character', () => {
    expect(() => parseStrict('<?xml version="1.0" encoding="UTF-8"?><xml><a>\u0001</a></xml>')).toThrow(/U\+0001/)
    expect(() => parseStrict('<?xml version="1.0" encoding="UTF-8"?><xml><a></xml>')).toThrow(/fatalError/)
  })
})

describe('every kind of .xml file parses strictly', () => {
  const hostileVersions = HOSTILE.map((text, i) => version(i + 1, { name: `${text}-name`, tags: [text, 'latest'].slice(0, i === 0 ? 2 : 1) }))
  const world = [
    snapshot({ owner: 'acme', repo: 'tools', name: 'cli', versions: hostileVersions }),
    snapshot({ owner: 'acme', repo: 'tools', name: 'api', type: 'npm', versions: [version(9, { tags: ['\u0001'] })] }),
    snapshot({ owner: 'zeta', repo: 'app', name: 'web', versions: [] })
  ]
  const options = {
    date: '2026-10-03',
    readmeTemplate: DEFAULT_README_TEMPLATE,
    placeholders: { serverUrl: 'https://github.com', owner: 'me', repo: 'mirror', branch: 'index' }
  }

  it.each([
    ['within the size budget', undefined],
    ['trimmed to a small size budget', 1_500]
  ])('%s: root, owner, repository and package files', (_, sizeLimit) => {
    const files = [...renderIndexFiles(world, { ...options, ...(sizeLimit ? { sizeLimit } : {}) })].filter(([path]) => path.endsWith('.xml'))
    // The root counts, 2 owner aggregates, 2 repository aggregates and 3 packages (paths are SPEC 6.1's).
    expect(files).toHaveLength(8)
    for (const [path, text] of files) {
      const doc = (() => {
        try {
          return parseStrict(text)
        } catch (error) {
          throw new Error(`${path}: ${String(error)}`)
        }
      })()
      expect(doc.documentElement?.nodeName).toBe('xml')
    }
  })

  it('the cli package file keeps the readable part of each hostile tag', () => {
    const cli = [...renderIndexFiles(world, options)].find(([path]) => path.endsWith('/cli.xml'))?.[1] ?? ''
    const tags = Array.from(parseStrict(cli).getElementsByTagName('tags'), (node) => node.textContent)
    expect(tags).toEqual(['v1', 'latest', 'ab', 'c', 'de', 'null', 'esc', 'del\u007F-ok'])
  })

  it('an empty document parses too', () => {
    expect(parseStrict(renderXmlDocumentOf('')).documentElement?.nodeName).toBe('xml')
  })
})
