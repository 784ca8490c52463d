/**
 * XML twins of the JSON files (SPEC 6.2), built with xmlbuilder2: a root `<xml>`, one element per
 * key in key order, arrays repeat their element, empty arrays emit nothing, objects nest,
 * booleans `true`/`false`. Shields' XPath (`/xml/version[./latest[.="true"]]/tags`) reads these.
 * Text comes from strangers (tags, names): characters XML 1.0 does not allow (controls such as
 * U+0001, lone surrogates, U+FFFE/U+FFFF) are dropped, so every file parses (SPEC 12).
 */
import { fragment } from 'xmlbuilder2'
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js'

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

function appendValue(parent: XMLBuilder, name: string, value: unknown): void {
  if (value === undefined || value === null) return
  if (Array.isArray(value)) {
    for (const item of value) appendValue(parent, name, item) // [] emits nothing
    return
  }
  const element = parent.ele(name)
  if (typeof value === 'object') appendMembers(element, value)
  else element.txt(String(value)) // strings, numbers and booleans (`true`/`false`)
}

function appendMembers(parent: XMLBuilder, object: object): void {
  for (const [key, value] of Object.entries(object as Record<string, unknown>)) appendValue(parent, key, value)
}

/** The elements of an object's members, without a root (`<a>1</a><b>x</b>`). */
export function xmlMembers(object: object): string {
  // xmlbuilder2 replaces each character outside XML 1.0's `Char` production with this (nothing).
  const root = fragment({ invalidCharReplacement: '' })
  appendMembers(root, object)
  return root.end()
}

/** A whole XML file from root members already serialised (by `xmlMembers`). */
export function renderXmlDocumentOf(serialisedMembers: string): string {
  return `${DECLARATION}<xml>${serialisedMembers}</xml>\n`
}

/** A whole XML file for one object: `<xml>` holds its members. */
export function renderXml(object: object): string {
  return renderXmlDocumentOf(xmlMembers(object))
}

/**
 * A whole XML file for a root array of objects, each as a `<package>` element, from items
 * already serialised by `xmlMembers` (reused by package, repo and owner files).
 */
export function renderXmlArrayOf(serialisedItems: readonly string[], element = 'package'): string {
  return renderXmlDocumentOf(serialisedItems.map((members) => `<${element}>${members}</${element}>`).join(''))
}

/** A whole XML file for a root array of objects. */
export function renderXmlArray(objects: readonly object[], element = 'package'): string {
  return renderXmlArrayOf(objects.map(xmlMembers), element)
}
