/**
 * Fresh problems from a seed, drawn exactly as the OSTEP homework simulators draw them.
 *
 * OSTEP's `scheduler.py`, `mlfq.py` and `process-run.py` seed Python's `random` with `-s` and draw
 * their random jobs from it. Here the draws come from the kernel's {@link MersenneTwister}, which
 * reproduces CPython's generator, seeded with the run's `--seed`: so `--seed S` gives the very jobs
 * that OSTEP's `-s S` gives, and a class keeps its answer keys. (The kernel's named streams use
 * another generator; these three functions are the only place the scheduling lessons draw
 * random numbers.)
 *
 * - scheduler.py: job length `int(maxlen · random()) + 1`.
 * - mlfq.py: per job, `runTime = int(random() · (maxlen − 1) + 1)` then
 *   `ioFreq = int(random() · (maxio − 1) + 1)`; every job starts at 0.
 * - process-run.py `-l X:Y`: for each of the X instructions, a CPU instruction if
 *   `random() < Y/100`, else an I/O followed by its I/O-done instruction; processes in order.
 */
import { MersenneTwister } from "../../kernel/index.ts"
import type { Instruction, MlfqJobSpec, ProcessDescription } from "./job-list.ts"

/** Job lengths as scheduler.py draws them for `-s seed -j count -m maxLen`. */
export function randomSchedulerBursts(seed: number, count: number, maxLen: number): number[] {
  const random = new MersenneTwister(seed)
  return Array.from({ length: count }, () => Math.floor(maxLen * random.next()) + 1)
}

/** Jobs as mlfq.py draws them for `-s seed -j count -m maxLen -M maxIo`. */
export function randomMlfqJobs(seed: number, count: number, maxLen: number, maxIo: number): MlfqJobSpec[] {
  const random = new MersenneTwister(seed)
  return Array.from({ length: count }, () => {
    const runTime = Math.trunc(random.next() * (maxLen - 1) + 1)
    const ioFreq = Math.trunc(random.next() * (maxIo - 1) + 1)
    return { start: 0, runTime, ioFreq }
  })
}

/** Programs as process-run.py draws them for `-s seed -l X:Y,...`. */
export function randomPrograms(seed: number, processes: readonly ProcessDescription[]): Instruction[][] {
  const random = new MersenneTwister(seed)
  return processes.map(({ instructions, cpuPercent }) => {
    const chanceCpu = cpuPercent / 100
    const code: Instruction[] = []
    for (let i = 0; i < instructions; i++) {
      if (random.next() < chanceCpu) code.push("cpu")
      else code.push("io", "io_done")
    }
    return code
  })
}
