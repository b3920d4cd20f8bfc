import { describe, expect, it } from "vitest"
import {
  formatCount,
  formatNumber,
  formatPercent,
  formatTime,
  renderChecks,
  renderTable,
  renderTimeline,
  shellQuote,
  sparkline,
  timeWeightedBuckets,
} from "../../src/cli/index.ts"

describe("number formatting", () => {
  it("never shows a negative zero", () => {
    expect(formatNumber(-0, 2)).toBe("0.00")
    expect(formatNumber(-0.0001, 2)).toBe("0.00")
    expect(formatNumber(-0.006, 2)).toBe("-0.01")
  })

  it("shows infinities and NaN as words, not as JavaScript's spelling", () => {
    expect([formatNumber(Infinity, 1), formatNumber(-Infinity, 1), formatNumber(NaN, 1)]).toEqual(["∞", "-∞", "n/a"])
  })

  it("groups counts by thousands whatever the machine's locale", () => {
    expect([formatCount(0), formatCount(999), formatCount(1000), formatCount(1234567), formatCount(-1234.4)]).toEqual([
      "0",
      "999",
      "1,000",
      "1,234,567",
      "-1,234",
    ])
  })

  it("formats fractions as percentages", () => {
    expect(formatPercent(0.4523)).toBe("45.2%")
    expect(formatPercent(-0.05, 0)).toBe("-5%")
  })
})

describe("timeline", () => {
  it("pads every time to the widest one so the texts start in one column", () => {
    const lines = renderTimeline(
      [
        { t: 0, text: "start" },
        { t: 120, text: "broker-0 crashed" },
        { t: 12345.67, text: "end" },
      ],
      { unit: "ms", decimals: 1 },
    )

    expect(lines).toEqual(["[t=    0.0ms] start", "[t=  120.0ms] broker-0 crashed", "[t=12345.7ms] end"])
  })

  it("formats one time with the unit and decimals asked for", () => {
    expect(formatTime(1.23456, { unit: "s", decimals: 3 }, 10)).toBe("    1.235s")
    expect(formatTime(2)).toBe("2.0")
  })
})

describe("renderTable", () => {
  it("sizes each column to its widest cell, aligns as asked and rules off the header", () => {
    const lines = renderTable(
      [{ header: "name" }, { header: "value", align: "right" }],
      [
        ["λ", "0.9"],
        ["servers", "12"],
      ],
    )

    expect(lines).toEqual(["name     value", "-------  -----", "λ          0.9", "servers     12"])
  })

  it("prints a table that fits no column sizes as a list of header: cell, within the width", () => {
    const headers = ["rows per commit", "commits", "total", "rows/s", "mean wait for its commit", "time in fsync"]
    const lines = renderTable(
      headers.map((header) => ({ header, align: "right" as const })),
      [
        ["1", "100", "197.35ms", "507", "100.54ms", "97%"],
        ["20 (--batch-size)", "5", "15.01ms", "6663", "9.48ms", ""],
      ],
      { maxWidth: 30 },
    )

    expect(lines).toEqual([
      "rows per commit: 1",
      "  commits: 100",
      "  total: 197.35ms",
      "  rows/s: 507",
      "  mean wait for its commit:",
      "    100.54ms",
      "  time in fsync: 97%",
      "rows per commit: 20",
      "  (--batch-size)",
      "  commits: 5",
      "  total: 15.01ms",
      "  rows/s: 6663",
      "  mean wait for its commit:",
      "    9.48ms",
    ])
  })

  it("rejects a row with more cells than columns", () => {
    expect(() => renderTable([{ header: "a" }], [["1", "2"]])).toThrow("2 cells but there are 1 columns")
  })
})

describe("sparkline", () => {
  it("draws the lowest value as ▁ and the highest as █", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█")
  })

  it("uses the given scale and clamps values outside it", () => {
    expect(sparkline([5, 10, 20], { min: 0, max: 10 })).toBe("▅██")
  })

  it("draws a flat series low and a gap for non-finite values", () => {
    expect(sparkline([3, 3, NaN, 3])).toBe("▁▁ ▁")
  })
})

describe("timeWeightedBuckets", () => {
  it("averages a step function over equal slices of time", () => {
    const points = [
      { t: 0, value: 0 },
      { t: 1, value: 4 },
      { t: 3, value: 2 },
    ]

    expect(timeWeightedBuckets(points, 0, 4, 2)).toEqual([2, 3])
    expect(timeWeightedBuckets(points, 0, 4, 4)).toEqual([0, 4, 4, 2])
  })

  it("gives a zero-width range the value in force", () => {
    expect(timeWeightedBuckets([{ t: 0, value: 7 }], 3, 3, 2)).toEqual([7, 7])
  })

  it("rejects an empty series and bad bucket counts", () => {
    expect(() => timeWeightedBuckets([], 0, 1, 1)).toThrow(RangeError)
    expect(() => timeWeightedBuckets([{ t: 0, value: 1 }], 0, 1, 0)).toThrow(RangeError)
  })
})

describe("renderChecks", () => {
  it("puts the verdict first, in capitals when the check did not hold", () => {
    const lines = renderChecks([
      { name: "littles-law", held: true, detail: "L = 9" },
      { name: "no-loss", held: false, detail: "offsets 10-12 lost" },
    ])

    expect(lines).toEqual(["held      littles-law  L = 9", "NOT HELD  no-loss      offsets 10-12 lost"])
  })
})

describe("shellQuote", () => {
  it("leaves plain words alone and single-quotes the rest", () => {
    expect([shellQuote("0.9"), shellQuote("-1"), shellQuote("a b"), shellQuote("it's")]).toEqual([
      "0.9",
      "-1",
      "'a b'",
      `'it'\\''s'`,
    ])
  })
})
