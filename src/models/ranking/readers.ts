/**
 * The readers of one node: the front page is served from a local cache of the latest list, which
 * a refresher fetches from the protected storage every `refreshMs`. When the job stops producing
 * lists (its node paused or crashed, Redis down) or the storage does not answer, the cache keeps
 * serving the last good list — degradation instead of an outage — and every read measures how old
 * the list it served was. A list older than `staleAfterMs` is stale; the readers record when they
 * start and stop serving stale lists.
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { NodeContext, Rpc } from "../../net/index.ts"
import type { StoredList } from "./list-storage.ts"
import type { RankingEvent } from "./ranking-events.ts"

/** Options of a {@link Readers}. */
export interface ReadersOptions {
  /** The storage's node. Required. */
  readonly storageNode: string
  /** How often the cache asks the storage for the latest list, in ms. Required, > 0. */
  readonly refreshMs: number
  /** One read served every this many ms. Required, > 0. */
  readonly readEveryMs: number
  /** A list older than this is stale, in ms. Required, > 0. */
  readonly staleAfterMs: number
  /** How long the refresher waits for the storage, in ms. Default refreshMs. */
  readonly timeoutMs?: number
}

/** The readers and cache of one node, with what they measured. */
export class Readers {
  /** Reads served from a list (reads before the first list are not counted). */
  reads = 0
  /** Reads that served a stale list. */
  staleReads = 0
  /** The oldest list served, in ms. */
  maxStalenessMs = 0
  private cached: StoredList | null = null
  private staleSinceMs: number | null = null

  constructor(
    private readonly node: NodeContext,
    /** The RPC helper of list reads (`listReadRpc`). */
    private readonly storage: Rpc,
    private readonly trace: TraceOf<RankingEvent>,
    private readonly options: ReadersOptions,
  ) {}

  /** The list the cache holds, or null before the first one. */
  get list(): StoredList | null {
    return this.cached
  }

  /** Spawns the refresher and the reads on the node. */
  start(): void {
    this.node.spawn(this.refresh(), `readers-refresh@${this.node.name}`)
    this.node.spawn(this.serve(), `readers@${this.node.name}`)
  }

  private *refresh(): Generator<Event<any>, void, any> {
    const { storageNode, refreshMs } = this.options
    for (;;) {
      const outcome = yield* this.storage.call<StoredList | null, null>(this.node.name, storageNode, null, {
        timeoutMs: this.options.timeoutMs ?? refreshMs,
      })
      if (outcome.ok && outcome.response !== null) this.cached = outcome.response
      yield* this.node.sleepLocal(refreshMs)
    }
  }

  private *serve(): Generator<Event<any>, void, any> {
    for (;;) {
      yield* this.node.sleepLocal(this.options.readEveryMs)
      const list = this.cached
      if (list === null) continue
      const now = this.node.clock()
      const stalenessMs = now - list.asOfMs
      this.reads++
      if (stalenessMs > this.maxStalenessMs) this.maxStalenessMs = stalenessMs
      this.observe(list, stalenessMs, now)
    }
  }

  /** Counts a stale read and records the moments the node starts and stops serving stale lists. */
  private observe(list: StoredList, stalenessMs: number, now: number): void {
    const node = this.node.name
    if (stalenessMs > this.options.staleAfterMs) {
      this.staleReads++
      if (this.staleSinceMs === null) {
        this.staleSinceMs = now
        this.trace.record({ type: "ReadersWentStale", node, period: list.period, stalenessMs })
      }
    } else if (this.staleSinceMs !== null) {
      this.trace.record({ type: "ReadersCaughtUp", node, period: list.period, staleForMs: now - this.staleSinceMs })
      this.staleSinceMs = null
    }
  }
}
