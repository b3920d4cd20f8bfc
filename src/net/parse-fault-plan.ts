/**
 * Reading and validating fault plans: from the JSON of a `--faults '<json>'` flag, or from any
 * value that claims to be a plan (a hand-written one, a generated one).
 *
 * One reader does it all: {@link faultPlanProblems} lists every problem of a plan (what property
 * tests assert is empty), {@link validateFaultPlan} refuses a plan with its first problem or returns
 * a clean copy, and {@link parseFaultPlan} adds the JSON step. Each problem names the offending
 * fault (by index), the field, the value and what is allowed, e.g.
 * `faults[2] (pause): durationMs is -5; allowed: a finite number > 0`. Unknown fields are refused
 * too, so a typo (`durationMS`) cannot silently do nothing.
 *
 * The rules, beyond each field's type and range:
 * - every time is a finite number >= 0; every fault starts (`at`) before the plan's `healAt`;
 * - an end (`restartAt`, a partition's `healAt`, a link fault's `until`) comes after its `at`;
 *   an end after the plan's `healAt` is allowed: healing ends the fault at `healAt`;
 * - node names must be among `options.nodes` when given; partition groups are non-empty,
 *   disjoint lists of nodes;
 * - a clock fault's `driftRate` is > -1 (a clock fault with neither `skewMs` nor `driftRate` is a
 *   valid no-op, as generated plans may round both to nothing);
 * - `restart: false` cannot be combined with `restartAt`.
 *
 * Overlapping faults are valid (see `fault-injector.ts` for what they do), and so are faults that
 * change nothing (a link fault with no effect, a partition whose one group holds every node).
 * Not checked: whether a plan makes sense for a model (a crash of a node already down is the
 * model's business).
 */
import { FAULT_KINDS, type Fault, type FaultPlan } from "./fault-plan.ts"

/** The outcome of reading a plan: the plan, or one error message. */
export type FaultPlanResult =
  { readonly ok: true; readonly plan: FaultPlan } | { readonly ok: false; readonly error: string }

/** Options of {@link faultPlanProblems}, {@link parseFaultPlan} and {@link validateFaultPlan}. */
export interface FaultPlanValidationOptions {
  /** The nodes a plan may name; any name is refused otherwise. Default: any name is accepted. */
  readonly nodes?: readonly string[]
}

/** Reads a plan from JSON text; see the file header for the rules. */
export function parseFaultPlan(json: string, options: FaultPlanValidationOptions = {}): FaultPlanResult {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    return {
      ok: false,
      error: `the fault plan is not valid JSON (${(error as Error).message}); allowed: {"faults":[...],"healAt":N}`,
    }
  }
  return validateFaultPlan(value, options)
}

/** Checks that `value` is a valid plan and returns a clean copy of it, or its first problem; see the file header. */
export function validateFaultPlan(value: unknown, options: FaultPlanValidationOptions = {}): FaultPlanResult {
  const { plan, problems } = readPlan(value, options.nodes)
  return plan === undefined ? { ok: false, error: problems[0]! } : { ok: true, plan }
}

/**
 * What is wrong with `value` as a fault plan, one message per problem in reading order (plan
 * fields, then each fault); an empty list means the plan is valid. Accepts `unknown` so parsed JSON
 * can be checked before it is trusted.
 */
export function faultPlanProblems(value: unknown, options: FaultPlanValidationOptions = {}): string[] {
  return readPlan(value, options.nodes).problems
}

const FIELDS: Readonly<Record<Fault["kind"], readonly string[]>> = {
  crash: ["kind", "node", "at", "restartAt", "restart", "diskLoss"],
  pause: ["kind", "node", "at", "durationMs"],
  partition: ["kind", "groups", "at", "healAt", "oneWay"],
  clock: ["kind", "node", "at", "skewMs", "driftRate"],
  link: ["kind", "from", "to", "at", "until", "dropProbability", "duplicateProbability", "extraDelayMs"],
}

/** A value as a problem message shows it: `missing`, `NaN`, or its JSON. */
function show(value: unknown): string {
  if (value === undefined) return "missing"
  if (typeof value === "number" && !Number.isFinite(value)) return String(value)
  return JSON.stringify(value)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0
}

