import { describe, expect, it } from "vitest"
import { asciiLine, asciiText } from "../../src/cli/ascii-text.ts"
import { defineSim, EXIT_CODE, renderReportBody, renderTable, sparkline } from "../../src/cli/index.ts"
import { paintVerdict } from "../../src/cli/render-checks.ts"
import { colourAllowed, PLAIN_STYLE } from "../../src/cli/text-style.ts"
import { textWidth, wrapCommand, wrapLine, wrapLines, wrapWords } from "../../src/cli/wrap-text.ts"
import dummySim from "./dummy-sim.ts"
import { rerunLineOf, runCaptured } from "./run-captured.ts"

const widest = (text: string): number => text.split("\n").reduce((most, line) => Math.max(most, textWidth(line)), 0)

describe("a report section of 200,000 lines", () => {
  it("renders without overflowing the stack (no push(...lines) of a huge array)", () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i}`)
    const entries = Array.from({ length: 200_000 }, (_, i) => ({ t: i, text: `tick ${i}` }))
    const outcome = {
      simTime: 1,
      events: 1,
      traceHash: "0",
      metrics: {},
      checks: [],
      timeline: { title: "Timeline", entries },
      sections: [{ title: "Big", lines }],
    }

    const text = renderReportBody(dummySim, 1, dummyDefaults(), outcome)

    const shown = text.split("\n")
    expect(shown).toContain("  line 199999")
    expect(shown).toContain("  [t=199999.0ms] tick 199999")
    expect(shown.length).toBeGreaterThan(400_000)
  })

  it("draws a sparkline of 200,000 values (no Math.min(...values))", () => {
    const values = Array.from({ length: 200_000 }, (_, i) => i % 8)

    const line = sparkline(values)

    expect(line.length).toBe(200_000)
    expect(line.slice(0, 8)).toBe("▁▂▃▄▅▆▇█")
  })
})

function dummyDefaults() {
  return Object.fromEntries(Object.entries(dummySim.flags).map(([key, spec]) => [key, spec.default])) as never
}

describe("wrapping to a width", () => {
  it("wraps a check's detail under the detail column", () => {
    const line =
      "  NOT HELD  no-lost-like  4 of 6 interleavings lose a like (final states: like=1, like=2) and more words"

    const lines = wrapLine(line, 60)

    expect(lines).toEqual([
      "  NOT HELD  no-lost-like  4 of 6 interleavings lose a like",
      "                          (final states: like=1, like=2) and",
      "                          more words",
    ])
  })

  it("wraps a timeline entry under its text, after the time stamp", () => {
    const lines = wrapLine("  [t=  120.0ms] broker b1 crashed; the controller waits for its session to time out", 50)

    expect(lines).toEqual([
      "  [t=  120.0ms] broker b1 crashed; the controller",
      "                waits for its session to time out",
    ])
  })

  it("cuts a word longer than the width, and keeps lines that fit untouched", () => {
    expect(wrapWords("abcdefghij klm", 4)).toEqual(["abcd", "efgh", "ij", "klm"])
    expect(wrapLine("  short  line", 20)).toEqual(["  short  line"])
  })

  it("reflows a hand-broken paragraph instead of leaving an orphan word", () => {
    const lines = wrapLines(["  one two three four five six", "  seven eight."], 20)

    expect(lines).toEqual(["  one two three four", "  five six seven", "  eight."])
  })

  it("counts a combining mark as no column (λ̂ is one column)", () => {
    expect(textWidth("λ̂·W")).toBe(3)
  })

  it("wraps a command with shell continuations that join back to the same command, a flag kept with its value", () => {
    const command = "npx tsx sims/x.ts --seed 1 --label 'two words' --keys=-a,b --it 'it'\\''s' --long-flag-name 123456"

    const lines = wrapCommand("seed=1  rerun: ", command, 40)

    expect(lines.every((line) => textWidth(line) <= 40)).toBe(true)
    expect(lines.slice(0, -1).every((line) => line.endsWith(" \\"))).toBe(true)
    expect(
      lines.some(
        (line) => / --label 'two words'( \\)?$/.test(line) || line.trimStart().startsWith("--label 'two words'"),
      ),
    ).toBe(true)
    const joined = lines.map((line, i) => (i === 0 ? line : line.trimStart()).replace(/ \\$/, "")).join(" ")
    expect(joined).toBe(`seed=1  rerun: ${command}`)
  })
})

describe("tables narrower than their cells", () => {
  it("wrap the widest column's cells within the column so every line fits", () => {
    const rows = [
      ["1", "a short cell", "a long cell of many words that cannot possibly fit in the width asked for"],
      ["22", "another", "short"],
    ]

    const lines = renderTable([{ header: "n", align: "right" }, { header: "what" }, { header: "why" }], rows, {
      maxWidth: 50,
    })

    expect(lines.every((line) => textWidth(line) <= 50)).toBe(true)
    expect(lines).toEqual([
      " n  what          why",
      "--  ------------  --------------------------------",
      " 1  a short cell  a long cell of many words that",
      "                  cannot possibly fit in the width",
      "                  asked for",
      "22  another       short",
    ])
  })

  it("keep their natural layout when they fit", () => {
    expect(renderTable([{ header: "a" }, { header: "b", align: "right" }], [["x", "1"]])).toEqual([
      "a  b",
      "-  -",
      "x  1",
    ])
  })
})

describe("--ascii", () => {
  it("replaces block characters one for one, so charts keep their shape", () => {
    expect(asciiLine("▁▂▃▄▅▆▇█ ░▒ ·")).toBe("_.-~=+*# .: .")
  })

  it("spells out Greek letters and signs", () => {
    expect(asciiText("mean arrival rate λ, μ and ρ; 9.786 ± 1.369; Σ wait ≤ 3 → ok")).toBe(
      "mean arrival rate lambda, mu and rho; 9.786 +/- 1.369; sum  wait <= 3 > ok",
    )
  })

  it("keeps the next column of a table in place when a cell widens, if its padding has room", () => {
    const table = renderTable(
      [{ header: "symbol" }, { header: "value", align: "right" }],
      [
        ["λ", "0.9"],
        ["a long label", "10.0"],
      ],
    )

    const ascii = table.map(asciiLine)

    expect(ascii[2]!.indexOf("0.9") + 3).toBe(ascii[3]!.indexOf("10.0") + 4)
  })
})

describe("colour", () => {
  it("is used only on a terminal without NO_COLOR (any non-empty value turns it off)", () => {
    expect(colourAllowed(true, {})).toBe(true)
    expect(colourAllowed(true, { NO_COLOR: "" })).toBe(true)
    expect(colourAllowed(true, { NO_COLOR: "1" })).toBe(false)
    expect(colourAllowed(false, {})).toBe(false)
    expect(colourAllowed(undefined, {})).toBe(false)
  })

  it("paints NOT HELD red and held green, and nothing else", () => {
    expect(paintVerdict("  NOT HELD  x  detail")).toBe("  \x1b[31mNOT HELD\x1b[0m  x  detail")
    expect(paintVerdict("  held      x  detail")).toBe("  \x1b[32mheld\x1b[0m      x  detail")
    expect(paintVerdict("              held over")).toBe("              held over")
  })

  it("colours the verdicts of a run on a terminal, and never when piped or with NO_COLOR", async () => {
    const terminal = await runCaptured(dummySim, ["--fail-check"], { stdoutIsTTY: true })
    const noColor = await runCaptured(dummySim, ["--fail-check"], { stdoutIsTTY: true, env: { NO_COLOR: "1" } })
    const piped = await runCaptured(dummySim, ["--fail-check"])

    expect(terminal.stdout).toContain("  \x1b[31mNOT HELD\x1b[0m  ticks-counted")
    expect(noColor.stdout).not.toContain("\x1b[")
    expect(piped.stdout).not.toContain("\x1b[")
    expect(terminal.stdout.replace(/\x1b\[\d+m/g, "")).toBe(piped.stdout)
  })
})

describe("--width", () => {
  const wordy = defineSim({
    ...dummySim,
    name: "wordy",
    run: (params, context) => ({
      ...dummySim.run(params, context),
      sections: [{ title: "Lesson", lines: ["word ".repeat(60).trim(), "λ ".repeat(30).trim()] }],
    }),
  })

  it("fits every line of the report, help and quiz to the width asked for", async () => {
    for (const args of [[], ["--help"], ["--quiz"]]) {
      // (a single shell word longer than the width, such as a long quoted value, cannot be broken in the rerun line)
      const run = await runCaptured(wordy, [
        ...args,
        "--width",
        "50",
        "--label",
        "a label long enough to wrap in the inputs",
      ])

      expect(run.code).toBe(EXIT_CODE.ok)
      expect(widest(run.stdout)).toBeLessThanOrEqual(50)
    }
  })

  it("defaults to 100 columns, and the wrapped rerun line still replays the run", async () => {
    const run = await runCaptured(wordy, ["--label", "x".repeat(30), "--ticks", "7"])

    expect(widest(run.stdout)).toBeLessThanOrEqual(100)
    expect(rerunLineOf(run.stdout)).toContain(`--label ${"x".repeat(30)}`)
  })

  it.each([["10"], ["39"], ["10001"], ["wide"]])("rejects --width %s with exit 2 naming the flag", async (value) => {
    const run = await runCaptured(dummySim, ["--width", value])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain("--width")
    expect(run.stderr).toContain("an integer from 40 to 10000")
  })

  it("is an output-mode flag: the rerun line leaves it out, like --ascii", async () => {
    const run = await runCaptured(dummySim, ["--width", "120", "--ascii"])

    expect(rerunLineOf(run.stdout)).not.toMatch(/--width|--ascii/)
  })

  it("applies to --help too, with --ascii", async () => {
    const help = await runCaptured(wordy, ["--help", "--width", "60", "--ascii"])

    expect(widest(help.stdout)).toBeLessThanOrEqual(60)
    expect(help.stdout).toMatch(/^[\x00-\x7f]*$/)
  })
})

describe("a sim's own tables", () => {
  const tabled = defineSim({
    ...dummySim,
    name: "tabled",
    run: (params, context) => ({
      ...dummySim.run(params, context),
      sections: [
        {
          title: "Table",
          lines: renderTable([{ header: "n" }, { header: "note" }], [["1", "word ".repeat(40).trim()]]),
        },
      ],
    }),
  })

  it("follow --width: narrowed to fit the report by default, one line per row when the width allows", async () => {
    const narrow = await runCaptured(tabled, [])
    const wide = await runCaptured(tabled, ["--width", "300"])

    expect(widest(narrow.stdout)).toBeLessThanOrEqual(100)
    expect(narrow.stdout).toContain("  1  word word")
    expect(wide.stdout).toContain(`  1  ${"word ".repeat(40).trim()}\n`)
  })
})

describe("the plain style", () => {
  it("is what golden files and pipes get: 100 columns, no colour, Unicode", () => {
    expect(PLAIN_STYLE).toEqual({ width: 100, colour: false, ascii: false })
  })
})
