/**
 * The parsers on real github.com captures (shared/fixtures/github-pages, read in place, never copied).
 * Expected values are those of that folder's README.md. Skipped, visibly, when the folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { windowsFromDaily } from '../../src/github/pages/count.js'
import { parsePackagePage } from '../../src/github/pages/package.js'
import { parseVersionsPage } from '../../src/github/pages/versions.js'
import { NotUnderstood } from '../../src/types.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const dir = path.join(repoRoot, '..', 'shared', 'fixtures', 'github-pages')
const present = existsSync(dir)
if (!present) console.warn(`real github.com captures not found at ${dir}: their tests are skipped`)
// jest runs a skipped describe's body to collect its tests, so without the captures the body is not
// handed to jest at all: one visibly skipped test says why instead.
const describeReal = (title: string, body: () => void): void => {
  if (present) describe(title, body)
  else describe.skip(title, () => it.skip('needs the real captures in ../shared/fixtures/github-pages', () => undefined))
}

const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8')

const NAS_DOCTOR = 'container-package-mcdays94-nas-doctor-20260510.html'
const CONTROLLER = 'container-package-openchoreo-controller-20260719.html'
const VERSIONS = 'container-versions-tagged-openchoreo-controller-20260720.html'
const SCAFFOLD = 'container-package-ownerform-clevyr-scaffold-20260807.html'
const UNTAGGED = 'container-versions-untagged-clevyr-scaffold-20260807.html'

describeReal(`real captures (${present ? 'present' : 'SKIPPED: ../shared/fixtures/github-pages absent'})`, () => {
  describe('nas-doctor package page (user, repo-linked, one Issues trap)', () => {
    const url = 'https://github.com/mcdays94/nas-doctor/pkgs/container/nas-doctor'
    const page = parsePackagePage(read(NAS_DOCTOR), url)

    it('reads the exact total, not the rounded text nor the Issues counters (9, 8)', () => {
      expect(page.total).toBe(14360)
    })

    it('reads 30 consecutive days, oldest first, and their windows', () => {
      expect(page.daily).toHaveLength(30)
      expect(page.daily[0]).toEqual({ date: '2026-04-11', count: 224 })
      expect(page.daily[29]).toEqual({ date: '2026-05-10', count: 412 })
      expect(page.daily[28]).toEqual({ date: '2026-05-09', count: 847 })
      expect(windowsFromDaily(page.daily)).toEqual({ day: 412, week: 3457, month: 14125 })
    })

    it('normalises last published to UTC', () => {
      expect(page.lastPublished).toBe('2026-05-09T08:06:03Z')
    })

    it('reports no part of the page as not understood', () => {
      expect(page.problems).toEqual([])
    })

    it('without its chart, or with the recent rows unrecognised, still reads the total', () => {
      const noChart = parsePackagePage(read(NAS_DOCTOR).replace(/Downloads for the last 30 days/g, 'Activity'), url)
      expect([noChart.total, noChart.daily, noChart.problems?.map((p) => p.marker)]).toEqual([14360, [], ['Downloads for the last 30 days']])
      const noRows = parsePackagePage(read(NAS_DOCTOR).replace(/Version downloads/g, 'Downloads'), url)
      expect([noRows.total, noRows.recent, noRows.problems?.map((p) => p.marker)]).toEqual([14360, [], ['Version downloads']])
    })

    it('reads the 5 recent tagged versions', () => {
      expect(page.recent.map((r) => [r.id, r.tags, r.downloads])).toEqual([
        [852161345, ['latest', '0.10', '0.10.0', 'nightly'], 581],
        [851270196, ['0.10.0-rc1'], 1],
        [849965785, ['0.9.15', '0.9'], 450],
        [846059816, ['0.9.15-rc2'], 1],
        [845661302, ['0.9.14'], 673]
      ])
      expect(page.recent.reduce((s, r) => s + r.downloads, 0)).toBe(1706)
      expect(page.recent[0]?.name).toBe('sha256:d845e203029c5deb71da29b1b622ef7650466ada426bee70c92b8bfcc72c3fdc')
      expect(page.recent[4]?.name.startsWith('sha256:463be89c6d22')).toBe(true)
    })
  })

  describe('openchoreo controller package page (org, Discussions + Issues traps)', () => {
    const url = 'https://github.com/openchoreo/openchoreo/pkgs/container/controller'
    const page = parsePackagePage(read(CONTROLLER), url)

    it('reads 51098, not 209 (Discussions), 217 (Issues) or 159 (tab counter)', () => {
      expect(page.total).toBe(51098)
    })

    it('reads the chart and last published', () => {
      expect(page.daily).toHaveLength(30)
      expect(page.daily[0]).toEqual({ date: '2026-06-20', count: 292 })
      expect(page.daily[29]).toEqual({ date: '2026-07-19', count: 377 })
      expect(windowsFromDaily(page.daily)).toEqual({ day: 377, week: 4606, month: 16440 })
      expect(page.lastPublished).toBe('2026-07-17T09:35:54Z')
    })

    it('keeps the 71-character sha256- tag whole', () => {
      expect(page.recent.map((r) => [r.id, r.tags, r.downloads])).toEqual([
        [1040109543, ['f2fadb0b', 'latest-dev'], 286],
        [1039930867, ['84191e50'], 5],
        [1039766119, ['sha256-67881106fc9609b734f777a6e25779e68eacb672f16e30202fd1692c560fbced'], 0],
        [1039509056, ['v1.2.0-rc.1', 'f2822307'], 14],
        [1037814363, ['b24502fb'], 25]
      ])
      expect(page.recent[2]?.tags[0]).toHaveLength(71)
      expect(page.recent.reduce((s, r) => s + r.downloads, 0)).toBe(330)
    })
  })

  describe('openchoreo controller tagged versions list', () => {
    const url = 'https://github.com/openchoreo/openchoreo/pkgs/container/controller/versions?filters%5Bversion_type%5D=tagged'
    const html = read(VERSIONS)
    const page = parseVersionsPage(html, url)

    it('reads 50 tagged rows with distinct ids summing to 2193', () => {
      expect(page.rows).toHaveLength(50)
      expect(new Set(page.rows.map((r) => r.id)).size).toBe(50)
      expect(page.rows.every((r) => r.tags.length >= 1)).toBe(true)
      expect(page.rows.reduce((s, r) => s + r.downloads, 0)).toBe(2193)
    })

    it('reads specific rows', () => {
      expect(page.rows[0]).toMatchObject({ id: 1040109543, tags: ['f2fadb0b', 'latest-dev'], downloads: 310 })
      expect(page.rows[3]).toMatchObject({ id: 1039509056, tags: ['v1.2.0-rc.1', 'f2822307'], downloads: 16 })
      expect(page.rows[33]).toMatchObject({ id: 1017737282, tags: ['be615cf6'], downloads: 461 })
      expect(page.rows[49]).toMatchObject({
        id: 1011312018,
        tags: ['sha256-15e15a7b7efd50823a443b4588fd1455f1d5b51fb38f6251269687dabf68d90f'],
        downloads: 0
      })
      expect(page.rows[0]?.name).toMatch(/^sha256:1747640010bf[0-9a-f]{52}$/)
    })

    it('reads the stated totals and the page count', () => {
      expect(page.tagged).toBe(1862)
      expect(page.untagged).toBe(3903)
      expect(page.totalPages).toBe(38)
    })

    it('with its `Version downloads` label renamed, is not understood (never read as an empty list)', () => {
      const renamed = html.replace(/Version downloads/g, 'Downloads')
      expect(() => parseVersionsPage(renamed, url)).toThrow(/Version downloads.*links 50 versions/)
    })

    it('is not a package page: it has no Total downloads', () => {
      expect(() => parsePackagePage(html, url)).toThrow(NotUnderstood)
      expect(() => parsePackagePage(html, url)).toThrow(/Total downloads/)
    })
  })

  describe('clevyr scaffold package page (owner form, no repository header)', () => {
    const url = 'https://github.com/orgs/clevyr/packages/container/package/scaffold'
    const html = read(SCAFFOLD)
    const page = parsePackagePage(html, url)

    it('reads the exact total 15130, not the rounded 15.1K', () => {
      expect(page.total).toBe(15130)
    })

    it('reads 30 bars 2026-07-08 … 2026-08-06: the newest is GitHub\'s day, not the capture\'s UTC day', () => {
      expect(page.daily).toHaveLength(30)
      expect(page.daily[0]).toEqual({ date: '2026-07-08', count: 6 })
      expect(page.daily[29]).toEqual({ date: '2026-08-06', count: 121 })
      expect(windowsFromDaily(page.daily)).toEqual({ day: 121, week: 121, month: 141 })
      expect(page.problems).toEqual([])
    })

    it('normalises last published to UTC', () => {
      expect(page.lastPublished).toBe('2025-04-03T20:48:15Z')
    })

    it('reads the 5 recent tagged versions from org-form tag links', () => {
      expect(page.recent.map((r) => [r.id, r.tags, r.downloads])).toEqual([
        [388309792, ['beta'], 37],
        [388309780, ['beta-amd64'], 64],
        [388309684, ['beta-arm64v8'], 36],
        [132075049, ['latest', '0.11.3', '0.11', '0'], 526],
        [132075036, ['0.11.3-arm64v8'], 157]
      ])
      expect(page.recent.reduce((s, r) => s + r.downloads, 0)).toBe(820)
    })

    it('with a Total downloads title of 9007199254740993 or of 400 digits, is not understood', () => {
      for (const title of ['9007199254740993', '9'.repeat(400)]) {
        const unsafe = html.replace('<h3 title="15130">', `<h3 title="${title}">`)
        expect(unsafe).not.toBe(html)
        expect(() => parsePackagePage(unsafe, url)).toThrow(/Total downloads/)
      }
    })

    it('with the heading after Total downloads removed, nothing further down is read as the total', () => {
      const headless = html.replace('<h3 title="15130">15.1K</h3>', '')
      expect(headless).not.toBe(html)
      expect(() => parsePackagePage(headless, url)).toThrow(/Total downloads/)
    })

    it('with its newest bar removed (29 bars) the chart is not a month; the total still counts', () => {
      const short = html.replace(/<rect[^>]*data-date="2026-08-06"[^>]*>\s*<\/rect>/, '')
      expect(short).not.toBe(html)
      const cut = parsePackagePage(short, url)
      expect([cut.total, cut.daily, cut.problems?.map((p) => p.marker)]).toEqual([15130, [], ['Downloads for the last 30 days']])
    })
  })

  describe('clevyr scaffold untagged versions list (digest as link text, no ?tag=)', () => {
    const url = 'https://github.com/orgs/clevyr/packages/container/scaffold/versions?filters%5Bversion_type%5D=untagged'
    const html = read(UNTAGGED)
    const page = parseVersionsPage(html, url)

    it('reads 50 untagged rows summing to 250, named by their digests', () => {
      expect(page.rows).toHaveLength(50)
      expect(new Set(page.rows.map((r) => r.id)).size).toBe(50)
      expect(page.rows.every((r) => r.tags.length === 0 && /^sha256:[0-9a-f]{64}$/.test(r.name))).toBe(true)
      expect(page.rows.reduce((s, r) => s + r.downloads, 0)).toBe(250)
    })

    it('reads the first and the last row', () => {
      expect(page.rows[0]).toEqual({
        id: 385518471,
        name: 'sha256:800e1fe80f01a41bfa3190c9043b422fc6ce36be23b178324553a03ca3fb6179',
        tags: [],
        downloads: 6
      })
      expect(page.rows[49]).toMatchObject({ id: 208201720, tags: [], downloads: 17 })
    })

    it('reads the stated totals and the page count', () => {
      expect([page.tagged, page.untagged, page.totalPages]).toEqual([61, 138, 3])
    })

    it('is not a package page: it has no Total downloads', () => {
      expect(() => parsePackagePage(html, url)).toThrow(/Total downloads/)
    })
  })
})
