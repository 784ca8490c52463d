import { describe, expect, it } from '@jest/globals'
import { parseCount, windowsFromDaily } from '../../src/github/pages/count.js'
import {
  ownerListingUrl,
  packagePageUrl,
  packageUrlName,
  parsePackageLinkPath,
  parseVersionLinkPath,
  versionsUrl,
  versionUrl
} from '../../src/github/urls.js'
import type { PackageRef } from '../../src/types.js'

const S = 'https://ghe.example.test/'
const orgRef: PackageRef = { ownerType: 'orgs', owner: 'acme', type: 'container', name: 'tools/cli', repo: 'tools' }
const userRef: PackageRef = { ownerType: 'users', owner: 'jdoe', type: 'npm', name: 'widget', repo: null }

describe('urls', () => {
  it('encodes a / inside a name as %2F and leaves ordinary names alone', () => {
    expect(packageUrlName('tools/cli')).toBe('tools%2Fcli')
    expect(packageUrlName('Acme.Lib_x-1')).toBe('Acme.Lib_x-1')
  })

  it('builds the org and user listing forms from the server URL given', () => {
    expect(ownerListingUrl(S, 'orgs', 'acme', 2)).toBe('https://ghe.example.test/orgs/acme/packages?visibility=public&page=2')
    expect(ownerListingUrl(S, 'users', 'jdoe', 1)).toBe('https://ghe.example.test/jdoe?tab=packages&visibility=public&page=1')
  })

  it('builds package, versions and version URLs (users and orgs, nested names, tagged filter)', () => {
    expect(packagePageUrl(S, orgRef)).toBe('https://ghe.example.test/orgs/acme/packages/container/package/tools%2Fcli')
    expect(packagePageUrl(S, userRef)).toBe('https://ghe.example.test/users/jdoe/packages/npm/package/widget')
    expect(versionsUrl(S, orgRef, { page: 3 })).toBe('https://ghe.example.test/orgs/acme/packages/container/tools%2Fcli/versions?page=3')
    expect(versionsUrl(S, userRef, { page: 1, tagged: true })).toBe(
      'https://ghe.example.test/users/jdoe/packages/npm/widget/versions?filters%5Bversion_type%5D=tagged&page=1'
    )
    expect(versionUrl(S, orgRef, 852161345)).toBe('https://ghe.example.test/orgs/acme/packages/container/tools%2Fcli/852161345')
    expect(versionUrl('', userRef, 5)).toBe('/users/jdoe/packages/npm/widget/5')
  })

  it('reads link paths back', () => {
    expect(parsePackageLinkPath('/orgs/acme/packages/container/package/tools%2Fcli')).toEqual({
      ownerType: 'orgs',
      owner: 'acme',
      type: 'container',
      name: 'tools/cli'
    })
    expect(parsePackageLinkPath('/orgs/acme/packages?visibility=public')).toBeNull()
    expect(parseVersionLinkPath('/users/jdoe/packages/npm/widget/501')).toEqual({ type: 'npm', id: 501 })
    expect(parseVersionLinkPath('/openchoreo/openchoreo/pkgs/container/controller/1040109543')).toEqual({
      type: 'container',
      id: 1040109543
    })
    expect(parseVersionLinkPath('/users/jdoe/packages/npm/widget/versions')).toBeNull()
  })
})

describe('parseCount', () => {
  it.each([
    ['0', 0],
    ['581', 581],
    ['1,234', 1234],
    ['60,407', 60407],
    ['1,234,567', 1234567],
    ['14.4K', 14400],
    ['51.1k', 51100],
    ['1.2M', 1200000],
    ['3B', 3000000000],
    [' 42 ', 42]
  ])('%s → %d', (text, n) => {
    expect(parseCount(text)).toBe(n)
  })

  it.each(['', 'abc', '1,23', '12,3456', '1.5', '-3', '14.4X', 'K'])('%j → null', (text) => {
    expect(parseCount(text)).toBeNull()
  })
})

describe('windowsFromDaily', () => {
  const days = Array.from({ length: 30 }, (_, i) => ({
    date: `2026-04-${String(i + 1).padStart(2, '0')}`,
    count: i + 1
  }))

  it('day = newest bar, week = newest 7, month = all, whatever the input order', () => {
    const shuffled = [...days.slice(15), ...days.slice(0, 15)].reverse()
    expect(windowsFromDaily(shuffled)).toEqual({ day: 30, week: 24 + 25 + 26 + 27 + 28 + 29 + 30, month: 465 })
  })

  it('no bars = unknown, never zero', () => {
    expect(windowsFromDaily([])).toEqual({ day: -1, week: -1, month: -1 })
  })
})
