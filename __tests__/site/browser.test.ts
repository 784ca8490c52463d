/**
 * The site in a real browser (SPEC 11): Debian's headless Chromium, driven by playwright-core, on an
 * index folder served over HTTP on 127.0.0.1. Every expected number is read from the index's own
 * JSON files; the rules that turn them into text (grouped digits, badge Markdown) are SPEC's.
 * Screenshots go to test-output/site/ (ignored). Without Chromium: one visibly skipped test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { chromiumAvailable, CHROMIUM, launchBrowser, PAGES_BASE, servePagesLike, type Browser } from '../../test-support/browser.js'
import { FIXTURE_INDEX, indexWithSite } from '../../test-support/site-index.js'
import { serveStatic, type StaticServer } from '../../test-support/static-server.js'

/** The index the site is tested on: the hand-written sample (the demo's index fits as well). */
const INDEX_SOURCE = FIXTURE_INDEX
const SHOTS = path.join('test-output', 'site')

interface Pkg {
  name: string
  type: string
  versions: number
  tagged: number
  downloads: { total: number; last_day: number; last_week: number; last_month: number }
  stale?: Record<string, string | null>
}
interface Hist { start: string; end: string; daily: number[] }
interface VPage { next: number | null; versions: { name: string; tags: string[] }[] }

const json = <T>(file: string): T => JSON.parse(readFileSync(path.join(INDEX_SOURCE, file), 'utf8')) as T
const list = (): string[] => json<{ packageNames: string[] }>('list.json').packageNames
const pkgOf = (entry: string): Pkg => json<Pkg>(`${entry}.api/package.json`)
const grouped = (n: number): string => (n < 0 ? 'unknown' : n.toLocaleString('en-US'))

const describeBrowser = (title: string, body: () => void): void => {
  if (chromiumAvailable()) describe(title, body)
  else describe.skip(title, () => it.skip(`needs Chromium at ${CHROMIUM} (apt-get install chromium)`, () => undefined))
}

