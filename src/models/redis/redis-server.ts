/**
 * The simulated Redis server: one keyspace, one command at a time, answering argv arrays exactly as
 * Redis 7.0 answers them (RESP2 replies, Redis's own error texts).
 *
 * `execute(argv)` runs one command at the server's current time, read from its clock once per
 * command (Redis's `commandTimeSnapshot`) and floored to whole ms. Keys expire lazily on access and
 * actively when {@link RedisServer.expireDue} runs (the node wrapper runs it 10 times a second, as
 * Redis's `hz 10`). Commands: see {@link COMMAND_NAMES}; anything else answers Redis's unknown-command
 * error. Left out on purpose: persistence, replication, databases other than 0, RESP3, and every
 * command not listed. See docs/redis.md.
 */
import type { CommandContext, CommandSpec } from "./redis-command.ts"
import { unknownCommand, wrongArity } from "./redis-errors.ts"
import { fcall } from "./redis-functions.ts"
import { HASH_COMMANDS } from "./redis-hash-commands.ts"
import { type ExpiryWay, Keyspace } from "./redis-keyspace.ts"
import type { RedisReply } from "./redis-reply.ts"
import { STRING_COMMANDS } from "./redis-string-commands.ts"
import { ZSET_COMMANDS } from "./redis-zset-commands.ts"

const SPECS: readonly CommandSpec[] = [
  ...STRING_COMMANDS,
  ...HASH_COMMANDS,
  ...ZSET_COMMANDS,
  { name: "fcall", arity: -3, run: fcall },
]

/** The table, by lower-case and upper-case name (the usual spellings, found without lower-casing). */
const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  SPECS.flatMap((spec) => [
    [spec.name, spec],
    [spec.name.toUpperCase(), spec],
  ]),
)

/** The commands the simulated Redis knows, lower-case. */
export const COMMAND_NAMES: readonly string[] = SPECS.map((spec) => spec.name)

/** Options of a {@link RedisServer}. */
export interface RedisServerOptions {
  /** The server's clock, in ms (a node's local clock: skew and jumps move expiry). Required. */
  readonly clock: () => number
  /** Called for every key removed because its TTL passed. Default: nothing. */
  readonly onKeyExpired?: (key: string, way: ExpiryWay) => void
}

/** A Redis server's state and command executor. */
export class RedisServer {
  /** The keys and values. */
  readonly keyspace: Keyspace
  private readonly clock: () => number
  private readonly context: { keyspace: Keyspace; nowMs: number; call: (argv: readonly string[]) => RedisReply }

  constructor(options: RedisServerOptions) {
    this.clock = options.clock
    this.keyspace = new Keyspace(options.onKeyExpired === undefined ? {} : { onExpired: options.onKeyExpired })
    this.context = { keyspace: this.keyspace, nowMs: 0, call: (argv) => this.dispatch(argv) }
  }

  /** Runs one command at the server's current time and returns Redis's reply. */
  execute(argv: readonly string[]): RedisReply {
    this.context.nowMs = Math.floor(this.clock())
    return this.dispatch(argv)
  }

  /** The active expiry cycle: removes every key whose TTL has passed; returns how many. */
  expireDue(): number {
    return this.keyspace.expireDue(Math.floor(this.clock()))
  }

  /** Forgets every key (a restart without persistence). */
  flushAll(): void {
    for (const [key] of [...this.keyspace.all()]) this.keyspace.remove(key)
  }

  private dispatch(argv: readonly string[]): RedisReply {
    const name = argv[0]
    const spec = name === undefined ? undefined : (COMMANDS.get(name) ?? COMMANDS.get(name.toLowerCase()))
    if (spec === undefined) return unknownCommand(argv)
    const arity = spec.arity
    if (arity > 0 ? argv.length !== arity : argv.length < -arity) return wrongArity(spec.name)
    return spec.run(this.context as CommandContext, argv)
  }
}
