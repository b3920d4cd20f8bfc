/**
 * Every sim as a real process whose reader goes away early (`sim | head -1`, `sim --json | true`,
 * `sim --help 2>&1 | true`): it must stop quietly — no stack trace, no `Error: write EPIPE`, and
 * not exit 1 (a bug). See `exitOnStreamError` in `src/cli/run-sim.ts`.
 *
 * Three ways the pipe closes:
 * - text mode, stdout read up to its first line and then closed (what `head -1` does), every sim;
 * - `--json`, stdout closed before the sim writes anything (what `| true` does), two sims;
 * - `--help`, stdout and stderr both closed before the sim writes anything, two sims;
 * - `--trace /dev/stdout | head -1` in bash (a trace of megabytes into the same pipe; a real pipe,
 *   since node's own child-process pipes are sockets, which /dev/stdout cannot reopen).
 * Each sim runs bundled for the test run (test/sims/bundle-sims.ts; about 0.2 s of CPU a spawn
 * instead of 1.5 s under tsx), the listing `sims/index.ts` through tsx (it imports its sims by file
 * name); they run two at a time.
 */
import { execFileSync, spawn } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { simCommand, tsxCommand } from "../sims/sim-command.ts"

const root = join(import.meta.dirname, "..", "..")
const sims = readdirSync(join(root, "sims"))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -3))
  .sort()

type Closing = "after-first-line" | "stdout-at-once" | "both-at-once"

interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
  readonly firstLine: string
}

/** Runs `sims/<name>.ts args` (bundled; the listing through tsx) and closes its pipes as `closing` says. */
function runClosing(name: string, args: readonly string[], closing: Closing): Promise<Ended> {
  const command = name === "index" ? tsxCommand(name, args) : simCommand(name, args)
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stderr = ""
    let stdout = ""
    child.stderr.setEncoding("utf8")
    child.stderr.on("data", (chunk: string) => (stderr += chunk))
    child.stdout.setEncoding("utf8")
    if (closing === "after-first-line") {
      child.stdout.on("data", (chunk: string) => {
        stdout += chunk
        if (stdout.includes("\n")) child.stdout.destroy()
      })
    } else {
      child.stdout.destroy()
      if (closing === "both-at-once") child.stderr.destroy()
    }
    child.on("error", reject)
    child.on("close", (code, signal) => resolve({ code, signal, stderr, firstLine: stdout.split("\n")[0] ?? "" }))
  })
}

/** Runs `tasks` with at most `limit` at a time. */
async function inParallel<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await tasks[index]!()
    }
  }
  await Promise.all(Array.from({ length: limit }, worker))
  return results
}

describe("a sim whose reader closes the pipe early", () => {
  it("finds every sim", () => {
    expect(sims.length).toBeGreaterThanOrEqual(12)
  })

  // Every sim in text mode; the --json and --help paths share the runner's handling, so two sims
  // each (a spawn costs one to several seconds on a loaded machine).
  const cases: { name: string; args: string[]; closing: Closing }[] = [
    ...sims.map((name) => ({ name, args: [], closing: "after-first-line" as const })),
    ...["kafka-ordering", "mm-queue"].flatMap((name) => [
      { name, args: ["--json"], closing: "stdout-at-once" as const },
      { name, args: ["--help"], closing: "both-at-once" as const },
    ]),
  ]

  it("exits 0 without a stack trace, in text, --json and --help modes, and with stderr closed too", async () => {
    const ended = await inParallel(
      cases.map((c) => () => runClosing(c.name, c.args, c.closing)),
      2,
    )
    const outcomes = cases.map((c, i) => ({
      sim: c.name,
      closing: c.closing,
      code: ended[i]!.code,
      signal: ended[i]!.signal,
      stderr: ended[i]!.stderr,
    }))
    const expected = cases.map((c) => ({ sim: c.name, closing: c.closing, code: 0, signal: null, stderr: "" }))
    expect(outcomes).toEqual(expected)
    for (const [i, c] of cases.entries()) {
      // sims/index.ts is the listing (npx tsx sims), not a sim: it starts with the count of sims.
      const first = c.name === "index" ? /^\d+ sims, each a runnable lesson:$/ : new RegExp(`^${c.name} — `)
      if (c.closing === "after-first-line") expect(ended[i]!.firstLine).toMatch(first)
    }
  }, 240_000)

  it("exits 0 without a stack trace when its --trace goes into the pipe that closes (--trace /dev/stdout | head -1)", () => {
    const { command, args } = simCommand("mm-queue", ["--customers", "20000", "--trace", "/dev/stdout"])
    const sim = [command, ...args].map((word) => `"${word}"`).join(" ")
    const script = `${sim} 2>/tmp/closed-pipe-trace-$$.err | head -1; echo "status \${PIPESTATUS[0]}"; cat /tmp/closed-pipe-trace-$$.err; rm -f /tmp/closed-pipe-trace-$$.err`

    const out = execFileSync("bash", ["-c", script], { cwd: root, encoding: "utf8" })

    // The trace is written during the run and the report after it, so the first line is a record.
    expect(out).toMatch(/^\{"t":0\.[0-9]+,"seq":0,[^\n]*\nstatus 0\n$/)
  }, 120_000)
})
