/**
 * What the two resource-snapshot sims (bankers, deadlock-detection) share: the flags that describe
 * a snapshot (Available, a matrix per process, or a snapshot drawn from the seed), the constraint
 * that refuses rows that disagree, the quiz's answer when the snapshot is drawn, the step timeline
 * and the table of a scan's steps (the banker's safety algorithm and detection scan alike). Each sim keeps the flags that differ (Max and --requests, or Request and --recovery).
 */
import { type Constraint, flag, type FlagSpec, renderTable, type TimelineEntry } from "../../src/cli/index.ts"
import { type Simulation, TraceSample } from "../../src/kernel/index.ts"
import { type DeadlockEvent, deadlockTimeline, isDeadlockRecord } from "../../src/models/deadlock/index.ts"
import { parseMatrix, parseVector, processName, type ScanStep } from "../../src/models/deadlock/index.ts"

/** Trace records the timeline tells before it stops (every step of the default runs fits). */
const TIMELINE_MAX_RECORDS = 200

/** A snapshot built from the flags, or the reader's sentence saying what is wrong with them. */
export type Built<S> = { readonly ok: true; readonly value: S } | { readonly ok: false; readonly error: string }

/** The reader's sentence when a value does not parse, for a string flag's `check`. */
function problemOf(parsed: { ok: true } | { ok: false; error: string }): string | undefined {
  return parsed.ok ? undefined : parsed.error
}

/** `--available`: free instances of each resource type, `fallback` by default. */
export function availableFlag(fallback: string): FlagSpec<string> {
  return flag.string({
    description: "free instances of each resource type A, B, C, ... (Available)",
    unit: "instances",
    default: fallback,
    allowed: "counts separated by ',' (whole numbers >= 0)",
    check: (text) => problemOf(parseVector(text, "Available")),
  })
}

/** A matrix flag (one row per process, rows separated by ':'), parsed as the matrix `name`. */
export function matrixFlag(options: {
  readonly name: string
  readonly description: string
  readonly default: string
  readonly allowed: string
}): FlagSpec<string> {
  const { name, ...rest } = options
  return flag.string({ ...rest, unit: "instances", check: (text) => problemOf(parseMatrix(text, name)) })
}

/** `--random-processes` (`description` says what it draws and overrides) and `--random-resources`. */
export function randomSnapshotFlags(description: string) {
  return {
    randomProcesses: flag.integer({ description, unit: "processes", default: 0, min: 0, max: 12 }),
    randomResources: flag.integer({
      description: "resource types of a drawn snapshot (with --random-processes)",
      unit: "resource types",
      default: 3,
      min: 1,
      max: 6,
    }),
  }
}

/** What a snapshot sim's params have in common. */
interface SnapshotParams {
  readonly randomProcesses: number
}

/**
 * The snapshot flags `params` must agree with each other, as `build` (with seed 0) says; checked
 * only when no snapshot is drawn. The message is `build`'s sentence.
 */
export class SnapshotConstraint<P extends SnapshotParams> implements Constraint<P> {
  private error = ""

  constructor(
    readonly params: readonly (keyof P & string)[],
    private readonly build: (params: P, seed: number) => Built<unknown>,
  ) {}

  holds = (params: P): boolean => {
    const built = params.randomProcesses > 0 ? undefined : this.build(params, 0)
    this.error = built === undefined || built.ok ? "" : built.error
    return this.error === ""
  }

  get message(): string {
    return this.error
  }
}

/** The quiz: `lines` for the snapshot, or, for a drawn snapshot without a seed, how to see it. */
export function snapshotQuiz<P extends SnapshotParams>(
  params: P,
  seed: number | undefined,
  lines: (params: P, seed: number) => string[],
): string {
  if (params.randomProcesses > 0 && seed === undefined)
    return "The snapshot is drawn from the seed; run without --quiz to see it."
  return lines(params, seed ?? 0).join("\n")
}

/** The sample of a text run's step records (none for JSON); start it before the scenario runs. */
export function stepSample(sim: Simulation, output: "text" | "json"): TraceSample<DeadlockEvent> | undefined {
  return output === "text" ? new TraceSample(sim.trace, isDeadlockRecord, TIMELINE_MAX_RECORDS) : undefined
}

/** The step timeline, titled with how many of how many steps it shows when it is cut. */
export function stepTimeline(sample: TraceSample<DeadlockEvent> | undefined): {
  title: string
  entries: TimelineEntry[]
} {
  const total = sample?.total ?? 0
  const title =
    total > TIMELINE_MAX_RECORDS
      ? `Timeline (the first ${TIMELINE_MAX_RECORDS} of ${total} steps; t = step)`
      : "Timeline (t = step)"
  return { title, entries: deadlockTimeline(sample?.records ?? []) }
}

/** A scan's steps as a table: each process taken, its `demand` ("Need" or "Request") and Work. */
export function scanTable(steps: readonly ScanStep[], demand: string): string[] {
  const rows = steps.map((step, k) => [
    String(k + 1),
    String(step.pass),
    processName(step.process),
    `(${step.demand.join(",")})`,
    `(${step.work.join(",")})`,
    `(${step.workAfter.join(",")})`,
  ])
  const columns = [
    { header: "step", align: "right" },
    { header: "pass", align: "right" },
    { header: "takes" },
    { header: `${demand} <= Work`, align: "right" },
    { header: "Work before", align: "right" },
    { header: "Work after", align: "right" },
  ] as const
  return renderTable(columns, rows)
}
