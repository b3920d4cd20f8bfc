/**
 * Runs a sim as a child process (stdout into a pipe that is read and counted) and measures it:
 * wall-clock seconds, CPU seconds and peak resident memory of the whole process (Node, the loader
 * and the report included), from the process itself at exit (see report-usage.ts).
 *
 * Two ways to run it: `"bundle"`, the sim bundled for this test run (`node <bundle>/<name>.mjs`,
 * see bundle-sims.ts), or `"tsx"`, as a user runs it (`node --import tsx sims/<name>.ts`).
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { REPORT_USAGE, ROOT } from "./bundle-sims.ts"
import { simBundleDir, simCommand } from "./sim-command.ts"

/** What one measured run did and cost. */
export interface MeasuredRun {
  readonly code: number
  readonly wallSeconds: number
  readonly cpuSeconds: number
  readonly peakBytes: number
  /** Bytes the run wrote to stdout. */
  readonly stdoutBytes: number
  /** stderr without the usage line. */
  readonly stderr: string
}

/** How a measured sim is started: bundled (the default), or through tsx as a user runs it. */
export type Runner = "bundle" | "tsx"

/** The command that runs `sims/<name>.ts` with `args` and prints its usage at exit. */
function measuredCommand(name: string, args: readonly string[], runner: Runner): { command: string; args: string[] } {
  if (runner === "tsx") {
    const script = ["--import", "./test/sims/report-usage.ts", join("sims", `${name}.ts`), ...args]
    return { command: process.execPath, args: ["--import", "tsx", ...script] }
  }
  const bundled = simCommand(name, args)
  return { command: bundled.command, args: ["--import", join(simBundleDir(), `${REPORT_USAGE}.mjs`), ...bundled.args] }
}

/** Runs `sims/<name>.ts` with `args` in a child process and measures it. */
export function measureRun(name: string, args: readonly string[], runner: Runner = "bundle"): Promise<MeasuredRun> {
  const started = process.hrtime.bigint()
  const command = measuredCommand(name, args, runner)
  const child = spawn(command.command, command.args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  })
  let stdoutBytes = 0
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdoutBytes += chunk.length))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on("error", reject)
    child.on("close", (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
      const match = /\nUSAGE (\{.*\})\n$/.exec(stderr)
      if (match === null) return reject(new Error(`${name} ${args.join(" ")}: no usage line in stderr:\n${stderr}`))
      const usage = JSON.parse(match[1]!) as { cpuSeconds: number; peakBytes: number }
      resolve({ code: code ?? -1, wallSeconds, ...usage, stdoutBytes, stderr: stderr.slice(0, match.index) })
    })
  })
}
