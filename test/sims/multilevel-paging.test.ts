import { describe, expect, it } from "vitest"
import multilevelPaging from "../../sims/multilevel-paging.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("multilevel-paging", {
  badInputs: [
    { args: ["--allocated", "1025"], stderr: "bad value for --allocated: 1025" },
    { args: ["--addresses", "0x8000"], stderr: "address 32768 is outside the address space [0, 32768)" },
    { args: ["--addresses", "0xfg"], stderr: '"0xfg" is not an address' },
    { args: ["--allocated", "127"], stderr: "--allocated 127 pages do not fit" },
    { args: ["--allocated", "100", "--seed", "0"], stderr: "(with --seed 0)" },
  ],
})

async function metrics(args: string[]) {
  const run = await runCaptured(multilevelPaging, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout).metrics
}

describe("sim multilevel-paging", () => {
  it("builds paging-multilevel-translate.py's seed-0 memory: PDBR 108, VA 0x611c loads 0x08 from 0x6bc", async () => {
    const m = await metrics(["--seed", "0"])

    expect(m.pdbr).toBe(108)
    expect(m.memory).toHaveLength(128)
    expect(m.translations[0]).toEqual({
      virtual: 0x611c,
      pdeIndex: 24,
      pde: 0xa1,
      pdeValid: true,
      pteIndex: 8,
      pte: 0xb5,
      pteValid: true,
      physical: 0x6bc,
      value: 0x08,
      fault: null,
    })
    expect(m.faults).toBe(6)
  })

  it("stops the walk at an invalid directory entry, leaving the table entry null", async () => {
    const m = await metrics(["--seed", "3", "--allocated", "1", "--addresses", "0,32767"])
    const pdeFaults = m.translations.filter((t: { fault: string | null }) => t.fault === "pde")

    expect(pdeFaults.length).toBeGreaterThan(0)
    for (const t of pdeFaults)
      expect([t.pteIndex, t.pte, t.pteValid, t.physical, t.value]).toEqual([null, null, null, null, null])
  })

  it("walks given addresses, decimal or hex, on the seed's memory without drawing them", async () => {
    const hex = await metrics(["--seed", "0", "--addresses", "0x611c,0x3da8"])
    const decimal = await metrics(["--seed", "0", "--addresses", "24860,15784"])

    expect(hex.translations).toEqual(decimal.translations)
    expect(hex.translations[0].value).toBe(0x08)
  })

  it("quizzes the memory and addresses without the answers", async () => {
    const quiz = await runCaptured(multilevelPaging, ["--seed", "0", "--quiz"])

    expect(quiz.stdout).toContain("PDBR: 108  (decimal)")
    expect(quiz.stdout).toContain(
      "Virtual Address 611c: Translates To What Physical Address (And Fetches what Value)? Or Fault?",
    )
    expect(quiz.stdout).not.toContain("Translates to Physical Address 0x6bc")
  })

  it("names paging-multilevel-translate.py and the command line it replaces", async () => {
    const help = await runCaptured(multilevelPaging, ["--help"])
    const text = await runCaptured(multilevelPaging, ["--seed", "0"])

    expect(help.stdout.replace(/\s+/g, " ")).toContain("OSTEP's paging-multilevel-translate.py")
    expect(text.stdout).toContain("The memory (OSTEP: paging-multilevel-translate.py -s 0 -a 64 -n 10 -c)")
  })
})
