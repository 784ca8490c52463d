/**
 * The queries shields.io runs on the published files (SPEC 6.2): XPath on the XML twin, JSONPath
 * member paths on the JSON. Needs the devDependencies `xpath` and `@xmldom/xmldom`.
 */
import { describe, expect, it } from '@jest/globals'
import { DOMParser } from '@xmldom/xmldom'
import xpath from 'xpath'
import { packageObject } from '../../src/render/package-object.js'
import { renderXml } from '../../src/render/xml.js'
import { snapshot, version } from './snapshots.js'

function texts(xml: string, expression: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml')
  const nodes = xpath.select(expression, doc as unknown as Node)
  if (!Array.isArray(nodes)) throw new Error(`not a node set: ${expression}`)
  return nodes.map((n) => n.textContent ?? '')
}

describe('shields XPath on the package XML', () => {
  const xml = renderXml(
    packageObject(
      snapshot({
        versions: [version(1, { tags: ['old'] }), version(2, { tags: ['latest', '1.2', '1'] }), version(3)]
      }),
      { owner: 1, repo: 1 }
    )
  )

  it('reads the tags of the latest version except `latest`', () => {
    expect(texts(xml, '/xml/version[./latest[.="true"]]/tags[.!="latest"]')).toEqual(['1.2', '1'])
  })

  it('reads the downloads of the package first, then of each version', () => {
    expect(texts(xml, '//downloads')).toEqual(['4.1k', '10', '20', '30'])
    expect(texts(xml, '/xml/downloads')).toEqual(['4.1k'])
  })
})
