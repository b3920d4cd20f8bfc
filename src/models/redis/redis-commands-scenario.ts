/**
 * One client typing a script of commands at one Redis server over the simulated network: what
 * `sims/redis-commands.ts` runs. `sleep <ms>` steps pause the client, so TTLs pass in simulated
 * time, not wall time.
 */
import type { Advance, JsonValue, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation, Traced } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, jitteredLatency, Network, NO_FAULTS } from "../../net/index.ts"
import { RedisClient } from "./redis-client.ts"
import type { CommandExecuted, KeyExpired, RedisEvent } from "./redis-events.ts"
import { type RedisReply, replyToJson } from "./redis-reply.ts"
import type { ScriptStep } from "./redis-script.ts"
import { redisRpc, RedisService } from "./redis-service.ts"

/** The server's node. */
export const REDIS_NODE = "redis"
/** The client's node. */
export const CLIENT_NODE = "client"

/** The longest latency as a multiple of the mean (`jitteredLatency`: uniform within ±50%). */
const JITTER_MAX = 1.5

/** Options of a {@link RedisCommandsScenario}. */
export interface RedisCommandsOptions {
  /** The script. Required. */
  readonly steps: readonly ScriptStep[]
  /** Mean one-way latency between client and server, in ms, uniform within ±50%. Default 0 (a local prompt). */
  readonly latencyMs?: number
  /** How long the client waits for each reply, in ms. Default 1000. */
  readonly timeoutMs?: number
  /** Faults on the nodes `redis` and `client`. Default: none. */
  readonly plan?: FaultPlan
}

/** One command as the server executed it. */
export interface ExecutedCommand {
  /** The server's simulated time when it ran the command, in ms. */
  readonly t: number
  readonly argv: readonly string[]
  readonly reply: RedisReply
}

/** What a scripted session measured. */
export class RedisCommandsResult implements ScenarioResult {
  constructor(
    /** Every command the server executed, in order. */
    readonly replies: readonly ExecutedCommand[],
    /** Commands the client got no reply to within its timeout. */
    readonly unanswered: number,
    /** Keys the server found expired on access and removed. */
    readonly expiredLazily: number,
    /** Keys the server's active expiry cycle removed. */
    readonly expiredActively: number,
  ) {}

  /** The sim's JSON metrics: `replies` as `{ t, argv, reply }`. */
  summary(): { readonly [metric: string]: JsonValue } {
    return {
      replies: this.replies.map(({ t, argv, reply }) => ({
        t,
        argv: [...argv],
        reply: replyToJson(reply) as unknown as JsonValue,
      })),
    }
  }
}

/** The scripted session, wired: a server node, a client node, the network between them. */
export class RedisCommandsScenario {
  readonly network: Network
  readonly service: RedisService
  /** Simulated time by which the script has ended, in ms (every sleep and the longest round trips). */
  readonly endMs: number
  private readonly executed: ExecutedCommand[] = []
  private readonly timeoutMs: number
  private readonly commands: number
  private finished = false
  private unanswered = 0
  private readonly expired = { lazy: 0, active: 0 }

  constructor(
    readonly sim: Simulation,
    options: RedisCommandsOptions,
  ) {
    const latencyMs = options.latencyMs ?? 0
    this.network = new Network(sim, { link: { latency: jitteredLatency(latencyMs) } })
    this.network.addNode(REDIS_NODE)
    this.network.addNode(CLIENT_NODE)
    const rpc = redisRpc(this.network)
    this.service = new RedisService(this.network, REDIS_NODE, rpc, { trace: sim.trace })
    this.timeoutMs = options.timeoutMs ?? 1000
    const client = new RedisClient(rpc, CLIENT_NODE, REDIS_NODE, { timeoutMs: this.timeoutMs })
    const commands = options.steps.filter((step) => step.kind === "command").length
    this.commands = commands
    const sleeps = options.steps.reduce((sum, step) => sum + (step.kind === "sleep" ? step.ms : 0), 0)
    this.endMs = sleeps + 2 * JITTER_MAX * latencyMs * commands
    sim.trace.listen((record) => {
      if (record.type === "KeyExpired") this.expired[(record as Traced<KeyExpired>).way]++
      if (record.type !== "CommandExecuted") return
      const { t, argv, reply } = record as Traced<CommandExecuted>
      this.executed.push({ t, argv, reply })
    })
    const node = this.network.node(CLIENT_NODE)
    const self = this
    node.spawn(
      (function* () {
        for (const step of options.steps) {
          if (step.kind === "sleep") yield* node.sleepLocal(step.ms)
          else if (!(yield* client.call(step.argv)).ok) self.unanswered++
        }
        self.finished = true
      })(),
      "redis-cli",
    )
    applyFaultPlan(sim, this.network, options.plan ?? NO_FAULTS)
  }

  /**
   * Runs the script to its end: 1 ms after the last reply could have come, or, when faults held
   * replies back, in further steps of the client's timeout until the client has finished.
   */
  run(advance: Advance = runUntil): RedisCommandsResult {
    let until = this.endMs + 1
    const limit = until + this.commands * this.timeoutMs
    advance(this.sim, until)
    while (!this.finished && until < limit && this.sim.now >= until) {
      until = Math.min(limit, until + this.timeoutMs)
      advance(this.sim, until)
    }
    return new RedisCommandsResult(this.executed, this.unanswered, this.expired.lazy, this.expired.active)
  }
}

/** Re-exported for the sim's timeline filter. */
export type { RedisEvent }
