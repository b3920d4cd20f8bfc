/**
 * The fixed-width timeline of a text report: `[t=  120.0ms] broker-0 crashed`.
 *
 * Times are right-aligned to the widest time of the timeline being printed, so the event texts
 * start in one column and a reader's eye can run down them; the width depends only on the entries,
 * never on the terminal, so golden files stay stable.
 */
import type { TimeFormat, TimelineEntry } from "./define-sim.ts"
import { formatNumber } from "../kernel/format.ts"

/** A simulated time with the format's decimals and unit, left-padded to `width` characters. */
export function formatTime(t: number, format: TimeFormat = {}, width = 0): string {
  const text = `${formatNumber(t, format.decimals ?? 1)}${format.unit ?? ""}`
  return text.padStart(width)
}

/**
 * The timeline lines, one per entry, in the given order: `[t=<time>] <text>`, with every time
 * padded to the same width (at least 9 characters, as in `[t=  120.0ms]`).
 */
export function renderTimeline(entries: readonly TimelineEntry[], format: TimeFormat = {}): string[] {
  const times = entries.map((entry) => formatTime(entry.t, format))
  const width = times.reduce((widest, time) => Math.max(widest, time.length), 9)
  return entries.map((entry, i) => `[t=${times[i]!.padStart(width)}] ${entry.text}`)
}
