/**
 * The download counts the fake GitHub's owner listings show beside each package (SPEC 13.1), in
 * the variants a scenario selects (`Scenario.listingCounts`): abbreviated text as github.com prints
 * it (the default), the same with the exact number in `title`, or none.
 */
import type { Scenario, ScenarioPackage } from '../scenario.js'

/** `9.49k` as listings abbreviate downloads: three significant digits, truncated; exact below 1,000. */
export function listingAbbreviation(n: number): string {
  const units: [number, string][] = [
    [1e9, 'b'],
    [1e6, 'm'],
    [1e3, 'k']
  ]
  for (const [size, suffix] of units) {
    if (n < size) continue
    const value = n / size
    const decimals = value < 10 ? 2 : value < 100 ? 1 : 0
    const shown = Math.floor(value * 10 ** decimals) / 10 ** decimals
    return `${shown.toFixed(decimals).replace(/\.?0+$/, '')}${suffix}`
  }
  return String(n)
}

/** The downloads an entry of a listing shows (SPEC 13.1): abbreviated unless the scenario says otherwise. */
export function listingCount(pkg: ScenarioPackage, counts: Scenario['listingCounts']): string {
  if (counts === 'none') return ''
  const title = counts === 'title' ? ` title="${pkg.total.toLocaleString('en-US')}"` : ''
  return `
    <div class="d-flex flex-items-center"><svg aria-hidden="true" class="octicon octicon-download"></svg><span class="color-fg-muted"${title}>${listingAbbreviation(pkg.total)} downloads</span></div>`
}
