/**
 * Runs a sim in-process with captured stdout and stderr: what a test needs instead of spawning
 * `npx tsx` (about a second per spawn).
 */
import type { FlagSpecs, SimDefinition, SimIo, TraceSink } from "../../src/cli/index.ts"
import type { RealtimeClock } from "../../src/cli/realtime.ts"
import { runSim } from "../../src/cli/index.ts"

/** What a captured run printed and returned. */
export interface CapturedRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Options of {@link runCaptured}. */
export interface CaptureOptions {
  /** Pretend stderr is a terminal (progress is shown). Default false. */
  readonly stderrIsTTY?: boolean
  /** The wall clock the progress line reads. Default: the runner's own. */
  readonly wallClockMs?: () => number
  /** Opens the trace file. Default: the runner's own. */
  readonly openTrace?: (path: string) => TraceSink
  /** Pretend stdout is a terminal (colour is allowed). Default false. */
  readonly stdoutIsTTY?: boolean
  /** The environment the runner reads (NO_COLOR). Default: empty. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The wall clock and wait of a `--realtime` run. Default: the runner's own. */
  readonly realtimeClock?: RealtimeClock
}

/** Runs `definition` with `argv`, capturing both streams. */
export async function runCaptured<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
  options: CaptureOptions = {},
): Promise<CapturedRun> {
  let stdout = ""
  let stderr = ""
  const io: SimIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.stdoutIsTTY ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.stderrIsTTY ?? false },
    ...(options.wallClockMs === undefined ? {} : { wallClockMs: options.wallClockMs }),
    ...(options.openTrace === undefined ? {} : { openTrace: options.openTrace }),
    ...(options.realtimeClock === undefined ? {} : { realtimeClock: options.realtimeClock }),
    env: options.env ?? {},
  }
  const code = await runSim(definition, argv, io)
  return { code, stdout, stderr }
}

const runs = new Map<string, Promise<CapturedRun>>()

/**
 * {@link runCaptured} with default options, run once per test worker for each sim and command line:
 * for tests that read the same run (a sim's standard suite and its own tests both read the bare
 * run and its JSON; prometheus-scrape's read its bare JSON five times). Runs are deterministic, so
 * the result is what a second run prints; a test that asserts that two runs agree (same seed, same
 * output) calls {@link runCaptured} for each run instead.
 */
export function runCapturedOnce<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
): Promise<CapturedRun> {
  const key = `${definition.name} ${JSON.stringify(argv)}`
  let run = runs.get(key)
  if (run === undefined) {
    run = runCaptured(definition, argv)
    runs.set(key, run)
  }
  return run
}

/**
 * The rerun line at the end of a text report, joined back into one line as a shell joins it: the
 * report wraps it with ` \` continuations between words (the next line's indent is dropped here,
 * the shell reads it as a space) and with `\` inside a word too long for a line (the word goes on
 * at the start of the next line, a single quote closed before the `\` reopened there: `'\` + `'`
 * join to nothing).
 */
export function rerunLineOf(stdout: string): string {
  const lines = stdout.trimEnd().split("\n")
  const start = lines.findLastIndex((line) => line.startsWith("seed="))
  if (start < 0) throw new Error(`no rerun line in:\n${stdout}`)
  let joined = ""
  let midWord = false
  for (const line of lines.slice(start)) {
    let text = joined === "" || midWord ? line : ` ${line.trimStart()}`
    if (midWord && joined.endsWith("'") && text.startsWith("'")) {
      joined = joined.slice(0, -1)
      text = text.slice(1)
    }
    midWord = /[^ ]\\$/.test(line)
    joined += text.replace(/ ?\\$/, "")
  }
  return joined
}
