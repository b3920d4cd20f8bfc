/**
 * Prometheus's storage, reduced to what the lessons query: series identified by their label set
 * (the metric name is the label `__name__`), each an append-only list of samples in time order.
 * Series are listed sorted by their labels, as a PromQL selector returns them.
 */
import type { Sample } from "./promql.ts"

/** A label set, `__name__` included. */
export type Labels = Readonly<Record<string, string>>

/** One stored series. */
export interface StoredSeries {
  readonly labels: Labels
  readonly samples: readonly Sample[]
}

/** The canonical spelling of a label set: `name{a="x",b="y"}` with labels sorted by name. */
export function seriesKey(labels: Labels): string {
  const { __name__: name = "", ...rest } = labels
  const pairs = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`)
  return `${name}{${pairs.join(",")}}`
}

/** Append-only series by label set. */
export class SeriesStore {
  private readonly byKey = new Map<string, { labels: Labels; samples: Sample[] }>()

  /**
   * Appends a sample (or a staleness marker) to the series of `labels`.
   * @throws RangeError when `tMs` is earlier than the series' last sample (storage is append-only)
   */
  append(labels: Labels, tMs: number, value: number, stale = false): void {
    const key = seriesKey(labels)
    let series = this.byKey.get(key)
    if (series === undefined) {
      series = { labels: { ...labels }, samples: [] }
      this.byKey.set(key, series)
    }
    const last = series.samples[series.samples.length - 1]
    if (last !== undefined && tMs < last.tMs)
      throw new RangeError(`${key}: sample at ${tMs} ms after one at ${last.tMs}`)
    series.samples.push(stale ? { tMs, value: NaN, stale: true } : { tMs, value })
  }

  /** The series named `name` whose labels include every pair of `match`, sorted by labels. */
  select(name: string, match: Labels = {}): StoredSeries[] {
    const found: { key: string; series: StoredSeries }[] = []
    for (const [key, series] of this.byKey) {
      if (series.labels.__name__ !== name) continue
      if (Object.entries(match).every(([label, value]) => series.labels[label] === value)) found.push({ key, series })
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((entry) => entry.series)
  }

  /** Every series, sorted by labels. */
  all(): StoredSeries[] {
    return [...this.byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, series]) => series)
  }
}
