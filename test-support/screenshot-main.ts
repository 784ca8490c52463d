// `npm run screenshot`: the README's picture of the package view (docs/site-package.png), taken in
// headless Chromium from the sample index with the site written in. Screenshots are not byte-stable,
// so only this script makes the committed one; the tests write theirs to the ignored test-output/.
import { mkdirSync, rmSync } from 'node:fs'
import { CHROMIUM, chromiumAvailable, launchBrowser, PAGES_BASE, servePagesLike } from './browser.js'
import { FIXTURE_INDEX, indexWithSite } from './site-index.js'

const OUT = 'docs/site-package.png'
const ROUTE = '#/acme/server/server'

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`Chromium is missing at ${CHROMIUM} (apt-get install chromium)`)
  const dir = indexWithSite(FIXTURE_INDEX)
  const browser = await launchBrowser({ viewport: { width: 1100, height: 1180 }, colorScheme: 'light' })
  try {
    // At a Pages address, so the badges' Markdown shows the raw.githubusercontent.com URLs users get.
    await servePagesLike(browser.context, dir)
    const page = await browser.context.newPage()
    await page.goto(`${PAGES_BASE}${ROUTE}`)
    await page.waitForSelector('#history[data-days]')
    await page.locator('.badges li button').nth(5).waitFor()
    await page.waitForSelector('#versions tbody tr')
    mkdirSync('docs', { recursive: true })
    await page.screenshot({ path: OUT })
    console.log(`wrote ${OUT} (${PAGES_BASE}${ROUTE})`)
  } finally {
    await browser.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`screenshot failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
