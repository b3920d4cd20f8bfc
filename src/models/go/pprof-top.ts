/**
 * `go tool pprof -top -sample_index=<type>` as text, computed from the same per-site counts the
 * profile file holds ({@link heapProfile}), laid out as pprof 's text report lays it out (its
 * internal/report and internal/measurement packages, as vendored in Go 1.19):
 *
 * - one row per function: `flat` is the value of the samples whose leaf frame is in it, `cum` of
 *   the samples with a frame in it anywhere (once per sample); rows sorted by flat (largest
 *   first), then name, then cum;
 * - samples whose value is 0 are left out; a function whose cum is below 0.5% of the total is
 *   dropped (pprof's default `-nodefraction=0.005`), and a `Dropped N nodes` line says so;
 * - byte values are scaled to one unit for the whole report (pprof's "minimum" unit: that of the
 *   smallest row, or of a hundred times it when the largest is over a hundred times larger),
 *   in units of 1024 (`kB`, `MB`, `GB`), two decimals, `.00` trimmed; percentages as Go's
 *   `%5.2f%%`, or `%5.2g%%` below 1%.
 */
import { heapValue, type HeapSampleType } from "./pprof-profile.ts"
import type { SiteStats } from "./leak-heap.ts"

/** One row of the top report. */
export interface TopRow {
  readonly name: string
  readonly flat: number
  readonly cum: number
}

/** The nodes `-top` shows for `type`, in its order, the total and how many it dropped. */
export function topRows(
  sites: readonly SiteStats[],
  type: HeapSampleType,
): { rows: TopRow[]; total: number; dropped: number } {
  const flat = new Map<string, number>()
  const cum = new Map<string, number>()
  let total = 0
  for (const stats of sites) {
    const value = heapValue(stats, type)
    if (value === 0) continue
    total += value
    const leaf = stats.site.stack[0]!.function
    flat.set(leaf, (flat.get(leaf) ?? 0) + value)
    for (const name of new Set(stats.site.stack.map((frame) => frame.function))) {
      cum.set(name, (cum.get(name) ?? 0) + value)
      if (!flat.has(name)) flat.set(name, 0)
    }
  }
  const cutoff = Math.abs(Math.trunc(total * 0.005))
  const all = [...cum].map(([name, c]) => ({ name, flat: flat.get(name)!, cum: c }))
  const rows = all.filter((row) => Math.abs(row.cum) >= cutoff)
  rows.sort((a, b) => b.flat - a.flat || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || b.cum - a.cum)
  return { rows, total, dropped: all.length - rows.length }
}

/** The lines of `go tool pprof -top -sample_index=<type>` after its `Time:` line (and without `File:`). */
export function pprofTop(sites: readonly SiteStats[], type: HeapSampleType): string[] {
  const { rows, total, dropped } = topRows(sites, type)
  const bytes = type.endsWith("space")
  const unit = bytes ? outputUnit(rows, total) : { name: "", factor: 1 }
  const format = (value: number) => scaledLabel(value, unit)
  const shown = rows.reduce((sum, row) => sum + row.flat, 0)
  const lines = [
    `Type: ${type}`,
    `Showing nodes accounting for ${format(shown)}, ${percentage(shown, total).trim()} of ${format(total)} total`,
  ]
  if (dropped > 0 && total !== 0)
    lines.push(
      `Dropped ${dropped} node${dropped === 1 ? "" : "s"} (cum <= ${format(Math.abs(Math.trunc(total * 0.005)))})`,
    )
  lines.push(
    `${"flat".padStart(10)} ${"flat".padStart(5)}% ${"sum".padStart(5)}% ${"cum".padStart(10)} ${"cum".padStart(5)}%`,
  )
  let sum = 0
  for (const row of rows) {
    sum += row.flat
    lines.push(
      `${format(row.flat).padStart(10)} ${percentage(row.flat, total)} ${percentage(sum, total)} ${format(row.cum).padStart(10)} ${percentage(row.cum, total)}  ${row.name}`,
    )
  }
  return lines
}

interface Unit {
  readonly name: string
  readonly factor: number
}

const BYTE_UNITS: readonly Unit[] = ["B", "kB", "MB", "GB", "TB", "PB"].map((name, i) => ({ name, factor: 1024 ** i }))

/** The largest byte unit that `value` is at least one of (B for 0). */
function autoUnit(value: number): Unit {
  let chosen = BYTE_UNITS[0]!
  for (const unit of BYTE_UNITS) if (value / unit.factor >= 1) chosen = unit
  return chosen
}

/** pprof's "minimum" output unit for a report's rows (report.go selectOutputUnit). */
function outputUnit(rows: readonly TopRow[], total: number): Unit {
  let min = 0
  for (const row of rows) {
    const value = Math.abs(row.flat) || Math.abs(row.cum)
    if (value > 0 && (min === 0 || value < min)) min = value
  }
  if (min === 0) min = total
  const [minUnit, maxUnit] = [autoUnit(min), autoUnit(total)]
  return minUnit !== maxUnit && min * 100 < total ? autoUnit(100 * min) : minUnit
}

/** Go's `strings.TrimSuffix(fmt.Sprintf("%.2f", v), ".00")` + unit, or "0" (measurement.ScaledLabel). */
function scaledLabel(value: number, unit: Unit): string {
  const text = fixed2(value, unit.factor).replace(/\.00$/, "")
  return text === "0" || text === "-0" ? "0" : text + unit.name
}

/** `value / factor` with two decimals, ties to even as Go's fmt rounds an exact binary value (integers only). */
function fixed2(value: number, factor: number): string {
  const numerator = Math.abs(value) * 100
  let hundredths = Math.floor(numerator / factor)
  const twiceRest = 2 * (numerator - hundredths * factor)
  if (twiceRest > factor || (twiceRest === factor && hundredths % 2 === 1)) hundredths++
  const whole = Math.floor(hundredths / 100)
  const text = `${whole}.${String(hundredths % 100).padStart(2, "0")}`
  return value < 0 ? `-${text}` : text
}

/** Go's measurement.Percentage: `%5.2f%%`, `  100%` near 100, `%5.2g%%` below 1. */
function percentage(value: number, total: number): string {
  const ratio = total === 0 ? 0 : Math.abs(value / total) * 100
  if (ratio >= 99.95 && ratio <= 100.05) return "  100%"
  if (ratio >= 1) return `${ratio.toFixed(2).padStart(5)}%`
  return `${goG2(ratio).padStart(5)}%`
}

/** Go's `%.2g` of a number in [0, 1). */
function goG2(value: number): string {
  if (value === 0) return "0"
  const [mantissa, exponent] = value.toExponential(1).split("e") as [string, string]
  const exp = Number(exponent)
  if (exp < -4) return `${mantissa.replace(/\.0$/, "")}e-${String(-exp).padStart(2, "0")}`
  return String(Number(value.toPrecision(2)))
}
