/**
 * The protected storage the ranking job writes its list to, on its own node, reached over the
 * network: a write carries the writer's fencing token; with fencing on, the storage rejects a token
 * lower than the highest it has accepted (the check that makes a paused former lock holder
 * harmless); with fencing off it accepts every write, last writer wins. Readers fetch the latest
 * accepted list.
 *
 * The token check sits behind {@link FencedStore} so the lock model's protected storage can serve.
 */
import type { TraceOf } from "../../kernel/index.ts"
import { Rpc, type NetworkContext } from "../../net/index.ts"
import type { RankingEvent } from "./ranking-events.ts"
import type { RankedEntry } from "./top-k.ts"

/** The port (RPC service) of the list storage. */
export const STORAGE_SERVICE = "list-storage"

/** A list as stored: what the job computed, when, and under which token. */
export interface StoredList {
  readonly node: string
  readonly period: number
  readonly token: number
  /** When the job read the data the list was computed from, in ms of its node's clock. */
  readonly asOfMs: number
  readonly list: readonly RankedEntry[]
}

/** A request to the storage. */
export type StorageRequest = { readonly kind: "write"; readonly entry: StoredList } | { readonly kind: "read" }

/** The storage's answer to a write. */
export interface WriteOutcome {
  readonly accepted: boolean
  /** The highest token accepted before this write (0: none). */
  readonly highestToken: number
}

/** A store of one value guarded by fencing tokens. */
export interface FencedStore<V> {
  /** Writes `value` under `token`; with fencing, refuses a token below the highest accepted. */
  write(token: number, value: V): WriteOutcome
  /** The latest accepted value, or null. */
  read(): V | null
}

/** A {@link FencedStore} in memory: `fencing` decides whether a lower token is refused. */
export class MemoryFencedStore<V> implements FencedStore<V> {
  private highest = 0
  private value: V | null = null

  constructor(private readonly fencing: boolean) {}

  write(token: number, value: V): WriteOutcome {
    const highestToken = this.highest
    if (this.fencing && token < highestToken) return { accepted: false, highestToken }
    this.highest = Math.max(this.highest, token)
    this.value = value
    return { accepted: true, highestToken }
  }

  read(): V | null {
    return this.value
  }
}

/** The storage service on node `nodeName`: serves writes and reads, recording every write's fate. */
export class ListStorageService {
  constructor(
    readonly rpc: Rpc,
    readonly nodeName: string,
    readonly store: FencedStore<StoredList>,
    trace: TraceOf<RankingEvent>,
  ) {
    rpc.serve<StorageRequest, WriteOutcome | StoredList | null>(nodeName, (request) => {
      if (request.kind === "read") return store.read()
      const { node, period, token, asOfMs } = request.entry
      const outcome = store.write(token, request.entry)
      if (outcome.accepted) {
        trace.record({ type: "ListWriteAccepted", node, period, token, asOfMs, previousToken: outcome.highestToken })
      } else {
        trace.record({ type: "ListWriteRejected", node, period, token, highestToken: outcome.highestToken })
      }
      return outcome
    })
  }
}

/** Creates the RPC helper the storage and its clients on `network` share. */
export function storageRpc(network: NetworkContext): Rpc {
  return new Rpc(network, { service: STORAGE_SERVICE })
}
