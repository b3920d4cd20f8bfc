import { describe, expect, it } from "vitest"
import paging from "../../sims/paging.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("paging", {
  jsonArgs: ["--random-refs", "12", "--policy", "rand"],
  badInputs: [
    {
      args: ["--policy", "mru"],
      stderr: 'bad value for --policy: "mru"; allowed: one of fifo, lru, opt, clock, rand, second-chance, lfu',
    },
    { args: ["--frames", "0"], stderr: "bad value for --frames: 0; allowed: an integer >= 1" },
    { args: ["--refs", "1,,2"], stderr: "a comma-separated list of page numbers" },
    { args: ["--refs", "1,-2"], stderr: "a comma-separated list of page numbers" },
    { args: ["--refs", "1,2", "--random-refs", "4"], stderr: "give either --refs or --random-refs N > 0, not both" },
    { args: ["--clock-bits", "-1"], stderr: "bad value for --clock-bits: -1" },
    { args: ["--use-bit-on-load", "2"], stderr: "bad value for --use-bit-on-load: 2" },
    { args: ["--max-page", "-1"], stderr: "bad value for --max-page: -1" },
    { args: ["--frames-sweep", "3..2"], stderr: "none, or A..B with 1 <= A <= B" },
    { args: ["--frames-sweep", "0..4"], stderr: "none, or A..B with 1 <= A <= B" },
    { args: ["--frames-sweep", "1..100"], stderr: "at most 64 frame counts" },
  ],
})

interface Metrics {
  hits: number
  misses: number
  hitRate: number
  refs: number[]
  accesses: { page: number; hit: boolean; victim: number | null; frames: number[] }[]
}

async function metrics(args: string[]): Promise<Metrics> {
  const run = await runCaptured(paging, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout).metrics as Metrics
}

const BELADY = "1,2,3,4,1,2,5,1,2,3,4,5"
const SILBERSCHATZ = "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"
const OSTEP_22 = "0,1,2,0,1,3,0,3,1,2,1"

describe("sim paging gives the textbook fault counts", () => {
  // [string, frames, fifo, lru, opt, second chance with bit 1, with bit 0, lfu]
  const table: [string, number, number, number, number, number, number, number][] = [
    [BELADY, 3, 9, 10, 7, 9, 10, 10],
    [BELADY, 4, 10, 8, 6, 10, 8, 8],
    [SILBERSCHATZ, 3, 15, 12, 9, 14, 11, 13],
    [SILBERSCHATZ, 4, 10, 8, 8, 9, 8, 8],
    [OSTEP_22, 3, 7, 5, 5, 7, 5, 5],
  ]
  it.each(table)(
    "%s with %i frames: FIFO %i, LRU %i, OPT %i, second chance %i/%i, LFU %i",
    async (refs, frames, ...expected) => {
      const args = ["--refs", refs, "--frames", String(frames)]
      const misses = async (...more: string[]) => (await metrics([...args, ...more])).misses

      expect([
        await misses("--policy", "fifo"),
        await misses("--policy", "lru"),
        await misses("--policy", "opt"),
        await misses("--policy", "second-chance", "--use-bit-on-load", "1"),
        await misses("--policy", "second-chance", "--use-bit-on-load", "0"),
        await misses("--policy", "lfu"),
      ]).toEqual(expected)
    },
  )

  it("traces OPT on OSTEP's string: misses at 0, 1, 2, then 3 evicting 2, then 2 evicting 3", async () => {
    const m = await metrics(["--policy", "opt", "--refs", OSTEP_22])

    expect(m.accesses.flatMap((a, i) => (a.hit ? [] : [[i, a.victim]]))).toEqual([
      [0, null],
      [1, null],
      [2, null],
      [5, 2],
      [9, 3],
    ])
    expect(m.accesses.at(-1)!.frames).toEqual([0, 1, 2])
  })

  it("draws paging-policy.py -s 10 -n 3's references 5, 4, 5 (1 hit, 2 misses)", async () => {
    const m = await metrics(["--policy", "fifo", "--seed", "10", "--random-refs", "3"])

    expect(m.refs).toEqual([5, 4, 5])
    expect([m.hits, m.misses]).toEqual([1, 2])
  })

  it("lists the frames in the policy's order: LRU least recent first, LFU next victim first, second chance from the hand", async () => {
    const lru = await metrics(["--policy", "lru", "--refs", "1,2,3,1"])
    const lfu = await metrics(["--policy", "lfu", "--refs", "1,2,2,3,1,1", "--frames", "3"])
    const clock = await metrics(["--policy", "second-chance", "--refs", "1,2,3,4", "--frames", "3"])

    expect(lru.accesses.at(-1)!.frames).toEqual([2, 3, 1])
    expect(lfu.accesses.at(-1)!.frames).toEqual([3, 2, 1])
    // 4 finds every bit set: the hand clears 1, 2, 3, comes back to 1 and replaces it.
    expect(clock.accesses.at(-1)).toEqual({ page: 4, hit: false, victim: 1, frames: [2, 3, 4] })
  })
})

describe("sim paging's frame sweep", () => {
  it("prints faults per frame count for every policy and marks FIFO's Belady anomaly at 4 frames", async () => {
    const run = await runCaptured(paging, ["--policy", "fifo", "--refs", BELADY, "--frames-sweep", "1..7"])

    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^\s+frames\s+fifo\s+lru\s+opt\s+clock\s+rand\s+second-chance\s+lfu$/m)
    expect(run.stdout).toMatch(/^\s+3\s+9\s+10\s+7\s/m)
    expect(run.stdout).toMatch(/^\s+4\s+10\*\s+8\s+6\s/m)
    expect(run.stdout).toContain("Belady's anomaly: fifo misses 10 times with 4 frames but 9 with 3.")
    expect(run.stdout).not.toContain("Belady's anomaly: lru")
    expect(run.stdout).not.toContain("Belady's anomaly: opt")
  })

  it("says so when no policy shows the anomaly", async () => {
    const run = await runCaptured(paging, ["--refs", OSTEP_22, "--frames-sweep", "1..3", "--seed", "0"])

    expect(run.stdout).toContain("No policy shows Belady's anomaly for 1 to 3 frames on this string.")
  })
})
