/**
 * `npm run bench` (SPEC 9): prints one line per figure. Never part of `npm test`.
 * BENCH_QUICK=1 shrinks the sizes for a smoke run.
 */
import { benchParse } from './parse.js'
import { benchRefresh } from './refresh.js'
import { benchRender, indexBytes } from './render.js'
import { benchStore } from './store.js'
import { reportScale } from './scale.js'
import { benchQuiet, type QuietDay } from './quiet.js'
import { benchMerge, benchShardThroughput, PAGES_PER_SECOND } from './shards.js'

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

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`
for (const count of quick ? [1_000] : [10_000, 100_000]) {
  // "before": backage's files only; "after": with the static API of SPEC 10 (SPEC 9, 10).
  for (const api of [false, true]) {
    const r = await benchRender(count, api)
    line(
      `render + commit: ${count.toLocaleString('en-US')} packages, ${api ? 'with the API (after)' : 'backage files (before)'}`,
      `render alone ${(r.renderMs / 1000).toFixed(1)} s, render+commit (streamed) ${(r.commitMs / 1000).toFixed(1)} s, ${r.files} files, ${mb(r.bytes)}, peak RSS ${r.peakRssMb.toFixed(0)} MB`
    )
  }
}
const yearCount = quick ? 1_000 : 100_000
const year = indexBytes(yearCount, 365)
line(`index after a simulated year: ${yearCount.toLocaleString('en-US')} packages`, `${year.files} files, ${mb(year.bytes)} (rendered in ${(year.renderMs / 1000).toFixed(1)} s)`)

const store = await benchStore()
line('database: bytes per package per day (10,000 packages, 90 days)', store.bytesPerPackagePerDay.toFixed(1))
line('database: of which the chart bars and changes log (SPEC 10)', (store.bytesPerPackagePerDay - store.bytesPerPackagePerDayWithoutApi).toFixed(1))
line('database: compressed snapshot / raw size', store.snapshotRatio.toFixed(3))

// Shards (SPEC 13.2): each shard paced at a simulated PAGES_PER_SECOND, the matrix as slow as its busiest shard.
const shardRuns = await benchShardThroughput({ owners: quick ? 64 : 800, packagesPerOwner: 2, versionsPerPackage: 5, shardCounts: [1, 2, 4, 8] })
const oneShard = shardRuns[0]?.packagesPerHour ?? 0
for (const r of shardRuns) {
  const linear = oneShard > 0 ? r.packagesPerHour / (r.shards * oneShard) : 0
  line(
    `shards: packages per hour, ${r.shards} shard${r.shards > 1 ? 's' : ' '} (${PAGES_PER_SECOND} page/s per runner)`,
    `${Math.round(r.packagesPerHour).toLocaleString('en-US')} (${(linear * 100).toFixed(1)} % of linear, busiest shard ${r.busiestPages} of ${r.totalPages} pages; target: linear within 10 %)`
  )
}
const merge = benchMerge({ shards: 8, packagesPerShard: quick ? 1_000 : 12_500 })
line(
  `merge: ${merge.shards} shards × ${merge.packagesPerShard.toLocaleString('en-US')} packages`,
  `${merge.seconds.toFixed(1)} s (deltas ${(merge.deltaBytes / 1024 / 1024).toFixed(0)} MB; target: under 60 s of the merge job)`
)
await reportScale(line, quick)

peakRss = Math.max(peakRss, process.memoryUsage().rss)
line('peak memory (RSS) of the benchmark process', `${(peakRss / 1024 / 1024).toFixed(0)} MB`)
