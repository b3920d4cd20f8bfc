/**
 * The rerun line stays within the report's width and replays when pasted, even with a single word
 * wider than a line (a long `--faults` JSON value, issue 21): the word is broken with `\`
 * continuations that a POSIX shell joins back. Pasting is tested with a real shell (`sh`), which
 * prints the words it parsed.
 */
import { execFileSync } from "node:child_process"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { shellQuote } from "../../src/check/shell-quote.ts"
import { EXIT_CODE } from "../../src/cli/index.ts"
import { parseCommandLine } from "../../src/cli/parse-command-line.ts"
import { rerunLine } from "../../src/cli/rerun-line.ts"
import { textWidth, wrapCommand } from "../../src/cli/wrap-text.ts"
import { rerunLineOf, runCaptured } from "./run-captured.ts"

const COMMAND = "npx tsx sims/x.ts"

/** The words after `npx tsx <script>` that `sh` reads from the pasted lines (`npx` prints them). */
function pasted(lines: readonly string[], prefix: string): string[] {
  const script = `npx() { shift 2; printf '%s\\0' "$@"; }\n${lines.join("\n").slice(prefix.length)}`
  const out = execFileSync("sh", ["-c", script], { encoding: "utf8" })
  return out.split("\0").slice(0, -1)
}

describe("a rerun command wider than the report", () => {
  it("breaks a word wider than a line inside, and sh reads the same words back", () => {
    const json = JSON.stringify({
      faults: Array.from({ length: 8 }, (_, i) => ({ kind: "pause", node: "b2", at: 100 * i + 50, durationMs: 20 })),
    })
    const words = ["--seed", "1", "--faults", json, "--label", "it's a 'quoted' \\ word", "--n", "3"]
    const prefix = "seed=1  rerun: "
    for (const width of [40, 60, 100]) {
      const lines = wrapCommand(prefix, `${COMMAND} ${words.map(shellQuote).join(" ")}`, width)

      expect(lines.length).toBeGreaterThan(2)
      expect(lines.filter((line) => textWidth(line) > width)).toEqual([])
      expect(lines.some((line) => /[^ ]\\$/.test(line))).toBe(true)
      expect(pasted(lines, prefix)).toEqual(words)
    }
  })

  it("replays any words at any width when pasted into sh (property)", () => {
    const unit = fc.constantFrom("a", "b", "-", " ", "'", '"', "\\", "{", "}", ":", ",", "$")
    const word = fc.string({ unit, minLength: 1, maxLength: 90 })
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.integer({ min: 30, max: 120 }), (words, width) => {
        const lines = wrapCommand("seed=1  rerun: ", `${COMMAND} ${words.map(shellQuote).join(" ")}`, width)

        expect(lines.filter((line) => textWidth(line) > width)).toEqual([])
        expect(pasted(lines, "seed=1  rerun: ")).toEqual(words)
      }),
      { numRuns: 60 },
    )
  })
})

describe("kafka-acks with a long --faults value", () => {
  const faults = JSON.stringify({
    faults: [
      ...Array.from({ length: 6 }, (_, i) => ({ kind: "pause", node: "b2", at: 100 + 200 * i, durationMs: 50 })),
      { kind: "partition", groups: [["b2", "b3"]], at: 1500, healAt: 2500 },
    ],
  })

  it("prints a rerun line within --width that, pasted into sh, parses to the same run", async () => {
    const sim = (await import("../../sims/kafka-acks.ts")).default
    const args = ["--messages", "200", "--faults", faults]
    const run = await runCaptured(sim, args)
    expect(run.code).toBe(EXIT_CODE.ok)
    const lines = run.stdout.trimEnd().split("\n")
    const block = lines.slice(lines.findLastIndex((line) => line.startsWith("seed=")))

    expect(block.filter((line) => textWidth(line) > 100)).toEqual([])
    const words = pasted(block, "seed=1  rerun: ")
    const original = parseCommandLine(sim, args)
    const replayed = parseCommandLine(sim, words)
    expect(original.kind).toBe("run")
    expect(replayed).toEqual(original)
    if (original.kind !== "run") return
    expect(rerunLineOf(run.stdout)).toBe(rerunLine(sim, 1, original.params))
  })
})
