import { describe, expect, it } from "vitest"
import segmentation from "../../sims/segmentation.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

const HOMEWORK = ["--address-space", "128", "--physical-memory", "512", "--base0", "0", "--limit0", "20"]

describeSim("segmentation", {
  badInputs: [
    { args: ["--limit1", "2kb"], stderr: "bad value for --limit1 2kb: random, or a size" },
    { args: ["--addresses", "5,-1"], stderr: '"-1" is not an address' },
    { args: ["--addresses", "1024"], stderr: "address 1024 is outside the address space [0, 1024)" },
    { args: ["--physical-memory", "4"], stderr: "--physical-memory 4 must be more than 4 bytes" },
    { args: ["--physical-memory", "2k"], stderr: "must be more than twice --address-space 1024 when a base is drawn" },
    { args: ["--limit0", "600"], stderr: "limit0 600 exceeds half the address space (512)" },
    {
      args: ["--base0", "100", "--limit0", "300", "--base1", "500", "--limit1", "300"],
      stderr: "the segments overlap: segment 1 [200, 500) starts inside segment 0 [100, 400)",
    },
    { args: ["--base1", "100", "--limit1", "200"], stderr: "--base1 100 is below --limit1 200" },
    {
      args: [
        "--address-space",
        "1k",
        "--physical-memory",
        "2049",
        "--base0",
        "400",
        "--limit0",
        "1200",
        "--limit1",
        "512",
      ],
      stderr: "segment 1 (limit 512) fits neither above segment 0 [400, 1600) nor below it",
    },
    {
      args: ["--physical-memory", "1024m", "--base0", "0", "--limit0", "1073741321", "--limit1", "500"],
      stderr: "took more than 50,000,000 draws",
    },
  ],
})

async function metrics(args: string[]) {
  const run = await runCaptured(segmentation, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout).metrics
}

describe("sim segmentation", () => {
  it("draws segmentation.py's default problem for --seed 0", async () => {
    const m = await metrics(["--seed", "0"])

    expect(m.segments).toEqual([
      { base: 6890, limit: 472 },
      { base: 4692, limit: 450 },
    ])
    expect(m.translations[2]).toEqual({ virtual: 802, segment: 1, valid: true, physical: 4470 })
    expect(m.violations).toBe(2)
  })

  it("answers the homework's first question: segment 1 grows down from its base", async () => {
    const m = await metrics([...HOMEWORK, "--base1", "512", "--limit1", "20", "--addresses", "19,20,107,108,127"])

    expect(m.translations.map((t: { physical: number | null }) => t.physical)).toEqual([19, null, null, 492, 511])
  })

  it("splits an odd address space with real division: 500 is in segment 0, 501 in segment 1", async () => {
    const m = await metrics([
      "--address-space",
      "1001",
      "--physical-memory",
      "4k",
      "--addresses",
      "500,501",
      "--seed",
      "2",
    ])

    expect(m.translations.map((t: { segment: number }) => t.segment)).toEqual([0, 1])
  })

  it("quizzes the registers and addresses without the answers", async () => {
    const quiz = await runCaptured(segmentation, ["--seed", "0", "--quiz"])

    expect(quiz.stdout).toContain("Segment 1 base  (grows negative) : 0x00001254 (decimal 4692)")
    expect(quiz.stdout).toContain("--> PA or segmentation violation?")
    expect(quiz.stdout).not.toContain("VALID in SEG")
  })

  it("names segmentation.py and the command line it replaces", async () => {
    const help = await runCaptured(segmentation, ["--help"])
    const text = await runCaptured(segmentation, ["--seed", "3", "--addresses", "1,2"])

    expect(help.stdout.replace(/\s+/g, " ")).toContain("OSTEP's segmentation.py")
    expect(text.stdout).toContain("The problem (OSTEP: segmentation.py -s 3 -a 1k -p 16k -A 1,2 -c)")
  })
})