/** Every problem found, and the clean plan when there is none. */
function readPlan(value: unknown, nodes: readonly string[] | undefined): { plan?: FaultPlan; problems: string[] } {
  if (!isRecord(value))
    return { problems: [`the fault plan is ${show(value)}; allowed: an object {"faults":[...],"healAt":N}`] }
  const problems: string[] = []
  for (const key of Object.keys(value)) {
    if (key !== "faults" && key !== "healAt")
      problems.push(`the fault plan has an unknown field "${key}"; allowed: faults, healAt`)
  }
  const healAt = value.healAt
  const validHealAt = isTime(healAt) ? healAt : undefined
  if (healAt !== undefined && validHealAt === undefined)
    problems.push(`healAt is ${show(healAt)}; allowed: a finite number >= 0`)
  const faults = value.faults
  if (!Array.isArray(faults)) {
    problems.push(`faults is ${show(faults)}; allowed: an array of faults`)
    return { problems }
  }
  const read = faults.map((fault, index) => new FaultReader(nodes, validHealAt, problems).read(fault, index))
  if (problems.length > 0) return { problems }
  const clean = read as Fault[]
  return { plan: validHealAt === undefined ? { faults: clean } : { faults: clean, healAt: validHealAt }, problems }
}

/**
 * Reads one fault, adding each problem (with the context every message needs) to a shared list.
 * Field readers return the field's value, or undefined when it is missing or has a problem.
 */
class FaultReader {
  private where = ""
  private fault: Record<string, unknown> = {}
  private readonly problemsBefore: number

  constructor(
    private readonly nodes: readonly string[] | undefined,
    private readonly healAt: number | undefined,
    private readonly problems: string[],
  ) {
    this.problemsBefore = problems.length
  }

