import { describe, expect, it } from "vitest"
import pagingTranslate from "../../sims/paging-translate.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("paging-translate", {
  badInputs: [
    { args: ["--used", "101"], stderr: "bad value for --used: 101" },
    { args: ["--page-size", "4kb"], stderr: "bad value for --page-size 4kb: a size" },
    { args: ["--page-table", "1,y"], stderr: '"y" is neither' },
    { args: ["--page-table", "1,2,3"], stderr: "--page-table has 3 entries; the address space has 4 pages" },
    { args: ["--page-table", "1,2,3,16"], stderr: "--page-table maps VPN 3 to frame 16; frames are 0 to 15" },
    { args: ["--page-table", "1,x,1,x"], stderr: "--page-table maps frame 1 twice" },
    { args: ["--addresses", "16384"], stderr: "address 16384 is outside the address space [0, 16384)" },
    { args: ["--address-space", "12k"], stderr: "--address-space 12288 must be a power of 2" },
    { args: ["--physical-memory", "62k"], stderr: "--physical-memory 63488 must be a multiple of --page-size 4096" },
    { args: ["--page-size", "0"], stderr: "--page-size must not be 0" },
    {
      args: ["--physical-memory", "16k"],
      stderr: "--physical-memory 16384 must be greater than --address-space 16384",
    },
    { args: ["--physical-memory", "1g", "--address-space", "16k"], stderr: "must be below 1g" },
    {
      args: ["--address-space", "512m", "--page-size", "1", "--physical-memory", "600m"],
      stderr: "a table of more than 4194304 entries is over the run budget",
    },
  ],
})

async function metrics(args: string[]) {
  const run = await runCaptured(pagingTranslate, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout).metrics
}

describe("sim paging-translate", () => {
  it("draws paging-linear-translate.py's default table for --seed 0: VPN 0 in frame 12, VPN 3 in frame 6", async () => {
    const m = await metrics(["--seed", "0"])

    expect(m.pageTable).toEqual([12, null, null, 6])
    expect(m.translations[0]).toEqual({ virtual: 12841, vpn: 3, offset: 553, valid: true, physical: 25129 })
    expect(m.invalid).toBe(3)
  })

  it("translates through a given table without drawing it", async () => {
    const m = await metrics(["--page-table", "15,x,x,11", "--addresses", "0,4095,4096,12288,16383"])

    expect(m.translations.map((t: { physical: number | null }) => t.physical)).toEqual([
      61440,
      65535,
      null,
      45056,
      49151,
    ])
  })

  it("takes a physical memory that is not a power of two (48k: 12 frames)", async () => {
    const m = await metrics(["--physical-memory", "48k", "--used", "100", "--seed", "4"])

    expect(m.pageTable.every((frame: number) => frame >= 0 && frame < 12)).toBe(true)
    expect(new Set(m.pageTable).size).toBe(4)
  })

  it("quizzes the table and addresses without the answers", async () => {
    const quiz = await runCaptured(pagingTranslate, ["--seed", "0", "--quiz"])

    expect(quiz.stdout).toContain("[       0]  0x8000000c")
    expect(quiz.stdout).toContain("(decimal:    12841) --> PA or invalid address?")
    expect(quiz.stdout).not.toContain("25129")
  })

  it("names paging-linear-translate.py and the command line it replaces", async () => {
    const help = await runCaptured(pagingTranslate, ["--help"])
    const text = await runCaptured(pagingTranslate, ["--seed", "5", "--used", "75"])

    expect(help.stdout.replace(/\s+/g, " ")).toContain("OSTEP's paging-linear-translate.py")
    expect(text.stdout).toContain("(OSTEP: paging-linear-translate.py -s 5 -a 16k -p 64k -P 4k -u 75 -n 5 -c)")
  })
})
