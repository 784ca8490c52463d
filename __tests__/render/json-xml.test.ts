import { describe, expect, it } from '@jest/globals'
import { renderJson, renderJsonArrayOf } from '../../src/render/json.js'
import { packageObject } from '../../src/render/package-object.js'
import { renderXml, renderXmlArray, renderXmlArrayOf, xmlMembers } from '../../src/render/xml.js'
import { snapshot, version } from './snapshots.js'

describe('renderJson', () => {
  it('is compact with one trailing newline, UTF-8 text kept as is', () => {
    expect(renderJson({ a: 1, b: ['x', 'é'], c: { d: true } })).toBe('{"a":1,"b":["x","é"],"c":{"d":true}}\n')
  })

  it('builds arrays from pre-serialised items with the same bytes', () => {
    const items = [{ a: 1 }, { b: [2] }]
    expect(renderJsonArrayOf(items.map((i) => JSON.stringify(i)))).toBe(renderJson(items))
  })

  it('serialises a package object with JSONPath members reachable', () => {
    const text = renderJson(packageObject(snapshot(), { owner: 1, repo: 1 }))
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).not.toMatch(/\s(?!$)/) // no whitespace but the final newline
    const parsed = JSON.parse(text) as { downloads: string; version: { tags: string[] }[] }
    expect(parsed.downloads).toBe('4.1k') // $.downloads
    expect(parsed.version[0]?.tags).toEqual([]) // $.version[0].tags (version 1 is untagged)
    expect(parsed.version[1]?.tags).toEqual(['latest'])
  })
})

describe('renderXml', () => {
  it('writes the declaration, a root <xml>, elements in key order, repeated arrays, nested objects', () => {
    const text = renderXml({ a: 'x<&>y', n: -1, t: true, f: false, tags: ['p', 'q'], none: [], o: { k: 'v' } })
    expect(text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><xml><a>x&lt;&amp;&gt;y</a><n>-1</n><t>true</t><f>false</f>' +
        '<tags>p</tags><tags>q</tags><o><k>v</k></o></xml>\n'
    )
  })

  it('repeats <package> for a root array, and pre-serialised items give the same bytes', () => {
    const objects = [{ a: 1 }, { a: 2, version: [{ id: 1, tags: ['latest'] }, { id: 2, tags: [] }] }]
    const text = renderXmlArray(objects)
    expect(text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><xml><package><a>1</a></package><package><a>2</a>' +
        '<version><id>1</id><tags>latest</tags></version><version><id>2</id></version></package></xml>\n'
    )
    expect(renderXmlArrayOf(objects.map(xmlMembers))).toBe(text)
  })

  it('is the twin of the JSON of a package object, with stale nested after version', () => {
    const object = packageObject(
      snapshot({ name: 'a/b', stale: { downloads: '2026-09-30' }, versions: [version(1, { tags: ['latest', 'v1'] })] }),
      { owner: 1, repo: 1 }
    )
    const text = renderXml(object)
    expect(text).toContain('<package>a%2Fb</package>')
    expect(text).toContain('<newest>true</newest><latest>true</latest>')
    expect(text).toContain('<tags>latest</tags><tags>v1</tags></version><stale><downloads>2026-09-30</downloads></stale></xml>')
    // Top-level element names in order are the JSON keys in order.
    const body = text.slice(text.indexOf('<xml>') + 5, text.lastIndexOf('</xml>'))
    const topLevel: string[] = []
    let depth = 0
    for (const m of body.matchAll(/<(\/?)(\w+)>/g)) {
      if (m[1] === '') {
        if (depth === 0 && topLevel.at(-1) !== m[2]) topLevel.push(m[2] ?? '')
        depth++
      } else depth--
    }
    expect(topLevel).toEqual(Object.keys(object))
  })
})
