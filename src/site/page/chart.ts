/**
 * Charts of a daily series (SPEC 11): downloads per day as bars and, when given, the total over time
 * as a line on its own scale, drawn with uPlot (bundled into site.assets/, loaded before this
 * module). One x value per day; a −1 (no reading that day) is a gap, never a zero.
 */
import type uPlot from 'uplot'
import { dayStamps } from './data.js'
import { exact, short } from './dom.js'

declare global {
  interface Window { uPlot: typeof uPlot }
}

export interface DailySeries {
  start: string
  daily: number[]
  /** The total read on each day, −1 where none: drawn as a line when present. */
  totals?: number[]
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

const gap = (values: number[]): (number | null)[] => values.map((v) => (v < 0 ? null : v))

function options(series: DailySeries, width: number): uPlot.Options {
  const UPlot = window.uPlot
  const muted = cssVar('--muted')
  const line = cssVar('--line')
  const axis = (scale: string, side: 1 | 3, grid: boolean): uPlot.Axis => ({
    scale,
    side,
    stroke: muted,
    grid: { show: grid, stroke: line, width: 1 },
    ticks: { stroke: line, width: 1 },
    // Short forms (`1.5k`) unless two ticks would read the same, as on a narrow range (2,140 and 2,180).
    values: (_u, splits) => {
      const texts = splits.map((v) => short(v))
      return new Set(texts).size === texts.length ? texts : splits.map((v) => exact(v))
    },
    size: 56
  })
  const value = (_u: uPlot, v: number | null): string => (v === null ? '–' : exact(v))
  const bars = cssVar('--bar')
  const total = cssVar('--total')
  const lines: uPlot.Series[] = [
    {
      label: 'Downloads per day',
      scale: 'n',
      stroke: bars,
      fill: bars,
      width: 0,
      paths: UPlot.paths.bars?.({ size: [0.85, 24], align: 0 }),
      points: { show: false },
      value
    }
  ]
  const axes: uPlot.Axis[] = [
    { stroke: muted, grid: { show: false }, ticks: { stroke: line, width: 1 } },
    axis('n', 3, true)
  ]
  if (series.totals) {
    lines.push({ label: 'Total', scale: 't', stroke: total, width: 2, spanGaps: true, points: { show: false }, value })
    axes.push(axis('t', 1, false))
  }
  return {
    width,
    height: width < 500 ? 200 : 260,
    tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    // Half a day of room on each side, so the first and last bars are drawn whole.
    scales: { x: { time: true, range: (_u, min, max) => [min - 43200, max + 43200] }, n: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    cursor: { drag: { x: false, y: false } },
    series: [{ label: 'Day', value: (_u, v) => (v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) }, ...lines],
    axes
  }
}

/**
 * Draws into `box` (already in the document, so it has a width) and keeps the chart fitted to it
 * and to the colour scheme. Returns the number of days drawn.
 */
export function drawChart(box: HTMLElement, series: DailySeries): number {
  const x = dayStamps(series.start, series.daily.length)
  const data: uPlot.AlignedData = series.totals ? [x, gap(series.daily), gap(series.totals)] : [x, gap(series.daily)]
  const width = (): number => Math.max(280, box.clientWidth)
  let plot = new window.uPlot(options(series, width()), data, box)
  new ResizeObserver(() => {
    if (box.isConnected && Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: plot.height })
  }).observe(box)
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (!box.isConnected) return
    plot.destroy()
    plot = new window.uPlot(options(series, width()), data, box)
  })
  return x.length
}
