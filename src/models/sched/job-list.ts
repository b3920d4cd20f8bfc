/**
 * The text formats of the scheduling lessons' inputs, read into plain data.
 *
 * Every format is the one a learner types on the command line, and the OSTEP ones are exactly
 * OSTEP's, so a homework command line translates flag for flag:
 *
 * - CPU jobs (`--bursts 24,3,3`): one entry per job, in job order. An entry is a CPU burst
 *   (`24`, `2.5`), or alternating CPU and I/O bursts separated by `/`, CPU first and last
 *   (`5/3/5`: compute 5, I/O 3, compute 5).
 * - Per-job values (`--arrivals 0,2,4`, `--priorities 3,1,2`): one value for every job, or a single
 *   value that applies to all of them.
 * - MLFQ jobs (`--jobs 0,180,0:100,20,0`, mlfq.py's `-l`): `start,runTime,ioFreq` per job,
 *   separated by `:`; `ioFreq` 0 means the job never does I/O.
 * - Per-queue lists (`--quantum-list 10,20,40`, mlfq.py's `-Q`/`-A`): highest priority first.
 * - Programs (`--programs c7,i,c1,i:c3`, process-run.py's `-P`): one program per process,
 *   separated by `:`; each instruction is `cN` (N compute instructions) or `i` (issue an I/O; an
 *   implicit I/O-done instruction follows it).
 * - Process descriptions (`--process-list 5:50,4:100`, process-run.py's `-l`): `X:Y` per process,
 *   X instructions, each a CPU instruction with probability Y% (else an I/O).
 *
 * Every reader returns a {@link Parsed} value: the data, or one sentence saying what is wrong and
 * what is allowed, for the sims to print as bad input. Readers never throw.
 */

/** Most instructions one `cN` token or one `X:Y` description may ask for (memory: one entry each). */
export const MAX_INSTRUCTIONS = 100_000

/** The result of reading an input: the value, or a sentence that explains the problem. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

/** One MLFQ job as mlfq.py's `-l` gives it. */
export interface MlfqJobSpec {
  /** Tick at which the job enters the system; an integer >= 0. */
  readonly start: number
  /** CPU ticks the job needs; an integer >= 1. */
  readonly runTime: number
  /** The job issues an I/O after every `ioFreq` ticks of CPU; 0 = never. */
  readonly ioFreq: number
}

/** One instruction of a process-run program, as process-run.py names it. */
export type Instruction = "cpu" | "io" | "io_done"

/** One process-run process description `X:Y` (`-l`). */
export interface ProcessDescription {
  /** Number of instructions drawn; an integer >= 1. */
  readonly instructions: number
  /** Percent chance, 0 to 100, that an instruction is a CPU instruction (else an I/O). */
  readonly cpuPercent: number
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error })

/** A decimal number as typed (`3`, `2.5`, `.5`, `1e2`); rejects empty text, `NaN` and infinities. */
function readNumber(text: string): number | undefined {
  const trimmed = text.trim()
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : undefined
}

/** A whole number as typed (`0`, `12`, `-3`). */
function readInteger(text: string): number | undefined {
  const trimmed = text.trim()
  if (!/^[+-]?\d+$/.test(trimmed)) return undefined
  const value = Number(trimmed)
  return Number.isSafeInteger(value) ? value : undefined
}

/**
 * CPU jobs: `24,3,3` or `5/3/5,4` (see the file header).
 * @returns one burst list per job, `[cpu]` or `[cpu, io, cpu, ...]`, every burst finite and > 0
 */
export function parseBursts(text: string): Parsed<number[][]> {
  const entries = text.split(",")
  const jobs: number[][] = []
  for (const [index, entry] of entries.entries()) {
    const parts = entry.split("/")
    const bursts: number[] = []
    for (const part of parts) {
      const value = readNumber(part)
      if (value === undefined || !(value > 0)) {
        return fail(
          `job ${index}'s entry "${entry}" is not a burst list; each burst must be a number > 0 (e.g. 24,3,3 or 5/3/5 for CPU/I-O/CPU)`,
        )
      }
      bursts.push(value)
    }
    if (bursts.length % 2 === 0) {
      return fail(
        `job ${index}'s entry "${entry}" ends with an I/O burst; a job starts and ends with a CPU burst (CPU/I-O/CPU...)`,
      )
    }
    jobs.push(bursts)
  }
  return ok(jobs)
}

/** Options of {@link parsePerJob}. */
export interface PerJobOptions {
  /** Name of the values in messages (`"arrival"`). Required. */
  readonly what: string
  /** Integers only. Default false. */
  readonly integer?: boolean
  /** Smallest allowed value. Default 0. */
  readonly min?: number
}

