/**
 * Number formatting for text: fixed decimals, percentages, grouped counts and milliseconds, shared
 * by models (their checks' details and timelines) and the sim runner's reports.
 *
 * Text reports are compared byte for byte with golden files, so formatting never depends on the
 * locale (`toLocaleString` would change with the machine) and never shows `-0`.
 *
 * Left out on purpose: SI prefixes and adaptive precision; a table column should use one
 * precision so its numbers line up.
 */

/**
 * `value` with exactly `decimals` digits after the point; `-0` (and values that round to it) shows
 * as `0`, infinities as `∞`/`-∞`, NaN as `n/a`.
 */
export function formatNumber(value: number, decimals: number): string {
  if (Number.isNaN(value)) return "n/a"
  if (value === Infinity) return "∞"
  if (value === -Infinity) return "-∞"
  const text = value.toFixed(decimals)
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text
}

/** A fraction as a percentage with `decimals` digits: `0.4523` → `"45.2%"`. */
export function formatPercent(fraction: number, decimals = 1): string {
  const text = formatNumber(fraction * 100, decimals)
  return Number.isFinite(fraction) ? `${text}%` : text
}

/** An integer count with thousands separators, independent of locale: `1234567` → `"1,234,567"`. */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return formatNumber(count, 0)
  const sign = count < 0 ? "-" : ""
  const digits = Math.round(Math.abs(count)).toString()
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")
}

/**
 * A duration or time in milliseconds, rounded to `decimals` digits with trailing zeros dropped:
 * `formatMs(253.33)` → `"253.3ms"`, `formatMs(120)` → `"120ms"`; NaN shows as `n/a`.
 */
export function formatMs(value: number, decimals = 1): string {
  if (Number.isNaN(value)) return "n/a"
  if (!Number.isFinite(value)) return `${formatNumber(value, 0)}ms`
  const rounded = Number(value.toFixed(decimals))
  return `${Object.is(rounded, -0) ? 0 : rounded}ms`
}