  /** The clean fault, or undefined when it has a problem. */
  read(value: unknown, index: number): Fault | undefined {
    if (!isRecord(value)) {
      this.problems.push(`faults[${index}] is ${show(value)}; allowed: an object with a "kind"`)
      return undefined
    }
    const kind = value.kind
    if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      this.problems.push(`faults[${index}]: kind is ${show(kind)}; allowed: ${FAULT_KINDS.join(", ")}`)
      return undefined
    }
    this.where = `faults[${index}] (${kind})`
    this.fault = value
    const allowed = FIELDS[kind as Fault["kind"]]
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problem(`has an unknown field "${key}"; allowed: ${allowed.join(", ")}`)
    }
    const at = this.time("at", true)
    if (at !== undefined && this.healAt !== undefined && !(at < this.healAt)) {
      this.problem(`at is ${at}; allowed: before the plan's healAt ${this.healAt}`)
    }
    const fault = this.kindFields(kind as Fault["kind"], at ?? 0, at !== undefined)
    return this.problems.length === this.problemsBefore ? fault : undefined
  }

  /** The fault's own fields; a field with a problem may be left undefined, as `read` then drops the fault. */
  private kindFields(kind: Fault["kind"], at: number, atIsValid: boolean): Fault {
    switch (kind) {
      case "crash":
        return this.crash(at, atIsValid)
      case "pause":
        return { kind: "pause", node: this.node("node", true)!, at, durationMs: this.positive("durationMs")! }
      case "partition":
        return this.partition(at, atIsValid)
      case "clock":
        return this.clock(at)
      case "link":
        return this.link(at, atIsValid)
    }
  }

  private crash(at: number, atIsValid: boolean): Fault {
    const node = this.node("node", true)!
    const restartAt = this.end("restartAt", at, atIsValid)
    const restart = this.boolean("restart")
    if (restart === false && restartAt !== undefined) {
      this.problem(`restartAt is ${restartAt} with restart false; allowed: one or the other`)
    }
    const diskLoss = this.boolean("diskLoss")
    return {
      kind: "crash",
      node,
      at,
      ...(restartAt === undefined ? {} : { restartAt }),
      ...(restart === undefined ? {} : { restart }),
      ...(diskLoss === undefined ? {} : { diskLoss }),
    }
  }

  private partition(at: number, atIsValid: boolean): Fault {
    const groups = this.fault.groups
    const allowed = "allowed: a non-empty array of non-empty arrays of node names"
    let read: string[][] = []
    if (!Array.isArray(groups) || groups.length === 0) {
      this.problem(`groups is ${show(groups)}; ${allowed}`)
    } else {
      const seen = new Set<string>()
      read = groups.map((group, g) => {
        if (!Array.isArray(group) || group.length === 0) {
          this.problem(`groups[${g}] is ${show(group)}; ${allowed}`)
          return []
        }
        return group.map((name, n) => {
          const node = this.nodeName(`groups[${g}][${n}]`, name)
          if (node !== undefined && seen.has(node)) {
            this.problem(`groups[${g}][${n}] is "${node}", already in another group; allowed: disjoint groups`)
          }
          if (node !== undefined) seen.add(node)
          return node!
        })
      })
    }
    const healAt = this.end("healAt", at, atIsValid)
    const oneWay = this.boolean("oneWay")
    return {
      kind: "partition",
      groups: read,
      at,
      ...(healAt === undefined ? {} : { healAt }),
      ...(oneWay === undefined ? {} : { oneWay }),
    }
  }

  private clock(at: number): Fault {
    const node = this.node("node", true)!
    let skewMs = this.fault.skewMs
    if (skewMs !== undefined && !(typeof skewMs === "number" && Number.isFinite(skewMs))) {
      this.problem(`skewMs is ${show(skewMs)}; allowed: a finite number (negative: behind)`)
      skewMs = undefined
    }
    let driftRate = this.fault.driftRate
    if (driftRate !== undefined && !(typeof driftRate === "number" && driftRate > -1 && Number.isFinite(driftRate))) {
      this.problem(`driftRate is ${show(driftRate)}; allowed: a finite number > -1 (0.01: 1% fast)`)
      driftRate = undefined
    }
    return {
      kind: "clock",
      node,
      at,
      ...(skewMs === undefined ? {} : { skewMs: skewMs as number }),
      ...(driftRate === undefined ? {} : { driftRate: driftRate as number }),
    }
  }

  private link(at: number, atIsValid: boolean): Fault {
    const from = this.node("from", false)
    const to = this.node("to", false)
    const until = this.end("until", at, atIsValid)
    const dropProbability = this.probability("dropProbability")
    const duplicateProbability = this.probability("duplicateProbability")
    const extraDelayMs = this.time("extraDelayMs", false)
    return {
      kind: "link",
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      at,
      ...(until === undefined ? {} : { until }),
      ...(dropProbability === undefined ? {} : { dropProbability }),
      ...(duplicateProbability === undefined ? {} : { duplicateProbability }),
      ...(extraDelayMs === undefined ? {} : { extraDelayMs }),
    }
  }

  private problem(text: string): undefined {
    this.problems.push(`${this.where}: ${text}`)
    return undefined
  }

  private node(field: string, required: boolean): string | undefined {
    const value = this.fault[field]
    if (value === undefined && !required) return undefined
    return this.nodeName(field, value)
  }

  private nodeName(field: string, value: unknown): string | undefined {
    if (typeof value !== "string" || value === "")
      return this.problem(`${field} is ${show(value)}; allowed: a node name`)
    if (this.nodes !== undefined && !this.nodes.includes(value)) {
      return this.problem(`${field} is ${show(value)}, an unknown node; allowed: ${this.nodes.join(", ")}`)
    }
    return value
  }

  private time(field: string, required: boolean): number | undefined {
    const value = this.fault[field]
    if (value === undefined && !required) return undefined
    if (!isTime(value)) return this.problem(`${field} is ${show(value)}; allowed: a finite number >= 0`)
    return value
  }

  private positive(field: string): number | undefined {
    const value = this.fault[field]
    if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) {
      return this.problem(`${field} is ${show(value)}; allowed: a finite number > 0`)
    }
    return value
  }

  /** An end time: after `at` when `at` itself is valid (otherwise only its own range is checked). */
  private end(field: string, at: number, atIsValid: boolean): number | undefined {
    const value = this.time(field, false)
    if (value !== undefined && atIsValid && !(value > at))
      return this.problem(`${field} is ${value}; allowed: a time after at ${at}`)
    return value
  }

  private probability(field: string): number | undefined {
    const value = this.fault[field]
    if (value === undefined) return undefined
    if (!(typeof value === "number" && value >= 0 && value <= 1))
      return this.problem(`${field} is ${show(value)}; allowed: a probability in [0, 1]`)
    return value
  }

  private boolean(field: string): boolean | undefined {
    const value = this.fault[field]
    if (value !== undefined && typeof value !== "boolean")
      return this.problem(`${field} is ${show(value)}; allowed: true or false`)
    return value as boolean | undefined
  }
}
