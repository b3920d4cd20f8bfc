/**
 * Downsampling a long series for a chart: at most `maxPoints` points, keeping the shape a reader
 * looks for. The points are cut into buckets of consecutive points and each bucket keeps its lowest
 * and its highest point, in time order (min-max decimation): a spike of one point survives, which
 * averaging or taking every n-th point would lose. The first and the last point are always kept.
 * Deterministic and pure (the same points give the same result), so reports stay byte-identical.
 */
import type { SeriesChart, SeriesPoint } from "./run-view.ts"

/** The most points one line of a chart keeps by default: enough for a 2,000-pixel-wide chart. */
export const MAX_SERIES_POINTS = 2_000

/** The points, or at most `maxPoints` of them chosen by min-max decimation (see the file header). */
export function downsamplePoints(points: readonly SeriesPoint[], maxPoints = MAX_SERIES_POINTS): SeriesPoint[] {
  if (!(maxPoints >= 4)) throw new RangeError(`maxPoints must be at least 4, got ${maxPoints}`)
  if (points.length <= maxPoints) return [...points]
  const inner = points.length - 2
  const buckets = Math.floor((maxPoints - 2) / 2)
  const kept: SeriesPoint[] = [points[0]!]
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets)
    const to = 1 + Math.floor(((b + 1) * inner) / buckets)
    let low = from
    let high = from
    for (let i = from + 1; i < to; i++) {
      if (points[i]![1] < points[low]![1]) low = i
      if (points[i]![1] > points[high]![1]) high = i
    }
    kept.push(points[Math.min(low, high)]!)
    if (low !== high) kept.push(points[Math.max(low, high)]!)
  }
  kept.push(points[points.length - 1]!)
  return kept
}

/** The chart with every line downsampled to `maxPoints`, noting how many points there were. */
export function downsampleChart(chart: SeriesChart, maxPoints = MAX_SERIES_POINTS): SeriesChart {
  const before = chart.lines.reduce((sum, line) => sum + line.points.length, 0)
  const lines = chart.lines.map((line) => ({ name: line.name, points: downsamplePoints(line.points, maxPoints) }))
  const after = lines.reduce((sum, line) => sum + line.points.length, 0)
  return after === before ? chart : { ...chart, lines, pointsBefore: chart.pointsBefore ?? before }
}
