/**
 * `npm run bench` (SPEC 9): prints one line per figure. Never part of `npm test`.
 * BENCH_QUICK=1 shrinks the sizes for a smoke run.
 */
import { benchParse } from './parse.js'
import { benchRefresh } from './refresh.js'
import { benchRender } from './render.js'
import { benchStore } from './store.js'
import { reportScale } from './scale.js'
import { benchQuiet, type QuietDay } from './quiet.js'

const quick = process.env.BENCH_QUICK === '1'
let peakRss = 0
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50)
sampler.unref()

function line(label: string, value: string): void {
  console.log(`${label.padEnd(58)} ${value}`)
}

for (const t of benchParse()) line(`parse: ${t.page}`, `${t.msPerPage.toFixed(2)} ms/page (${(t.bytes / 1024).toFixed(0)} KiB)`)

const refresh = await benchRefresh({
  latencyMs: 50,
  concurrency: 4,
  owners: quick ? 2 : 6,
  packagesPerOwner: quick ? 5 : 20,
  versionsPerPackage: 120
})
const perKind = Object.entries(refresh.requestsPerPackage)
  .map(([kind, n]) => `${kind} ${n.toFixed(2)}`)
  .join(', ')
line('refresh: requests per package (by kind)', perKind)
line(
  'refresh: packages per minute (concurrency 4, 50 ms latency)',
  `${refresh.packagesPerMinute.toFixed(0)} (${refresh.packages} packages in ${refresh.seconds.toFixed(1)} s)`
)

const quiet = await benchQuiet({ owners: quick ? 2 : 10, packagesPerOwner: quick ? 20 : 30, versionsPerPackage: 30 })
const day = (d: QuietDay): string =>
  `${d.pagesPerPackage.toFixed(2)} (listing ${d.listingPerPackage.toFixed(3)}; rotation ${d.rotationPerPackage.toFixed(3)} apart)`
line(
  `quiet day: pages/package, 80 % unmoved, 30 versions (${quiet.packages} pkgs)`,
  `v1 ${quiet.v1.pagesPerPackage.toFixed(2)} | no listing counts ${day(quiet.noCounts)}, target ≤ 1.3 + listing | ` +
    `exact listing counts ${day(quiet.withCounts)}, target ≤ 0.5 | abbreviated counts (github.com) ${day(quiet.abbreviated)}`
)

for (const count of quick ? [1_000] : [10_000, 100_000]) {
  const r = await benchRender(count)
  line(`render + commit: ${count.toLocaleString('en-US')} packages`, `render alone ${(r.renderMs / 1000).toFixed(1)} s, render+commit (streamed) ${(r.commitMs / 1000).toFixed(1)} s, ${r.files} files, peak RSS ${r.peakRssMb.toFixed(0)} MB`)
}

const store = await benchStore()
line('database: bytes per package per day (10,000 packages, 90 days)', store.bytesPerPackagePerDay.toFixed(1))
line('database: compressed snapshot / raw size', store.snapshotRatio.toFixed(3))

await reportScale(line, quick)

peakRss = Math.max(peakRss, process.memoryUsage().rss)
line('peak memory (RSS) of the benchmark process', `${(peakRss / 1024 / 1024).toFixed(0)} MB`)
