/**
 * Redis commands on simulated time: what does Redis answer, and when does a key expire?
 * Covers: SET NX PX, PTTL, key expiry, FCALL lock_release, HINCRBY, ZADD/ZINCRBY/ZREVRANGE, Redis's
 *   errors
 * Scenario: two clients race for a 500ms lock; the TTL runs out; a late release is refused; likes
 *   and a ranking
 * Try: --commands 'SET k v PX 100; sleep 100; PTTL k; sleep 1; GET k'; --script FILE; --latency-ms
 *   5 --seed 2
 */
import { existsSync, readFileSync } from "node:fs"
import {
  type Constraint,
  defineSim,
  flag,
  formatCount,
  formatMs,
  fromSimulation,
  type Params,
  type TextSection,
  type WorkEstimate,
  workEstimate,
  runMain,
} from "../src/cli/index.ts"
import { TraceSample } from "../src/kernel/index.ts"
import {
  checkEveryCommandAnswered,
  formatReply,
  isRedisTimelineRecord,
  type ParsedScript,
  parseRedisScript,
  quoteWord,
  type RedisCommandsResult,
  RedisCommandsScenario,
  redisTimeline,
  type ScriptStep,
} from "../src/models/redis/index.ts"

/** The value of --commands that stands for the built-in demo script. */
const DEMO = "demo"

/** The bare run's script: a lock that expires, a late release refused, likes and a ranking. */
const DEMO_COMMANDS = [
  "SET lock:report client-1 NX PX 500",
  "SET lock:report client-2 NX PX 500",
  "sleep 500",
  "PTTL lock:report",
  "sleep 1",
  "SET lock:report client-2 NX PX 500",
  "FCALL lock_release 1 lock:report client-1",
  "GET lock:report",
  "HINCRBY likes post:7 1",
  "ZADD hot 12 post:3 40 post:7 40 post:9",
  "ZINCRBY hot 2.5 post:3",
  "ZREVRANGE hot 0 -1 WITHSCORES",
  "INCR lock:report",
].join("; ")

/** No script file. */
const NONE = "none"
/** Timeline lines shown at most. */
const TIMELINE_MAX = 60

/** The steps of --script FILE: the file read, then parsed one command per line. */
function readScript(path: string): ParsedScript {
  if (!existsSync(path)) return { ok: false, error: `no such file: ${path}` }
  try {
    return parseRedisScript(readFileSync(path, "utf8"), "\n")
  } catch (error) {
    return { ok: false, error: `cannot read ${path}: ${(error as Error).message}` }
  }
}

const flags = {
  commands: flag.string({
    description:
      "commands separated by ';', redis-cli style; 'sleep <ms>' advances simulated time; demo: the built-in script",
    default: DEMO,
    allowed: "demo, or commands separated by ';' (quotes as in redis-cli), with 'sleep <ms>' steps",
    check: (text) => {
      const parsed = parseRedisScript(text === DEMO ? DEMO_COMMANDS : text, ";")
      return parsed.ok ? undefined : parsed.error
    },
    help: ["The demo script (--commands demo):", ...DEMO_COMMANDS.split("; ").map((command) => `  ${command}`)],
  }),
  script: flag.string({
    description: "a file of commands, one per line ('#' starts a comment), instead of --commands",
    default: NONE,
    allowed: "none, or a readable file of commands, one per line",
    check: (path) => {
      if (path === NONE) return undefined
      const parsed = readScript(path)
      return parsed.ok ? undefined : parsed.error
    },
  }),
  latencyMs: flag.number({
    description: "mean one-way latency between client and server, uniform within ±50% (drawn from the seed)",
    unit: "ms",
    default: 0,
    min: 0,
    max: 100,
  }),
}

type RedisCommandsParams = Params<typeof flags>

/** --script replaces --commands: giving both is contradictory. */
const oneSource: Constraint<RedisCommandsParams> = {
  params: ["commands", "script"],
  holds: (params) => params.script === NONE || params.commands === DEMO,
  message: "give the commands with --commands or with --script, not both",
}

/** The script the params name: --script FILE, else --commands (demo: the built-in one). */
function parsedScript(params: RedisCommandsParams): ParsedScript {
  if (params.script !== NONE) return readScript(params.script)
  return parseRedisScript(params.commands === DEMO ? DEMO_COMMANDS : params.commands, ";")
}

function stepsOf(params: RedisCommandsParams): readonly ScriptStep[] {
  const parsed = parsedScript(params)
  if (!parsed.ok) throw new Error(`the flag checks let an invalid script through: ${parsed.error}`)
  return parsed.steps
}

