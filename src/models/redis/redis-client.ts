/**
 * A Redis client on a simulated node: sends one command and waits for its reply, at most
 * `timeoutMs` on its own clock (a timed-out command may still have run on the server, as with a
 * real client whose connection stalls).
 */
import type { Event } from "../../kernel/index.ts"
import type { Rpc } from "../../net/index.ts"
import type { RedisReply } from "./redis-reply.ts"

/** How a command ended for the client: its reply, or none within the timeout. */
export type CommandOutcome =
  { readonly ok: true; readonly reply: RedisReply } | { readonly ok: false; readonly reason: "timeout" }

/** Options of a {@link RedisClient}. */
export interface RedisClientOptions {
  /** How long to wait for a reply, in ms of the client's clock. Default 1000. */
  readonly timeoutMs?: number
}

/** A connection from node `from` to the Redis server on node `to`. */
export class RedisClient {
  private readonly timeoutMs: number

  constructor(
    /** The RPC helper the server uses (`redisRpc`). */
    private readonly rpc: Rpc,
    /** The client's node. */
    readonly from: string,
    /** The server's node. */
    readonly to: string,
    options: RedisClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1000
  }

  /** Sends `argv` and returns its reply: `const outcome = yield* client.call(["GET", "k"])`. Run it on node `from`. */
  *call(argv: readonly string[]): Generator<Event<any>, CommandOutcome, any> {
    const outcome = yield* this.rpc.call<RedisReply, readonly string[]>(this.from, this.to, argv, {
      timeoutMs: this.timeoutMs,
    })
    return outcome.ok ? { ok: true, reply: outcome.response } : { ok: false, reason: "timeout" }
  }
}
