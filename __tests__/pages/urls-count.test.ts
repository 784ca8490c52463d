import { describe, expect, it } from '@jest/globals'
import { chartProblem, parseCount, windowsFromDaily } from '../../src/github/pages/count.js'
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

describe('parseCount: the one count parser (SPEC 12)', () => {
  it.each([
    ['0', 0],
    ['581', 581],
    ['1,234', 1234],
    ['60,407', 60407],
    ['1,234,567', 1234567],
    [' 42 ', 42],
    ['9007199254740991', 9007199254740991],
    ['9,007,199,254,740,991', 9007199254740991]
  ])('%s → %d', (text, n) => {
    expect(parseCount(text)).toBe(n)
  })

  it.each([
    '',
    'abc',
    '1,23',
    '12,3456',
    '1.5',
    '-3',
    '14.4X',
    'K',
    '14.4K', // rounded visible text is never a count
    '51.1k',
    '1.2M',
    '3B',
    '1e30',
    '0x10',
    '9007199254740992', // not a safe integer (MAX_SAFE_INTEGER + 1)
    '9007199254740993', // the reported Total downloads title that froze later runs
    '9'.repeat(400), // the reported title that published `raw_downloads: null` and `NaN.NaNT`
    '١٢٣', // Arabic-Indic digits
    '1 234'
  ])('%j → null', (text) => {
    expect(parseCount(text)).toBeNull()
  })

  it('undefined (an absent attribute) → null', () => {
    expect(parseCount(undefined)).toBeNull()
  })
})

describe('the 30-day chart', () => {
  const days = Array.from({ length: 30 }, (_, i) => ({
    date: `2026-04-${String(i + 1).padStart(2, '0')}`,
    count: i + 1
  }))

  it('day = newest bar, week = newest 7, month = all, whatever the input order', () => {
    const shuffled = [...days.slice(15), ...days.slice(0, 15)].reverse()
    expect(windowsFromDaily(shuffled)).toEqual({ day: 30, week: 24 + 25 + 26 + 27 + 28 + 29 + 30, month: 465 })
  })

  it('30 consecutive days across a month end are a chart', () => {
    const across = Array.from({ length: 30 }, (_, i) => ({ date: new Date(Date.UTC(2026, 1, 15 + i)).toISOString().slice(0, 10), count: 1 }))
    expect([across[0]?.date, across[29]?.date]).toEqual(['2026-02-15', '2026-03-16'])
    expect([chartProblem(across), windowsFromDaily(across)]).toEqual([null, { day: 1, week: 7, month: 30 }])
  })

  it.each([
    ['no bars', []],
    ['29 bars', days.slice(1)],
    ['31 bars', [...days, { date: '2026-05-01', count: 1 }]],
    ['a repeated day', [...days.slice(1), { date: '2026-04-30', count: 1 }]],
    ['a gap', [...days.slice(1), { date: '2026-05-01', count: 1 }].filter((d) => d.date !== '2026-04-15').concat({ date: '2026-05-02', count: 1 })],
    ['a day that does not exist', days.map((d) => (d.date === '2026-04-30' ? { ...d, date: '2026-04-31' } : d))],
    ['counts adding up to an unsafe month', days.map((d) => ({ ...d, count: 9007199254740991 }))]
  ])('%s: not a chart, the windows are unknown (-1), never a short month', (_, bars) => {
    expect(chartProblem(bars)).not.toBeNull()
    expect(windowsFromDaily(bars)).toEqual({ day: -1, week: -1, month: -1 })
  })
})
