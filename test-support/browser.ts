/**
 * Headless Chromium for the site's tests and its README screenshot: Debian's `chromium` (never a
 * browser download), driven by playwright-core, with a fresh profile and nothing that reaches the
 * network by itself.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type BrowserContextOptions } from 'playwright-core'
import { resolveFile } from './static-server.js'

/** The system browser; `BACKAGE_CHROMIUM` points elsewhere (e.g. Google Chrome on a runner). */
export const CHROMIUM = process.env.BACKAGE_CHROMIUM ?? '/usr/bin/chromium'

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM)
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

export async function launchBrowser(options: BrowserContextOptions = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'backage-chromium-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, ...options })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/** Where `servePagesLike` pretends the index is published: GitHub Pages of `me/mirror`. */
export const PAGES_BASE = 'https://me.github.io/mirror/'

/**
 * Answers every request under `base` from `dir` inside the browser, so the page runs at a GitHub
 * Pages address (and prints raw.githubusercontent.com URLs) without any network.
 */
export async function servePagesLike(context: BrowserContext, dir: string, base: string = PAGES_BASE): Promise<void> {
  const prefix = new URL(base).pathname
  await context.route(`${base}**`, async (route) => {
    const { pathname } = new URL(route.request().url())
    const file = resolveFile(dir, `/${pathname.slice(prefix.length)}`)
    await (file === null ? route.fulfill({ status: 404, body: 'not found' }) : route.fulfill({ path: file }))
  })
}
