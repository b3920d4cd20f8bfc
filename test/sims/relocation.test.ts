import { describe, expect, it } from "vitest"
import relocation from "../../sims/relocation.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("relocation", {
  badInputs: [
    { args: ["--address-space", "1kb"], stderr: "bad value for --address-space 1kb: a size" },
    { args: ["--base", "-5"], stderr: "--base" },
    { args: ["--limit", "1.5k"], stderr: "bad value for --limit 1.5k: random, or a size" },
    { args: ["--addresses", "1,x"], stderr: '"x" is not an address' },
    { args: ["--addresses", "1024"], stderr: "address 1024 is outside the address space [0, 1024)" },
    { args: ["--physical-memory", "1k"], stderr: "--physical-memory 1024 must be greater than --address-space 1024" },
    { args: ["--physical-memory", "1"], stderr: "--physical-memory 1 must be more than 1 byte" },
    { args: ["--address-space", "0"], stderr: "--address-space must not be 0" },
    {
      args: ["--base", "16000", "--limit", "500"],
      stderr: "base 16000 + limit 500 = 16500 must not exceed --physical-memory 16384",
    },
    { args: ["--limit", "16k"], stderr: "--limit 16384 must be below --physical-memory 16384 for a drawn base" },
    { args: ["--limit", "1073741823", "--physical-memory", "1024m"], stderr: "give --base or a smaller --limit" },
  ],
})

async function metrics(args: string[]) {
  const run = await runCaptured(relocation, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout).metrics
}

describe("sim relocation", () => {
  it("draws relocation.py's default problem for --seed 0: base 12418, bounds 472", async () => {
    const m = await metrics(["--seed", "0"])

    expect([m.base, m.limit, m.violations]).toEqual([12418, 472, 2])
    expect(m.translations[0]).toEqual({ virtual: 430, valid: true, physical: 12848 })
    expect(m.translations[2]).toEqual({ virtual: 523, valid: false, physical: null })
  })

  it("translates --addresses without drawing them: the bound itself faults, one below it does not", async () => {
    const m = await metrics(["--seed", "0", "--addresses", "0,471,472,1023"])

    expect(m.translations.map((t: { physical: number | null }) => t.physical)).toEqual([12418, 12889, null, null])
  })

  it("accepts a given base that fits exactly (base + bounds = physical memory)", async () => {
    const m = await metrics(["--base", "15360", "--limit", "1k", "--addresses", "1023"])

    expect(m.translations).toEqual([{ virtual: 1023, valid: true, physical: 16383 }])
  })

  it("quizzes the registers and addresses without the answers", async () => {
    const quiz = await runCaptured(relocation, ["--seed", "0", "--quiz"])

    expect(quiz.stdout).toContain("Base   : 0x00003082 (decimal 12418)")
    expect(quiz.stdout).toContain("VA  2: 0x0000020b (decimal:  523) --> PA or segmentation violation?")
    expect(quiz.stdout).not.toContain("SEGMENTATION VIOLATION")
    expect(quiz.stdout).not.toContain("12848")
  })

  it("names relocation.py and the command line it replaces in --help and the report", async () => {
    const help = await runCaptured(relocation, ["--help"])
    const text = await runCaptured(relocation, ["--seed", "4", "--limit", "300"])

    expect(help.stdout.replace(/\s+/g, " ")).toContain("OSTEP's relocation.py")
    expect(text.stdout).toContain("The problem (OSTEP: relocation.py -s 4 -a 1k -p 16k -n 5 -l 300 -c)")
  })
})

describe("sim relocation: inputs the drawn problem refuses", () => {
  it("refuses them before a quiz too, with exit 2 and the rule on stderr", async () => {
    const quiz = await runCaptured(relocation, ["--base", "16000", "--limit", "500", "--quiz"])

    expect(quiz.code).toBe(2)
    expect(quiz.stdout).toBe("")
    expect(quiz.stderr).toContain("base 16000 + limit 500 = 16500 must not exceed --physical-memory 16384")
    expect(quiz.stderr).toContain("(with --seed 1)")
  })

  it("refuses a given base with a drawn limit on one seed and accepts it on another, as relocation.py does", async () => {
    const codes = await Promise.all(
      ["1", "2", "3", "4", "5", "6"].map(
        async (seed) => (await runCaptured(relocation, ["--base", "16000", "--seed", seed, "--json"])).code,
      ),
    )

    expect(codes).toContain(0)
    expect(codes).toContain(2)
  })
})
