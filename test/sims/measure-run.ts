/**
 * Runs a sim as a user does (`node` with tsx, the sim file as the script, stdout into a pipe that
 * is read and counted) and measures it: wall-clock seconds, CPU seconds and peak resident memory
 * of the whole process (Node, tsx and the report included), from the process itself at exit (see
 * report-usage.ts).
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

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

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

/** Runs `sims/<name>.ts` with `args` in a child process and measures it. */
export function measureRun(name: string, args: readonly string[]): Promise<MeasuredRun> {
  const started = process.hrtime.bigint()
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./test/sims/report-usage.ts", `sims/${name}.ts`, ...args],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  )
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
