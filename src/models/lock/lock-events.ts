/**
 * What the lock clients and the protected storage record: the clients' beliefs (acquired, renewed,
 * believed lost, released) and the storage's verdict on every write with its token. The
 * mutual-exclusion check reads the beliefs; the no-stale-write check reads the writes.
 */

/** Which lock service a client used. */
export type LockServiceKind = "redis" | "redlock" | "etcd"

/** `client` now believes it holds the lock with `token`, valid until `validUntilMs` on its monotonic clock. */
export interface LockAcquired {
  readonly type: "LockAcquired"
  readonly client: string
  readonly service: LockServiceKind
  readonly token: number
  readonly validUntilMs: number
  /** Attempts this acquisition took, from 1. */
  readonly attempts: number
}

/** One attempt of `client` failed (`reason` says why: refused, timeout, no quorum, too slow). It retries after `retryInMs`. */
export interface LockAttemptFailed {
  readonly type: "LockAttemptFailed"
  readonly client: string
  readonly reason: string
  readonly retryInMs: number
}

/** `client` gave up acquiring: its deadline passed after `attempts` attempts. */
export interface LockAcquireGaveUp {
  readonly type: "LockAcquireGaveUp"
  readonly client: string
  readonly attempts: number
}

/** The service extended `client`'s lease: it now believes it valid until `validUntilMs` (own monotonic clock). */
export interface LockRenewed {
  readonly type: "LockRenewed"
  readonly client: string
  readonly token: number
  readonly validUntilMs: number
}

/**
 * `client` stopped believing it holds the lock: `expired` when its own clock passed the lease's
 * end, `refused` when the service refused a renewal (the key was gone or someone else's),
 * `crashed` is never recorded (a crash ends belief without a word; the checks read `NodeCrashed`).
 */
export interface LockBelievedLost {
  readonly type: "LockBelievedLost"
  readonly client: string
  readonly token: number
  readonly reason: "expired" | "refused"
}

/**
 * `client` gives the lock up: it stops believing it holds it now, before it asks the service to
 * delete the key (a release is best effort: the key may have expired, or the request may be lost).
 */
export interface LockReleased {
  readonly type: "LockReleased"
  readonly client: string
  readonly token: number
}

/**
 * `client` sent a write of `value` with `token`. It last checked its lease `checkedMsAgo` ago (own
 * clock), when `leftAtCheckMs` of it remained: a write after a long pause was checked long ago.
 */
export interface WriteSent {
  readonly type: "WriteSent"
  readonly client: string
  readonly token: number
  readonly value: string
  readonly checkedMsAgo: number
  readonly leftAtCheckMs: number
}

/** The storage on `node` accepted `client`'s write; `highestToken` is the highest token it had accepted before (-1: none). */
export interface WriteAccepted {
  readonly type: "WriteAccepted"
  readonly node: string
  readonly client: string
  readonly token: number
  readonly value: string
  readonly highestToken: number
}

/** The storage on `node` rejected `client`'s write: its token is below `highestToken`, the highest accepted (fencing). */
export interface WriteRejected {
  readonly type: "WriteRejected"
  readonly node: string
  readonly client: string
  readonly token: number
  readonly value: string
  readonly highestToken: number
}

/** Every event of the lock model. */
export type LockEvent =
  | LockAcquired
  | LockAttemptFailed
  | LockAcquireGaveUp
  | LockRenewed
  | LockBelievedLost
  | LockReleased
  | WriteSent
  | WriteAccepted
  | WriteRejected
