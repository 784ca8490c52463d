/**
 * The one path builder of the index (SPEC 6.4): a hand-written table of names GitHub may give us and
 * the segment each must become, and the `file` arguments the action must never pass.
 */
import { describe, expect, it } from '@jest/globals'
import { indexPath, isContainedPath, MAX_SEGMENT_BYTES, NameRefused, namesFit, nameSegment } from '../../src/render/paths.js'

describe('nameSegment', () => {
  it.each([
    ['widgets', 'widgets'],
    ['Acme.Lib_x-1', 'Acme.Lib_x-1'],
    ['xacc/alpine', 'xacc%2Falpine'],
    ['.json', '%2Ejson'],
    ['.xml', '%2Exml'],
    ['.gitmodules', '%2Egitmodules'],
    ['.gitattributes', '%2Egitattributes'],
    ['.git', '%2Egit'],
    ['.github', '%2Egithub'],
    ['.', '%2E'],
    ['..', '%2E.'],
    ['../../etc', '%2E.%2F..%2Fetc'],
    ['a\0b', 'a%00b'],
    ['a\\b', 'a%5Cb'],
    ['line\nbreak', 'line%0Abreak'],
    ['~badges', '%7Ebadges'],
    ['git~1', 'git%7E1'],
    ['é', '%C3%A9'],
    ['a.json', 'a.json']
  ])('%j → %s', (name, segment) => {
    expect(nameSegment(name)).toBe(segment)
  })

  it('accepts 250 bytes and refuses 251, counted after encoding', () => {
    expect(MAX_SEGMENT_BYTES).toBe(250)
    expect(nameSegment('a'.repeat(250))).toHaveLength(250)
    expect(() => nameSegment('a'.repeat(251))).toThrow(NameRefused)
    // 83 slashes and 1 letter: 84 characters that encode to 3 × 83 + 1 = 250 bytes; one more slash is 253.
    expect(nameSegment(`${'/'.repeat(83)}a`)).toHaveLength(250)
    expect(() => nameSegment(`${'/'.repeat(84)}a`)).toThrow(NameRefused)
    // A leading dot takes 3 bytes: 248 letters after it make 251.
    expect(() => nameSegment(`.${'a'.repeat(248)}`)).toThrow(NameRefused)
    expect(() => nameSegment('')).toThrow(NameRefused)
  })

  it('namesFit says the same without throwing', () => {
    expect(namesFit('acme', 'tools', 'xacc/alpine')).toBe(true)
    expect(namesFit('acme', 'tools', 'a'.repeat(251))).toBe(false)
    expect(namesFit('acme', '', 'cli')).toBe(false)
  })
})

describe('indexPath', () => {
  it.each([
    [{}, '.json', '.json'],
    [{}, '.xml', '.xml'],
    [{}, '.nojekyll', '.nojekyll'],
    [{}, '.backage-index', '.backage-index'],
    [{}, 'README.md', 'README.md'],
    [{}, 'list.json', 'list.json'],
    [{}, '~badges/downloads.json', '~badges/downloads.json'],
    [{ owner: 'acme' }, '.json', 'acme/.json'],
    [{ owner: 'acme' }, '~history.json', 'acme/~history.json'],
    [{ owner: 'acme', repo: '.json' }, '.json', 'acme/%2Ejson/.json'],
    [{ owner: 'acme', repo: '.gitmodules' }, '.xml', 'acme/%2Egitmodules/.xml'],
    [{ owner: 'acme', repo: 'tools', package: 'xacc/alpine' }, '.json', 'acme/tools/xacc%2Falpine.json'],
    [{ owner: 'acme', repo: 'xacc/alpine', package: 'xacc/alpine' }, '.xml', 'acme/xacc%2Falpine/xacc%2Falpine.xml'],
    [{ owner: 'acme', repo: 'tools', package: '.json' }, '.json', 'acme/tools/%2Ejson.json'],
    [{ owner: 'acme', repo: 'tools', package: '..' }, '.api/badges/day.json', 'acme/tools/%2E..api/badges/day.json']
  ])('%j + %s → %s', (scope, file, expected) => {
    expect(indexPath(scope, file)).toBe(expected)
  })

  it.each([
    [{}, ''],
    [{}, '..'],
    [{}, '../x.json'],
    [{}, '/etc/passwd'],
    [{}, '.gitmodules'],
    [{}, '.gitattributes'],
    [{}, '.git/config'],
    [{}, 'acme'], // no `.`: it could be a login's folder
    [{}, 'a/../b.json'],
    [{}, 'a\\b.json'],
    [{}, 'x.json\0'],
    [{ owner: 'acme' }, 'tools.json'], // a repo may be named `tools.json`
    [{ owner: 'acme' }, '.nojekyll'],
    [{ owner: 'acme' }, '~x/../../y'],
    [{ owner: 'acme', repo: 'r' }, 'web.json'], // the file of a package named `web`
    [{ owner: 'acme', repo: 'r' }, '.gitmodules'],
    [{ owner: 'acme', repo: 'r', package: 'p' }, 'x.json'],
    [{ owner: 'acme', repo: 'r', package: 'p' }, '.api/../../x'],
    [{ owner: 'acme', repo: 'r', package: 'p' }, '/.json'],
    [{ owner: 'acme', repo: 'r', package: 'p' }, '.json/x']
  ])('refuses %j + %j', (scope, file) => {
    expect(() => indexPath(scope, file)).toThrow(/indexPath: not/)
  })

  it('needs the outer names of a scope, and refuses a name that does not fit', () => {
    expect(() => indexPath({ repo: 'r' }, '.json')).toThrow('a repo needs its owner')
    expect(() => indexPath({ owner: 'o', package: 'p' }, '.json')).toThrow('a package needs its owner and repo')
    expect(() => indexPath({ owner: 'o', repo: 'r', package: 'a'.repeat(251) }, '.json')).toThrow(NameRefused)
  })
})

describe('isContainedPath', () => {
  it.each([
    ['acme/%2Egitmodules/.json', true],
    ['.json', true],
    ['acme/tools/%2E..json', true],
    ['', false],
    ['..', false],
    ['a/../b', false],
    ['/etc/passwd', false],
    ['a//b', false],
    ['a/./b', false],
    ['.gitmodules', false],
    ['a/.GIT/config', false],
    ['a\\b', false],
    ['a\0b', false],
    ['a\nb', false],
    ['GIT~1/config', false],
    ['~badges/day.json', true]
  ])('%j → %s', (value, expected) => {
    expect(isContainedPath(value)).toBe(expected)
  })
})