/** The session as redis-cli shows it: each command, then its reply; sleeps as the time they skip. */
function session(steps: readonly ScriptStep[], result: RedisCommandsResult): TextSection {
  const lines: string[] = []
  let next = 0
  for (const step of steps) {
    if (step.kind === "sleep") {
      lines.push(`(sleep ${formatMs(step.ms)})`)
      continue
    }
    const executed = result.replies[next++]
    lines.push(
      `[t=${executed === undefined ? "?" : formatMs(executed.t)}] redis> ${step.argv.map(quoteWord).join(" ")}`,
    )
    lines.push(...(executed === undefined ? ["(no reply)"] : formatReply(executed.reply)))
  }
  return { title: "Session (as redis-cli prints it)", lines }
}

function summary(result: RedisCommandsResult): TextSection {
  const errors = result.replies.filter((command) => "error" in command.reply).length
  const lines = [
    `${formatCount(result.replies.length)} command(s) executed, ${formatCount(errors)} answered with an error.`,
    `Keys removed for their TTL: ${formatCount(result.expiredLazily)} found expired on access, ` +
      `${formatCount(result.expiredActively)} by the active cycle.`,
    "A key expires when the server's clock is strictly past its expiry time: with PX 500 set at t=0 it still",
    "answers at t=500 (PTTL 0) and is gone at t=501. Replies and error texts are Redis 7.0's own.",
  ]
  return { title: "Summary", lines }
}

/** Events per command, measured: 7 (two messages, the RPC records, the execution); 20 leaves room. */
const EVENTS_PER_COMMAND = 20
/** Events per second of a run, measured about 300,000; 100,000 leaves room. */
const EVENTS_PER_SECOND = 100_000

function estimate(params: RedisCommandsParams): WorkEstimate {
  const parsed = parsedScript(params)
  const list = parsed.ok ? parsed.steps : []
  const sleptMs = list.reduce((sum, step) => sum + (step.kind === "sleep" ? step.ms : 0), 0)
  const events = EVENTS_PER_COMMAND * list.length + sleptMs / 100 + 100
  return workEstimate({
    events,
    eventsPerSecond: EVENTS_PER_SECOND,
    simTime: sleptMs,
    advice: "use fewer commands or shorter sleeps",
  })
}

const redisCommands = defineSim({
  name: "redis-commands",
  title: "Redis commands on simulated time: what does Redis answer, and when does a key expire?",
  header: {
    covers: "SET NX PX, PTTL, key expiry, FCALL lock_release, HINCRBY, ZADD/ZINCRBY/ZREVRANGE, Redis's errors",
    scenario: "two clients race for a 500ms lock; the TTL runs out; a late release is refused; likes and a ranking",
    try: ["--commands 'SET k v PX 100; sleep 100; PTTL k; sleep 1; GET k'", "--script FILE", "--latency-ms 5 --seed 2"],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    replies: {
      description:
        "every command as executed: t (ms), argv, reply typed as " +
        "{status}, {integer}, {bulk} (null: nil), {array}, {error}",
      unit: "see fields",
    },
  },
  flags,
  estimate,
  constraints: [oneSource],
  quiz(params) {
    const steps = stepsOf(params)
    const lines = steps.map((step) => (step.kind === "sleep" ? `sleep ${step.ms}` : step.argv.map(quoteWord).join(" ")))
    return [
      "A client sends these commands to Redis, in order:",
      ...lines.map((line) => `  ${line}`),
      "What does Redis answer to each?",
    ].join("\n")
  },
  run(params, context) {
    const steps = stepsOf(params)
    const sim = context.simulation()
    const scenario = new RedisCommandsScenario(sim, { steps, latencyMs: params.latencyMs })
    const sample =
      context.output === "text" ? new TraceSample(sim.trace, isRedisTimelineRecord, TIMELINE_MAX) : undefined
    const result = scenario.run(context.advance)
    const timeline =
      sample === undefined
        ? undefined
        : {
            title:
              sample.total > TIMELINE_MAX
                ? `Timeline (the first ${TIMELINE_MAX} of ${sample.total} events)`
                : "Timeline",
            entries: sample.records.map((record) => ({ t: record.t, text: redisTimeline(record as never)! })),
          }
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [checkEveryCommandAnswered(result)],
      ...(timeline === undefined ? {} : { timeline }),
      sections: context.output === "text" ? [session(steps, result), summary(result)] : [],
    }
  },
})

export default redisCommands

await runMain(redisCommands, import.meta.url)
