/**
 * The heap profile (profile.proto via pprof-format) and the `-top` text computed from the same
 * counts: decoded field by field, and read by the real `go tool pprof` (skipped, saying so, only
 * when go is not installed), whose rows must equal ours line for line.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { Profile } from "pprof-format"
import { afterAll, describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import type { AllocationSite, SiteStats } from "../../../src/models/go/leak-heap.ts"
import { type LeakFix, LeakScenario } from "../../../src/models/go/leak-scenario.ts"
import { HEAP_SAMPLE_TYPES, type HeapSampleType, heapProfile } from "../../../src/models/go/pprof-profile.ts"
import { pprofTop, topRows } from "../../../src/models/go/pprof-top.ts"
import { binaryOnPath } from "../../real-tools.ts"

function sitesOf(fix: LeakFix, durationS = 20): readonly SiteStats[] {
  return new LeakScenario(new Simulation({ seed: 1 }), { fix, durationS }).run().sites
}

const site = (stack: string[], objectBytes: number): AllocationSite => ({
  stack: stack.map((name, i) => ({ function: name, file: "x.go", line: 10 + i })),
  objectBytes,
})

/** A hand-made heap: main.big (leaf) under main.a; main.small under main.a and main.b; main.tiny under main.b. */
const HAND_MADE: readonly SiteStats[] = [
  {
    site: site(["main.big", "main.a"], 1024),
    allocObjects: 1000,
    allocBytes: 1_024_000,
    inUseObjects: 900,
    inUseBytes: 921_600,
  },
  {
    site: site(["main.small", "main.a", "main.b"], 64),
    allocObjects: 100,
    allocBytes: 6400,
    inUseObjects: 50,
    inUseBytes: 3200,
  },
  { site: site(["main.tiny", "main.b"], 8), allocObjects: 10, allocBytes: 80, inUseObjects: 0, inUseBytes: 0 },
]

describe("heapProfile", () => {
  it("writes Go's heap sample types in protomem.go's order, period space/bytes of 1, one sample per site", () => {
    const sites = sitesOf("none")

    const profile = Profile.decode(heapProfile(sites, { timeNanos: 20e9, durationNanos: 20e9 }))
    const text = (index: unknown) => profile.stringTable.strings[Number(index)]

    expect(profile.sampleType.map((t) => `${text(t.type)}/${text(t.unit)}`)).toEqual([
      "alloc_objects/count",
      "alloc_space/bytes",
      "inuse_objects/count",
      "inuse_space/bytes",
    ])
    expect([text(profile.periodType!.type), text(profile.periodType!.unit), Number(profile.period)]).toEqual([
      "space",
      "bytes",
      1,
    ])
    expect([Number(profile.timeNanos), Number(profile.durationNanos)]).toEqual([20e9, 20e9])
    expect(profile.sample.map((s) => s.value.map(Number))).toEqual(
      sites.map((s) => [s.allocObjects, s.allocBytes, s.inUseObjects, s.inUseBytes]),
    )
    const functionName = new Map(profile.function.map((f) => [Number(f.id), text(f.name)]))
    const location = new Map(profile.location.map((l) => [Number(l.id), l]))
    const stacks = profile.sample.map((s) =>
      s.locationId.map((id) => {
        const line = location.get(Number(id))!.line[0]!
        return `${functionName.get(Number(line.functionId))}:${Number(line.line)}`
      }),
    )
    expect(stacks).toEqual(sites.map((s) => s.site.stack.map((f) => `${f.function}:${f.line}`)))
  })

  it("gives the same bytes for the same run", () => {
    expect(heapProfile(sitesOf("buffered", 5))).toEqual(heapProfile(sitesOf("buffered", 5)))
  })
})

describe("pprofTop", () => {
  it("sums flat by leaf function and cum once per sample, and drops nodes under 0.5% of the total", () => {
    const { rows, total, dropped } = topRows(HAND_MADE, "alloc_space")

    expect(total).toBe(1_030_480)
    expect(rows).toEqual([
      { name: "main.big", flat: 1_024_000, cum: 1_024_000 },
      { name: "main.small", flat: 6400, cum: 6400 },
      { name: "main.a", flat: 0, cum: 1_030_400 },
      { name: "main.b", flat: 0, cum: 6480 },
    ])
    expect(dropped).toBe(1) // main.tiny: 80 bytes, under 5,152
  })

  it("lays the rows out as pprof does: one unit, two decimals, Go's percentages, the dropped nodes", () => {
    expect(pprofTop(HAND_MADE, "inuse_space")).toEqual([
      "Type: inuse_space",
      "Showing nodes accounting for 900kB, 99.65% of 903.12kB total",
      "Dropped 2 nodes (cum <= 4.52kB)", // main.small and main.b: 3,200 bytes each
      "      flat  flat%   sum%        cum   cum%",
      "     900kB 99.65% 99.65%      900kB 99.65%  main.big",
      "         0     0% 99.65%   903.12kB   100%  main.a",
    ])
  })
})

const go = binaryOnPath("go")
const work = mkdtempSync(join(tmpdir(), "pprof-"))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** `go tool pprof -top -sample_index=<type> FILE`'s lines from `Type:` on, without Time/Duration. */
function realTop(file: string, type: HeapSampleType): string[] {
  const env = { ...process.env, HOME: work, GOCACHE: join(work, "cache"), GOFLAGS: "", PPROF_TMPDIR: work }
  const run = spawnSync(go!, ["tool", "pprof", "-top", `-sample_index=${type}`, file], { encoding: "utf8", env })
  expect(run.status, run.stderr).toBe(0)
  const lines = run.stdout.split("\n").filter((line) => line !== "")
  return lines.filter((line) => !line.startsWith("Time:") && !line.startsWith("Duration:"))
}

describe.skipIf(go === undefined)(`go tool pprof reads the profile (${go ?? "go not on PATH: skipped"})`, () => {
  const cases: [string, readonly SiteStats[]][] = [
    ["the leak (--fix none, 20 s)", sitesOf("none")],
    ["--fix buffered, 20 s", sitesOf("buffered")],
    ["a hand-made heap with a dropped node", HAND_MADE],
  ]
  for (const [name, sites] of cases)
    it(`lists the same functions with the same flat and cum values, every sample type: ${name}`, () => {
      const file = join(work, `${name.replace(/\W+/g, "-")}.pb.gz`)
      writeFileSync(file, gzipSync(heapProfile(sites, { timeNanos: 20e9 })))

      for (const type of HEAP_SAMPLE_TYPES) expect(realTop(file, type), type).toEqual(pprofTop(sites, type))
    })
})
