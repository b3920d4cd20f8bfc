import { describe, expect, it } from "vitest"
import malloc from "../../sims/malloc.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("malloc", {
  jsonArgs: ["--num-ops", "12"],
  badInputs: [
    { args: ["--policy", "next"], stderr: 'bad value for --policy: "next"; allowed: one of best, worst, first' },
    { args: ["--list-order", "sizesort"], stderr: 'bad value for --list-order: "sizesort"' },
    { args: ["--align", "0"], stderr: "bad value for --align: 0; allowed: an integer >= 1" },
    { args: ["--percent-alloc", "0"], stderr: "bad value for --percent-alloc: 0; allowed: an integer >= 1" },
    { args: ["--ops=+3,,+4"], stderr: 'item 2 "" is not +N (allocate N bytes) or -K (free pointer K)' },
    { args: ["--ops=+-3"], stderr: 'item 1 "+-3" is not +N' },
    {
      args: ["--ops=+200,+5,-0"],
      stderr: "malloc.py cannot run this program: -0 frees ptr[0], whose allocation failed",
    },
    { args: ["--ops=+0,+5"], stderr: "a chunk already starts at address 1000" },
    { args: ["--heap-size=-1"], stderr: "bad value for --heap-size: -1" },
  ],
})

interface Op {
  kind: string
  ptr: number
  size: number | null
  chunk: number | null
  returned: number | null
  searched: number | null
  freeList: [number, number][] | null
}

async function metrics(args: string[]) {
  const run = await runCaptured(malloc, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout).metrics as {
    ops: Op[]
    freeList: [number, number][]
    allocs: number
    failedAllocs: number
    frees: number
  }
}

describe("sim malloc follows malloc.py's rules", () => {
  it("splits in place and does not re-sort after an allocation (sizesort+ stays out of order)", async () => {
    const m = await metrics(["--list-order", "sizesort+", "--ops=+10,+20,+30,-0,-1,+15"])

    // After the frees the list is [1000,10] [1010,20] [1060,40]; best fit takes [1010,20] for 15 and leaves [1025,5] in its place.
    expect(m.ops.at(-1)).toEqual({
      kind: "alloc",
      ptr: 3,
      size: 15,
      chunk: 1010,
      returned: 1010,
      searched: 3,
      freeList: [
        [1000, 10],
        [1025, 5],
        [1060, 40],
      ],
    })
  })

  it("keeps ties in order under sizesort-: the freed block after older blocks of its size", async () => {
    const m = await metrics(["--list-order", "sizesort-", "--ops=+5,+5,+5,+5,-2,-0"])

    expect(m.freeList).toEqual([
      [1020, 80],
      [1010, 5],
      [1000, 5],
    ])
  })

  it("coalesces list neighbours only: complete by address, partial under insert-back", async () => {
    const ops = "--ops=+10,+10,+10,-0,-2,-1"
    const byAddress = await metrics(["--coalesce", ops])
    const back = await metrics(["--coalesce", "--list-order", "insert-back", ops])

    expect(byAddress.freeList).toEqual([[1000, 100]])
    expect(back.freeList).toEqual([
      [1030, 70],
      [1000, 10],
      [1020, 10],
      [1010, 10],
    ])
  })

  it("returns chunk + header in random mode and the chunk itself in explicit mode", async () => {
    const random = await metrics(["--header-size", "4", "--seed", "0"])
    const explicit = await metrics(["--header-size", "4", "--ops=+3"])

    const first = random.ops.find((op) => op.kind === "alloc")!
    expect(first.returned).toBe(first.chunk! + 4)
    expect(explicit.ops[0]).toMatchObject({ chunk: 1000, returned: 1000, freeList: [[1007, 93]] })
  })

  it("skips a free of a pointer at or beyond the successful allocations so far, even one that exists", async () => {
    const m = await metrics(["--ops=+200,+5,-1"])

    expect(m.ops.map((op) => [op.kind, op.ptr, op.returned])).toEqual([
      ["alloc", 0, -1],
      ["alloc", 1, 1000],
      ["skip", 1, null],
    ])
    expect([m.allocs, m.failedAllocs, m.frees]).toEqual([2, 1, 0])
  })

  it("reports a double free as -1 and changes nothing", async () => {
    const m = await metrics(["--ops=+10,-0,-0"])

    expect(m.ops[2]).toMatchObject({
      kind: "free",
      returned: -1,
      freeList: [
        [1000, 10],
        [1010, 90],
      ],
    })
    expect(m.frees).toBe(2)
  })
})

describe("sim malloc's text", () => {
  it("shows malloc.py's lines, the heap map and the fragmentation after every operation", async () => {
    const run = await runCaptured(malloc, ["--ops=+10,+20,-0"])

    expect(run.stdout).toContain("ptr[0] = Alloc(10) returned 1000 (searched 1 elements)\n")
    expect(run.stdout).toContain("Free List [ Size 2 ]: [ addr:1000 sz:10 ][ addr:1030 sz:70 ]\n")
    expect(run.stdout).toContain("80 bytes free in 2 blocks, largest 70, fragmentation 13%")
  })

  it("names external fragmentation when an allocation fails although enough bytes are free", async () => {
    const run = await runCaptured(malloc, ["--heap-size", "30", "--ops=+10,+10,+10,-0,-2,+15", "--width", "1000"])

    expect(run.stdout).toContain(
      "ptr[3] needed 15 bytes and failed although 20 bytes were free: the largest block was 10. That is external fragmentation.",
    )
  })
})

describe("sim malloc's quiz", () => {
  it("lists the operations malloc.py -s 0 draws, without return values or lists", async () => {
    const quiz = await runCaptured(malloc, ["--quiz", "--seed", "0"])

    expect(quiz.code).toBe(0)
    expect(quiz.stdout).toContain(
      "ptr[0] = Alloc(3) returned ?\n    Free(ptr[0]) returned ?\n    ptr[1] = Alloc(5) returned ?",
    )
    expect(quiz.stdout).not.toContain("returned 1000")
    expect(quiz.stdout).not.toContain("Free List")
  })
})
