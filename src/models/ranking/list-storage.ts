/**
 * Where the ranking job's lists live: the lock model's protected storage (a value written with the
 * writer's fencing token; with fencing on, a token below the highest accepted is rejected), holding
 * the list as JSON, plus the read side readers need — a service on the same node answering the
 * latest accepted list.
 */
import { Rpc, type NetworkContext } from "../../net/index.ts"
import type { ProtectedStorage } from "../lock/index.ts"
import type { RankedEntry } from "./top-k.ts"

/** The port (RPC service) of list reads. */
export const LIST_READ_SERVICE = "list-read"

/** A list as stored: what the job computed, when, and under which token. */
export interface StoredList {
  readonly node: string
  readonly period: number
  readonly token: number
  /** When the job read the data the list was computed from, in ms of its node's clock. */
  readonly asOfMs: number
  readonly list: readonly RankedEntry[]
}

/** The list a stored value holds (the job writes `JSON.stringify(list)`), or null for none. */
export function parseStoredList(value: string | null): StoredList | null {
  return value === null ? null : (JSON.parse(value) as StoredList)
}

/** Serves reads of the latest accepted list on the storage's node. */
export class ListReadService {
  constructor(rpc: Rpc, storage: ProtectedStorage) {
    rpc.serve<null, StoredList | null>(storage.nodeName, () => parseStoredList(storage.value))
  }
}

/** Creates the RPC helper list reads on `network` travel on. */
export function listReadRpc(network: NetworkContext): Rpc {
  return new Rpc(network, { service: LIST_READ_SERVICE })
}
