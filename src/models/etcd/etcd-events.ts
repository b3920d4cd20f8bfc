/**
 * What the simulated etcd and its clients record in the trace: writes with their revisions, leases
 * granted, kept alive, expired and revoked, and the concurrency Mutex's steps on each client (who
 * waits on whom, who holds with which token, whose session ended).
 */

/** The server on `node` wrote `key` at `revision` for `client`. */
export interface KeyPut {
  readonly type: "KeyPut"
  readonly node: string
  readonly client: string
  readonly key: string
  readonly revision: number
  readonly createRevision: number
  /** The lease the key is attached to; 0 for none. */
  readonly lease: number
}

/** The server on `node` deleted `key` at `revision`: asked by `client`, or because its lease ended. */
export interface KeyDeleted {
  readonly type: "KeyDeleted"
  readonly node: string
  readonly key: string
  readonly revision: number
  readonly cause: "delete" | "lease-expired" | "lease-revoked"
  /** The client that asked, or "" for an expiry. */
  readonly client: string
}

/** The server on `node` ran a transaction for `client`; its compares held or not. */
export interface TxnCommitted {
  readonly type: "TxnCommitted"
  readonly node: string
  readonly client: string
  readonly succeeded: boolean
  readonly revision: number
}

/** The server granted `lease` of `ttlMs` to `client`. */
export interface LeaseGranted {
  readonly type: "LeaseGranted"
  readonly node: string
  readonly client: string
  readonly lease: number
  readonly ttlMs: number
}

/** The server renewed `lease` for `ttlMs` (0: the lease was gone, the client is told so). */
export interface LeaseKeptAlive {
  readonly type: "LeaseKeptAlive"
  readonly node: string
  readonly client: string
  readonly lease: number
  readonly ttlMs: number
}

/** The server removed `lease` with its keys: its TTL passed with no keep-alive, or a client revoked it. */
export interface LeaseRemoved {
  readonly type: "LeaseExpired" | "LeaseRevoked"
  readonly node: string
  readonly lease: number
  readonly keys: readonly string[]
  readonly revision: number
}

/** A Mutex on `node` put its key and waits for the key `predecessor` (created just before it) to go. */
export interface MutexWaiting {
  readonly type: "MutexWaiting"
  readonly node: string
  readonly key: string
  readonly createRevision: number
  readonly predecessor: string
}

/** A Mutex on `node` holds the lock: no older key remains under the prefix. `token` is its key's create revision. */
export interface MutexAcquired {
  readonly type: "MutexAcquired"
  readonly node: string
  readonly key: string
  readonly token: number
  /** Until when the client believes its lease lives, on its own monotonic clock, in ms. */
  readonly validUntilMs: number
}

/** A Mutex on `node` gave up waiting (its deadline passed) or found its key gone (session expired). */
export interface MutexAbandoned {
  readonly type: "MutexAbandoned"
  readonly node: string
  readonly key: string
  readonly reason: "deadline" | "session-expired" | "unreachable"
}

/** A Mutex on `node` deleted its key (unlock); `deleted` 0 when the key was already gone (its lease had ended). */
export interface MutexReleased {
  readonly type: "MutexReleased"
  readonly node: string
  readonly key: string
  readonly token: number
  readonly deleted: number
}

/** The session on `node` learned (or its clock told it) that its lease is gone. */
export interface SessionExpired {
  readonly type: "SessionExpired"
  readonly node: string
  readonly lease: number
  readonly reason: "lease-not-found" | "deadline-passed"
}

/** Every event of the simulated etcd and its clients. */
export type EtcdEvent =
  | KeyPut
  | KeyDeleted
  | TxnCommitted
  | LeaseGranted
  | LeaseKeptAlive
  | LeaseRemoved
  | MutexWaiting
  | MutexAcquired
  | MutexAbandoned
  | MutexReleased
  | SessionExpired