describeBrowser('the site in headless Chromium', () => {
  let dir: string
  let server: StaticServer
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const requests: string[] = []
  const dialogs: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    dir = indexWithSite(INDEX_SOURCE)
    server = await serveStatic(dir)
    browser = await launchBrowser({ viewport: { width: 1280, height: 900 } })
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') })
    page = await browser.context.newPage()
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })
    page.on('request', (request) => requests.push(request.url()))
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const open = async (hash: string): Promise<void> => {
    await page.goto(`${server.url}${hash}`)
    await page.waitForSelector('main h1')
  }

  it('shows the totals of statistics.json on the front page', async () => {
    await open('')
    const totals = json<{ totals: Record<string, number> }>('statistics.json').totals
    for (const key of ['packages', 'owners', 'repos', 'versions', 'downloads']) {
      expect([key, await page.getAttribute(`[data-stat="${key}"] dd`, 'title')]).toEqual([key, grouped(totals[key] ?? -2)])
    }
  })

  // The package with most versions: on the sample a container with two pages of them and a stale week.
  const target = (): string => {
    const entries = list().map((entry) => ({ entry, versions: pkgOf(entry).versions }))
    return entries.reduce((best, e) => (e.versions > best.versions ? e : best)).entry
  }

  it('finds a package as you type and opens it with the keyboard', async () => {
    await open('')
    const entry = target()
    const name = pkgOf(entry).name
    const term = decodeURIComponent(name).slice(0, 4)
    await page.keyboard.press('/')
    await page.keyboard.type(term, { delay: 20 })
    await page.waitForSelector('#results [role="option"]')
    const options = await page.$$eval('#results [role="option"]', (nodes) => nodes.map((n) => ({ entry: n.getAttribute('data-entry'), text: n.textContent ?? '' })))
    for (const option of options) expect(option.text.toLowerCase()).toContain(term.toLowerCase())
    const index = options.findIndex((o) => o.entry === entry)
    expect(index).toBeGreaterThanOrEqual(0)
    for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown')
    expect(await page.getAttribute('#search', 'aria-activedescendant')).toBe(`result-${index}`)
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-stat="total"]')
    expect(await page.evaluate(() => location.hash)).toBe(`#/${entry}`)
    expect(await page.getAttribute('#search', 'aria-expanded')).toBe('false')
    expect(await page.isHidden('#results')).toBe(true)
  })

  it('shows the numbers of package.json, stale ones marked', async () => {
    const pkg = pkgOf(target())
    expect(Object.keys(pkg.stale ?? {}).length).toBeGreaterThan(0)
    const value = (key: string): Promise<string | null> => page.textContent(`[data-stat="${key}"] .value`)
    expect(await page.textContent('main h1')).toBe(`${decodeURIComponent(pkg.name)} ${pkg.type}`)
    expect(await value('total')).toBe(grouped(pkg.downloads.total))
    expect(await value('last_month')).toBe(grouped(pkg.downloads.last_month))
    expect(await value('last_week')).toBe(grouped(pkg.downloads.last_week))
    expect(await value('last_day')).toBe(grouped(pkg.downloads.last_day))
    expect(await value('versions')).toBe(grouped(pkg.versions))
    expect(await page.textContent('[data-stat="versions"] .sub')).toBe(`${grouped(pkg.tagged)} tagged`)
    const staleStats = await page.$$eval('.stat.stale', (nodes) => nodes.map((n) => n.getAttribute('data-stat')))
    const statOf: Record<string, string> = { downloads: 'total', downloads_month: 'last_month', downloads_week: 'last_week', downloads_day: 'last_day', size: 'size' }
    expect(staleStats.sort()).toEqual(Object.keys(pkg.stale ?? {}).map((k) => statOf[k]).sort())
  })

  it('draws the history: one bar per day from start to end, the total beside it', async () => {
    const history = json<Hist>(`${target()}.api/history.json`)
    await page.waitForSelector('#history[data-days]')
    expect(Number(await page.getAttribute('#history', 'data-days'))).toBe(history.daily.length)
    const painted = await page.$eval('#history canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement
      const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray()
      let n = 0
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) n++
      return n
    })
    expect(painted).toBeGreaterThan(2000)
    // The cursor at the plot's two edges lands on the first and the last day, with that day's number.
    const over = await page.$('#history .u-over')
    const box = await over?.boundingBox()
    if (!box) throw new Error('no plot area')
    const legend = async (x: number): Promise<[string | null, string | null]> => {
      await page.mouse.move(box.x + x, box.y + box.height / 2)
      return [await page.textContent('#history .u-series:nth-child(1) .u-value'), await page.textContent('#history .u-series:nth-child(2) .u-value')]
    }
    const last = history.daily.at(-1) ?? -1
    expect(await legend(box.width - 1)).toEqual([history.end, last < 0 ? '–' : grouped(last)])
    const first = history.daily[0] ?? -1
    expect(await legend(1)).toEqual([history.start, first < 0 ? '–' : grouped(first)])
  })

  it('lists the versions page by page', async () => {
    const api = `${target()}.api/versions/`
    const first = json<VPage>(`${api}page-1.json`)
    const rowNames = (): Promise<string[]> => page.$$eval('#versions tbody tr td:first-child', (cells) => cells.map((c) => c.textContent ?? ''))
    await page.waitForFunction((n) => document.querySelectorAll('#versions tbody tr').length === n, first.versions.length)
    expect(await rowNames()).toEqual(first.versions.map((v) => v.name))
    if (first.next !== null) {
      const second = json<VPage>(`${api}page-${first.next}.json`)
      await page.click('button.more')
      await page.waitForFunction((n) => document.querySelectorAll('#versions tbody tr').length === n, first.versions.length + second.versions.length)
      expect((await rowNames()).slice(first.versions.length)).toEqual(second.versions.map((v) => v.name))
    }
    await page.screenshot({ path: path.join(SHOTS, 'package-desktop.png'), fullPage: true })
  })

  it('copies the Markdown of every badge: shields endpoint over the public URL of its JSON', async () => {
    const entry = target()
    const names = ['downloads', 'month', 'week', 'day', 'versions', 'version', ...(pkgOf(entry).type === 'container' ? ['size'] : [])]
    await page.waitForFunction((n) => document.querySelectorAll('.badges li button').length === n, names.length)
    expect(await page.$$eval('.badges li', (items) => items.map((i) => i.getAttribute('data-badge')))).toEqual(names)
    const label = json<{ label: string }>(`${entry}.api/badges/downloads.json`).label
    const url = `${server.url}${entry.replace(/%/g, '%25')}.api/badges/downloads.json`
    await page.click('[data-badge="downloads"] button')
    await page.waitForSelector('[data-badge="downloads"] .copied:text("Copied")')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`![${label}](https://img.shields.io/endpoint?url=${encodeURIComponent(url)})`)
  })

  it('shows a hostile tag as text and runs nothing', async () => {
    const hostile = list()
      .map((entry) => ({ entry, tags: json<VPage>(`${entry}.api/versions/page-1.json`).versions.flatMap((v) => v.tags) }))
      .map(({ entry, tags }) => ({ entry, tag: tags.find((t) => t.includes('<')) }))
      .find((found) => found.tag !== undefined)
    expect(hostile?.tag).toBe('<img src=x onerror=alert(1)>')
    await open(`#/${hostile?.entry ?? ''}`)
    await page.waitForSelector('#versions tbody tr')
    expect(await page.$$eval('#versions .tag', (tags) => tags.map((t) => t.textContent))).toContain(hostile?.tag)
    expect(await page.$$eval('main img', (images) => images.length)).toBe(0)
    expect(dialogs).toEqual([])
  })

  it('routes nested names and dotted repositories, and lists packages by owner and repository', async () => {
    const entries = list()
    const nested = entries.find((e) => (e.split('/')[2] ?? '').includes('%2F'))
    const dotted = entries.find((e) => (e.split('/')[1] ?? '').startsWith('%2E'))
    if (!nested || !dotted) throw new Error('the index needs a nested package name and a dotted repository')
    await open(`#/${nested}`)
    const heading = `${decodeURIComponent(pkgOf(nested).name)} ${pkgOf(nested).type}`
    expect(await page.textContent('main h1')).toBe(heading)
    // Its data links reach the files (one `%` level more in the URL than on disk).
    for (const file of ['package.json', 'history.json']) {
      const href = (await page.getAttribute(`main a:text-is("${file}")`, 'href')) ?? ''
      expect([file, (await page.request.get(href)).status()]).toEqual([file, 200])
    }
    // The skip link is an in-page anchor, not a route: the view stays.
    await page.focus('a.skip')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.activeElement?.id === 'main')
    expect(await page.textContent('main h1')).toBe(heading)
    const [owner = '', repo = ''] = dotted.split('/')
    await open(`#/${owner}/${repo}`)
    expect(await page.textContent('main h1')).toBe(`${decodeURIComponent(owner)}/${decodeURIComponent(repo)}`)
    const inRepo = entries.filter((e) => e.startsWith(`${owner}/${repo}/`))
    await page.waitForFunction((n) => Array.from(document.querySelectorAll('#packages tbody tr td.num:nth-last-child(2)')).filter((td) => td.textContent !== '').length === n, inRepo.length)
    const rows = await page.$$eval('#packages tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-package'), tr.querySelector('td.num')?.textContent ?? '']))
    expect(rows).toEqual(inRepo.map((e) => [e, grouped(pkgOf(e).downloads.total)]))
    await open(`#/${owner}`)
    const ofOwner = entries.filter((e) => e.startsWith(`${owner}/`))
    expect(await page.$$eval('#packages tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-package')))).toEqual(ofOwner)
    await page.waitForSelector('#history[data-days]')
  })

  it('fits a phone screen and reads in dark mode', async () => {
    const entry = target()
    await page.setViewportSize({ width: 390, height: 844 })
    await open(`#/${entry}`)
    await page.waitForSelector('#history[data-days]')
    await page.waitForSelector('#versions tbody tr')
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await page.screenshot({ path: path.join(SHOTS, 'package-phone.png'), fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number)
    expect(r + g + b).toBeLessThan(120)
    await page.screenshot({ path: path.join(SHOTS, 'package-phone-dark.png'), fullPage: true })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('on GitHub Pages, gives badges that shields.io fetches from raw.githubusercontent.com', async () => {
    // The page at https://me.github.io/mirror/, answered inside the browser from the same folder.
    await servePagesLike(browser.context, dir)
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(PAGES_BASE).origin })
    // A nested name, so the `%` of its segment must reach shields.io as `%25` (SPEC 10).
    const entry = list().find((e) => (e.split('/')[2] ?? '').includes('%2F')) ?? ''
    await page.goto(`${PAGES_BASE}#/${entry}`)
    await page.click('[data-badge="week"] button')
    await page.waitForSelector('[data-badge="week"] .copied:text("Copied")')
    const label = json<{ label: string }>(`${entry}.api/badges/week.json`).label
    const raw = `https://raw.githubusercontent.com/me/mirror/index/${entry.replace(/%/g, '%25')}.api/badges/week.json`
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`![${label}](https://img.shields.io/endpoint?url=${encodeURIComponent(raw)})`)
  })

  it('made no request outside its own origin, broke no policy and threw nothing', () => {
    expect(requests.length).toBeGreaterThan(20)
    const own = (url: string): boolean => url.startsWith(server.url) || url.startsWith(PAGES_BASE) || url.startsWith('data:')
    expect(requests.filter((url) => !own(url))).toEqual([])
    expect(problems).toEqual([])
  })
})
