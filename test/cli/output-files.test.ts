/**
 * A sim's own output files (`flag.outputFile`: `--pcap`, `--profile`): written from the outcome
 * after the run; a path that cannot be written is bad input before the run; a failed run leaves no
 * file behind.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { defineSim, EXIT_CODE, flag, fromSimulation, renderHelp, workEstimate } from "../../src/cli/index.ts"
import { runSimOutput } from "../../src/cli/run-json.ts"
import { runCaptured } from "./run-captured.ts"

const scratch = mkdtempSync(join(tmpdir(), "output-files-"))

/** Counts to `--count`; `--list FILE` gets the numbers as text, `--bytes FILE` as bytes. */
const counter = defineSim({
  name: "counter",
  title: "a counter that writes files",
  header: { covers: "output files", scenario: "count", try: ["--count 3 --list n.txt"] },
  flags: {
    count: flag.integer({ description: "numbers to count", unit: "numbers", default: 3, min: 1, max: 100 }),
    list: flag.outputFile({ description: "the numbers as text, one per line" }),
    bytes: flag.outputFile({ description: "the numbers as bytes" }),
    forget: flag.boolean({ description: "leave --bytes out of the outcome (a bug)", default: false }),
    crash: flag.boolean({ description: "throw inside run (a bug)", default: false }),
  },
  estimate: (params) =>
    workEstimate({ events: params.count, eventsPerSecond: 1e6, simTime: 0, advice: "lower --count" }),
  quiz: () => "How many numbers?",
  run(params, context) {
    if (params.crash) throw new Error("the counter crashed on purpose")
    const sim = context.simulation()
    const numbers = Array.from({ length: params.count }, (_, i) => i + 1)
    const files: Record<string, Uint8Array | string> = {}
    if (params.list !== "") files.list = numbers.map((n) => `${n}\n`).join("")
    if (params.bytes !== "" && !params.forget) files.bytes = Uint8Array.from(numbers)
    return { ...fromSimulation(sim), metrics: { count: params.count }, checks: [], files }
  },
})

describe("flag.outputFile", () => {
  it("writes each file the flags name, text or bytes, and nothing when a flag is absent", async () => {
    const list = join(scratch, "list.txt")
    const bytes = join(scratch, "bytes.bin")

    const run = await runCaptured(counter, ["--count", "4", "--list", list, "--bytes", bytes, "--json"])
    const onlyList = await runCaptured(counter, ["--list", join(scratch, "only.txt")])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(readFileSync(list, "utf8")).toBe("1\n2\n3\n4\n")
    expect([...readFileSync(bytes)]).toEqual([1, 2, 3, 4])
    expect(JSON.parse(run.stdout).metrics).toEqual({ count: 4 })
    expect(onlyList.code).toBe(EXIT_CODE.ok)
    // The rerun line replays the run; like --trace, a file to write is not part of it.
    expect(onlyList.stdout).toContain(
      "rerun: npx tsx sims/counter.ts --seed 1 --count 3 --forget=false --crash=false\n",
    )
    expect(readFileSync(join(scratch, "only.txt"), "utf8")).toBe("1\n2\n3\n")
  })

  it("replaces an existing file", async () => {
    const list = join(scratch, "old.txt")
    writeFileSync(list, "old contents that are longer than the new ones\n")

    await runCaptured(counter, ["--count", "2", "--list", list])

    expect(readFileSync(list, "utf8")).toBe("1\n2\n")
  })

  it("refuses a path that cannot be written before the run (exit 2), leaving no file", async () => {
    const list = join(scratch, "kept-out.txt")
    const missing = join(scratch, "no-such-dir", "bytes.bin")

    const run = await runCaptured(counter, ["--list", list, "--bytes", missing])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain(`cannot write --bytes ${missing}`)
    expect(existsSync(list)).toBe(false)
  })

  it("leaves no file when the run fails or forgets a file (a bug: exit 1)", async () => {
    const crashed = join(scratch, "crashed.txt")
    const forgotten = join(scratch, "forgotten.bin")
    const listed = join(scratch, "listed.txt")

    const crash = await runCaptured(counter, ["--crash", "--list", crashed])
    const forget = await runCaptured(counter, ["--forget", "--bytes", forgotten, "--list", listed])

    expect(crash.code).toBe(EXIT_CODE.bug)
    expect(existsSync(crashed)).toBe(false)
    expect(forget.code).toBe(EXIT_CODE.bug)
    expect(forget.stderr).toContain("the sim wrote nothing for --bytes")
    expect(existsSync(forgotten)).toBe(false)
    expect(existsSync(listed)).toBe(false)
  })

  it("reports a file that cannot be written after the run (a full disk) as bad input, removing the others", async () => {
    if (lstatSync("/dev/full", { throwIfNoEntry: false })?.isCharacterDevice() !== true) return
    const full = join(scratch, "full.bin")
    symlinkSync("/dev/full", full)
    const list = join(scratch, "written-first.txt")

    const run = await runCaptured(counter, ["--list", list, "--bytes", full, "--json"])

    expect(run).toEqual({
      code: EXIT_CODE.badInput,
      stdout: "",
      stderr: `counter: cannot write --bytes ${full}: ENOSPC: no space left on device, write\n`,
    })
    expect(existsSync(list)).toBe(false)
    expect(lstatSync(full).isSymbolicLink()).toBe(true)
  })

  it("leaves a symbolic link given as the file in place when the run fails", async () => {
    const target = join(scratch, "linked.txt")
    writeFileSync(target, "")
    const link = join(scratch, "link.txt")
    symlinkSync(target, link)

    const crash = await runCaptured(counter, ["--crash", "--list", link])

    expect(crash.code).toBe(EXIT_CODE.bug)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
  })

  it("is listed by --help as a file, none by default", () => {
    const help = renderHelp(counter).replace(/\s+/g, " ")

    expect(help).toContain("--list <file> the numbers as text, one per line; a file path; default none (no file)")
  })

  it("is refused by the browser's runner, which writes no file, naming the flag (exit 2)", async () => {
    const run = await runSimOutput(counter, ["--list", "n.txt", "--count", "2"])
    const none = await runSimOutput(counter, ["--count", "2", "--json"])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(run.stderr).toContain(
      "counter: --list writes a file, which the browser cannot do; run npx tsx sims/counter.ts with it instead",
    )
    expect(existsSync("n.txt")).toBe(false)
    expect(none.code).toBe(EXIT_CODE.ok)
    expect(JSON.parse(none.stdout).metrics).toEqual({ count: 2 })
  })
})