/**
 * Per-job values: one per job, or a single value for all `jobs` of them (see the file header).
 * @returns exactly `jobs` values
 */
export function parsePerJob(text: string, jobs: number, options: PerJobOptions): Parsed<number[]> {
  const min = options.min ?? 0
  const kind = options.integer === true ? "an integer" : "a number"
  const values: number[] = []
  for (const part of text.split(",")) {
    const value = options.integer === true ? readInteger(part) : readNumber(part)
    if (value === undefined || value < min)
      return fail(`"${part}" is not a valid ${options.what}; each must be ${kind} >= ${min}`)
    values.push(value)
  }
  if (values.length === 1) return ok(Array.from({ length: jobs }, () => values[0]!))
  if (values.length !== jobs)
    return fail(`${values.length} ${options.what} values for ${jobs} jobs; give one per job, or a single value for all`)
  return ok(values)
}

/** MLFQ jobs in mlfq.py's `-l` format: `start,runTime,ioFreq:...`. */
export function parseMlfqJobs(text: string): Parsed<MlfqJobSpec[]> {
  const jobs: MlfqJobSpec[] = []
  for (const [index, entry] of text.split(":").entries()) {
    const fields = entry.split(",").map(readInteger)
    const [start, runTime, ioFreq] = fields
    if (fields.length !== 3 || start === undefined || runTime === undefined || ioFreq === undefined) {
      return fail(
        `job ${index} "${entry}" is not start,runTime,ioFreq (three integers; jobs separated by ':', e.g. 0,180,0:100,20,0)`,
      )
    }
    if (start < 0 || runTime < 1 || ioFreq < 0) {
      return fail(`job ${index} "${entry}": start must be >= 0, runTime >= 1 and ioFreq >= 0 (0 = no I/O)`)
    }
    jobs.push({ start, runTime, ioFreq })
  }
  return ok(jobs)
}

/**
 * A per-queue list of integers, highest priority first (`10,20,40`).
 * @param min - smallest allowed entry
 */
export function parseQueueList(text: string, what: string, min: number): Parsed<number[]> {
  const values: number[] = []
  for (const part of text.split(",")) {
    const value = readInteger(part)
    if (value === undefined || value < min)
      return fail(
        `"${part}" is not a valid ${what}; each must be an integer >= ${min} (highest queue first, e.g. 10,20,40)`,
      )
    values.push(value)
  }
  return ok(values)
}

/** Programs in process-run.py's `-P` format: `c7,i,c1,i:c3`. */
export function parsePrograms(text: string): Parsed<Instruction[][]> {
  const programs: Instruction[][] = []
  for (const [pid, program] of text.split(":").entries()) {
    const code: Instruction[] = []
    for (const token of program.split(",")) {
      const trimmed = token.trim()
      if (trimmed === "i") {
        code.push("io", "io_done")
        continue
      }
      const count = /^c\d+$/.test(trimmed) ? Number(trimmed.slice(1)) : NaN
      if (!(count >= 1 && count <= MAX_INSTRUCTIONS)) {
        return fail(
          `process ${pid}: "${token}" is not an instruction; use cN (1 <= N <= ${MAX_INSTRUCTIONS} compute instructions) or i (an I/O), e.g. c7,i,c1,i:c3`,
        )
      }
      for (let i = 0; i < count; i++) code.push("cpu")
    }
    programs.push(code)
  }
  return ok(programs)
}

/** Process descriptions in process-run.py's `-l` format: `5:50,4:100`. */
export function parseProcessList(text: string): Parsed<ProcessDescription[]> {
  const processes: ProcessDescription[] = []
  for (const [pid, entry] of text.split(",").entries()) {
    const parts = entry.split(":")
    const instructions = parts.length === 2 ? readInteger(parts[0]!) : undefined
    const cpuPercent = parts.length === 2 ? readNumber(parts[1]!) : undefined
    if (
      instructions === undefined ||
      cpuPercent === undefined ||
      instructions < 1 ||
      instructions > MAX_INSTRUCTIONS ||
      cpuPercent < 0 ||
      cpuPercent > 100
    ) {
      return fail(
        `process ${pid} "${entry}" is not X:Y (1 <= X <= ${MAX_INSTRUCTIONS} instructions, Y from 0 to 100 = percent chance of a CPU instruction), e.g. 5:100,4:50`,
      )
    }
    processes.push({ instructions, cpuPercent })
  }
  return ok(processes)
}
