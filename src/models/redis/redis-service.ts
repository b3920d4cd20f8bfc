/**
 * A Redis server on a simulated node: clients send argv arrays over the network and get replies,
 * so latency, pauses, partitions and crashes apply, and the server's clock is the node's local
 * clock (a clock jump on the node moves every expiry, as on a real host).
 *
 * One command at a time, in arrival order (Redis's single thread). Every command is recorded as
 * `CommandExecuted` with its reply. A request the network delivered twice (its duplication fault)
 * runs once: on a TCP connection a command sent once is executed once, so the copy gets the first
 * reply again. For that the server keeps the replies of its last `duplicateWindow` calls (a copy
 * arriving later than that would run again; the network's copies arrive within a latency or two). The active expiry cycle runs `hz` times a second of the node's
 * clock. A crash loses every key (no persistence, as `--save '' --appendonly no`): the model's
 * lesson that a restarted Redis forgets its locks. See docs/redis.md ("On a node").
 */
import type { TraceOf } from "../../kernel/index.ts"
import type { NetworkContext } from "../../net/index.ts"
import { Rpc } from "../../net/index.ts"
import type { RedisEvent } from "./redis-events.ts"
import { type RedisReply, replyToJson } from "./redis-reply.ts"
import { RedisServer } from "./redis-server.ts"

/** The port (RPC service) Redis requests travel on. */
export const REDIS_SERVICE = "redis"

/** Options of a {@link RedisService}. */
export interface RedisServiceOptions {
  /** Where the events go (`sim.trace`). Required. */
  readonly trace: TraceOf<RedisEvent>
  /** Active expiry cycles per second of the node's clock (Redis's `hz`). Default 10. */
  readonly hz?: number
  /** Calls whose replies are kept to answer a duplicated request again without running it. Default 10,000. */
  readonly duplicateWindow?: number
}

/** The Redis server process on one node, reachable over the network. */
export class RedisService {
  /** The server's state and executor (its clock is the node's). */
  readonly server: RedisServer

  constructor(
    /** The network the clients reach it on. */
    readonly network: NetworkContext,
    /** The node it runs on. */
    readonly nodeName: string,
    /** The RPC helper shared with the clients (service {@link REDIS_SERVICE}). */
    readonly rpc: Rpc,
    options: RedisServiceOptions,
  ) {
    const node = network.node(nodeName)
    const trace = options.trace
    const cycleMs = 1000 / (options.hz ?? 10)
    if (!(cycleMs > 0 && cycleMs < Infinity))
      throw new RangeError(`redis on ${nodeName}: hz must be > 0, got ${options.hz}`)
    this.server = new RedisServer({
      clock: () => node.clock(),
      onKeyExpired: (key, way) => trace.record({ type: "KeyExpired", node: nodeName, key, way }),
    })
    const answered = new Map<number, RedisReply>()
    const window = options.duplicateWindow ?? 10_000
    if (!(Number.isInteger(window) && window >= 0))
      throw new RangeError(`redis on ${nodeName}: duplicateWindow must be an integer >= 0, got ${window}`)
    rpc.serve<readonly string[], RedisReply>(nodeName, (argv, context) => {
      const again = answered.get(context.callId)
      if (again !== undefined) return again
      const reply = this.server.execute(argv)
      answered.set(context.callId, reply)
      if (answered.size > window) answered.delete(answered.keys().next().value!)
      trace.record({ type: "CommandExecuted", node: nodeName, client: context.from, argv, reply: replyToJson(reply) })
      return reply
    })
    const server = this.server
    const expiryCycle = function* () {
      for (;;) {
        yield* node.sleepLocal(cycleMs)
        server.expireDue()
      }
    }
    node.spawn(expiryCycle(), "redis-active-expiry")
    node.onRestart(() => void node.spawn(expiryCycle(), "redis-active-expiry"))
    node.onCrash(() => {
      const keys = server.keyspace.size
      server.flushAll()
      trace.record({ type: "KeyspaceLost", node: nodeName, keys })
    })
  }
}

/** Creates the RPC helper Redis clients and servers on `network` share. */
export function redisRpc(network: NetworkContext): Rpc {
  return new Rpc(network, { service: REDIS_SERVICE })
}
