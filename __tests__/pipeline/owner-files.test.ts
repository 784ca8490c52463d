import { describe, expect, it } from '@jest/globals'
import {
  isOptedOut,
  isOwnerOptedOut,
  parseOptOutFile,
  parseOwnersFile,
  parseOwnersInput
} from '../../src/pipeline/owner-files.js'

describe('parseOwnersFile', () => {
  it('reads logins and id/login lines, skipping comments and blanks', () => {
    const text = ['# owners', '', 'octocat', '  1234/Some-Org  # trailing comment', '\tmona\t', '#disabled'].join('\n')
    expect(parseOwnersFile(text, 'owners.txt')).toEqual({
      owners: [{ login: 'octocat' }, { login: 'Some-Org', id: 1234 }, { login: 'mona' }],
      errors: []
    })
  })

  it('reports each bad line with file and line number and keeps the good ones', () => {
    const text = ['ok-one', '-leading', 'bad login!', 'x/login', `${'a'.repeat(40)}`, 'ok-two', 'a_b'].join('\r\n')
    const result = parseOwnersFile(text, 'owners.txt')
    expect(result.owners).toEqual([{ login: 'ok-one' }, { login: 'ok-two' }])
    expect(result.errors).toEqual([
      'owners.txt:2: "-leading" is not a GitHub login (expected login or id/login)',
      'owners.txt:3: "bad login!" is not a GitHub login (expected login or id/login)',
      'owners.txt:4: "x/login" is not a GitHub login (expected login or id/login)',
      `owners.txt:5: "${'a'.repeat(40)}" is not a GitHub login (expected login or id/login)`,
      'owners.txt:7: "a_b" is not a GitHub login (expected login or id/login)'
    ])
  })

  it('accepts a 39-character login and drops case-insensitive repeats', () => {
    const long = 'b'.repeat(39)
    expect(parseOwnersFile(`${long}\nOctocat\noctocat`, 'f').owners).toEqual([{ login: long }, { login: 'Octocat' }])
  })
})

describe('parseOwnersInput', () => {
  it('splits on commas and newlines', () => {
    expect(parseOwnersInput('a, b\nc,,\n 7/d ').owners).toEqual([
      { login: 'a' },
      { login: 'b' },
      { login: 'c' },
      { login: 'd', id: 7 }
    ])
  })

  it('names the owners input in errors', () => {
    const result = parseOwnersInput('good, no way')
    expect(result.owners).toEqual([{ login: 'good' }])
    expect(result.errors).toEqual(['input "owners": "no way" is not a GitHub login (expected login or id/login)'])
  })
})

describe('opt-out', () => {
  const { rules, errors } = parseOptOutFile(
    ['# opt-outs', 'Gone-Owner', 'acme/Secret-Repo', 'xacc/tools/xacc%2Falpine  # url form', 'bad owner', 'a/b c'].join(
      '\n'
    ),
    'optout.txt'
  )

  it('parses owner, owner/repo and owner/repo/package lines (URL form decoded)', () => {
    expect(rules).toEqual([
      { owner: 'Gone-Owner' },
      { owner: 'acme', repo: 'Secret-Repo' },
      { owner: 'xacc', repo: 'tools', package: 'xacc/alpine' }
    ])
    expect(errors).toEqual([
      'optout.txt:5: "bad owner" is not an opt-out entry (expected owner, owner/repo or owner/repo/package)',
      'optout.txt:6: "a/b c" is not an opt-out entry (expected owner, owner/repo or owner/repo/package)'
    ])
  })

  it('matches owners, repos and packages case-insensitively', () => {
    expect(isOptedOut(rules, { owner: 'gone-owner', repo: 'x', name: 'y' })).toBe(true)
    expect(isOptedOut(rules, { owner: 'ACME', repo: 'secret-repo', name: 'y' })).toBe(true)
    expect(isOptedOut(rules, { owner: 'acme', repo: 'public', name: 'y' })).toBe(false)
    expect(isOptedOut(rules, { owner: 'xacc', repo: 'tools', name: 'xacc/alpine' })).toBe(true)
    expect(isOptedOut(rules, { owner: 'xacc', repo: 'tools', name: 'alpine' })).toBe(false)
    expect(isOptedOut(rules, { owner: 'other', repo: null, name: 'Secret-Repo' })).toBe(false)
    expect(isOptedOut(rules, { owner: 'XACC', repo: 'Tools', name: 'XACC/Alpine' })).toBe(true)
  })

  it('names a package without a repository by its own name as repo folder', () => {
    const own = parseOptOutFile('me/solo', 'optout.txt').rules
    expect(isOptedOut(own, { owner: 'me', repo: null, name: 'solo' })).toBe(true)
    expect(isOptedOut(own, { owner: 'me', repo: 'other', name: 'solo' })).toBe(false)
  })

  it('names a package without a repository whose name holds a / by its URL-form folder', () => {
    const nested = parseOptOutFile('o/xacc%2Falpine\no/xacc%2Falpine/xacc%2Falpine', 'optout.txt')
    expect(nested.errors).toEqual([])
    expect(nested.rules).toEqual([
      { owner: 'o', repo: 'xacc/alpine' },
      { owner: 'o', repo: 'xacc/alpine', package: 'xacc/alpine' }
    ])
    expect(isOptedOut(nested.rules.slice(0, 1), { owner: 'o', repo: null, name: 'xacc/alpine' })).toBe(true)
    expect(isOptedOut(nested.rules.slice(1), { owner: 'o', repo: null, name: 'xacc/alpine' })).toBe(true)
    expect(isOptedOut(nested.rules, { owner: 'o', repo: null, name: 'xacc/other' })).toBe(false)
  })

  it('tells whole-owner opt-outs apart', () => {
    expect(isOwnerOptedOut(rules, 'GONE-OWNER')).toBe(true)
    expect(isOwnerOptedOut(rules, 'acme')).toBe(false)
  })
})
