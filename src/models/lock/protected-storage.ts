/**
 * The resource a lock protects: a storage service on its own node holding one value, written over
 * the network with the writer's fencing token (docs/locks.md, "Fencing").
 *
 * With fencing on, it rejects a write whose token is lower than the highest token it has accepted;
 * a write with an equal token is accepted (the same holder writes several times under one lease).
 * With fencing off it accepts every write and still records the highest token it has seen, so the
 * checks can tell a stale write that got in. The check runs when the write arrives, not when it
 * was sent: a write delayed in flight is judged by what the storage has accepted by then.
 * Its value and highest token are durable (kept on the node's disk, surviving a crash).
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { NetworkContext } from "../../net/index.ts"
import { Rpc } from "../../net/index.ts"
import type { LockEvent } from "./lock-events.ts"

/** The port (RPC service) writes travel on. */
export const STORAGE_SERVICE = "storage"

/** A write as it travels to the storage. */
export interface StorageWrite {
  readonly token: number
  readonly value: string
}

/** The storage's answer: accepted or not, and the highest token it had accepted before this write (-1: none). */
export interface StorageReply {
  readonly accepted: boolean
  readonly highestToken: number
}

/** Options of a {@link ProtectedStorage}. */
export interface ProtectedStorageOptions {
  /** Where the events go (`sim.trace`). Required. */
  readonly trace: TraceOf<LockEvent>
  /** Reject writes with a token below the highest accepted. Default false. */
  readonly fencing?: boolean
}

interface StorageState {
  value: string | null
  highestToken: number
}

/** The storage service on one node. */
export class ProtectedStorage {
  /** Whether it checks tokens. */
  readonly fencing: boolean
  private readonly state: StorageState

  constructor(
    /** The network writers reach it on. */
    network: NetworkContext,
    /** The node it runs on. */
    readonly nodeName: string,
    /** The RPC helper shared with the writers (see {@link storageRpc}). */
    rpc: Rpc,
    options: ProtectedStorageOptions,
  ) {
    this.fencing = options.fencing ?? false
    const disk = network.node(nodeName).disk
    if (!disk.has("storage")) disk.set("storage", { value: null, highestToken: -1 } satisfies StorageState)
    this.state = disk.get("storage") as StorageState
    const trace = options.trace
    rpc.serve<StorageWrite, StorageReply>(nodeName, ({ token, value }, context) => {
      const highestToken = this.state.highestToken
      const accepted = !this.fencing || token >= highestToken
      const event = { node: nodeName, client: context.from, token, value, highestToken }
      if (accepted) {
        this.state.value = value
        this.state.highestToken = Math.max(highestToken, token)
        trace.record({ type: "WriteAccepted", ...event })
      } else trace.record({ type: "WriteRejected", ...event })
      return { accepted, highestToken }
    })
  }

  /** The value last accepted, or null. */
  get value(): string | null {
    return this.state.value
  }

  /** The highest token accepted so far (-1: none). */
  get highestToken(): number {
    return this.state.highestToken
  }
}

/** Creates the RPC helper the storage and its writers on `network` share. */
export function storageRpc(network: NetworkContext): Rpc {
  return new Rpc(network, { service: STORAGE_SERVICE })
}

/**
 * Sends one write from node `from` to the storage on `to` and waits at most `timeoutMs` of the
 * writer's clock for the answer: the reply, or null on a timeout (the write may still land).
 */
export function* writeToStorage(
  rpc: Rpc,
  from: string,
  to: string,
  write: StorageWrite,
  timeoutMs: number,
): Generator<Event<any>, StorageReply | null, any> {
  const outcome = yield* rpc.call<StorageReply, StorageWrite>(from, to, write, { timeoutMs })
  return outcome.ok ? outcome.response : null
}
