/**
 * etcd's key space, as one server answers it: a multi-version store where every write gets the
 * next global revision, leases that delete their keys when they expire, transactions that compare
 * revisions, and watches that replay history from a revision.
 *
 * Think of a ledger with numbered lines: each change (a put, a delete, a whole transaction, a
 * lease's keys removed) is written on the next line, and every key remembers the line it was
 * created on (`createRevision`), the line it last changed on (`modRevision`) and how many times it
 * was written (`version`). The store starts at revision 1 with no keys; a write that changes
 * nothing (deleting a missing key) takes no line.
 *
 * Pure and synchronous at the server's current time (read from `clock`), like the Redis server:
 * the node wrapper (`EtcdService`) runs {@link EtcdStore.expireLeases} periodically. Invariants:
 * the revision never decreases; every event in the history has a revision greater than the one
 * before or equal to it (one write, several keys); a live key's createRevision <= modRevision <=
 * revision. Left out on purpose: compaction, range_end other than a prefix, nested transactions,
 * Raft (one member). See docs/etcd.md.
 */
import {
  type Compare,
  type DeleteResponse,
  type KeyValue,
  LEASE_NOT_FOUND,
  type OpResponse,
  type PutResponse,
  type RangeOp,
  type RangeResponse,
  type TxnOp,
  type TxnRequest,
  type TxnResponse,
  type WatchEvent,
} from "./etcd-protocol.ts"

/** etcd's default minimum lease TTL: ceil(1.5 × election timeout of 1000 ms) in whole seconds, in ms. */
export const MIN_LEASE_TTL_MS = 2000

/** A lease as the server keeps it. */
export interface LeaseState {
  readonly id: number
  /** The granted TTL, in ms. */
  readonly ttlMs: number
  /** When it expires, in ms of the server's clock. */
  expiresAtMs: number
  /** The keys attached to it. */
  readonly keys: Set<string>
}

/** A lease removed with its keys: by expiry or by a revoke. */
export interface LeaseEnded {
  readonly lease: number
  /** The keys deleted, in key order. */
  readonly keys: readonly string[]
  /** The revision of the deletion; unchanged when the lease had no keys. */
  readonly revision: number
}

/** Options of an {@link EtcdStore}. */
export interface EtcdStoreOptions {
  /** The server's clock, in ms. Required. */
  readonly clock: () => number
  /** The shortest TTL granted; shorter requests get this. Default {@link MIN_LEASE_TTL_MS}. */
  readonly minLeaseTtlMs?: number
  /** The first lease id handed out (etcd's are 64-bit ids from member id and time; here a counter). Default 0x694d0001. */
  readonly firstLeaseId?: number
}

/** An error etcd answers with its own text (a put naming an unknown lease, a revoke of one). */
export class EtcdError extends Error {
  static override get name(): string {
    return "EtcdError"
  }
}

type Watcher = {
  readonly key: string
  readonly prefix: boolean
  readonly deliver: (events: readonly WatchEvent[]) => void
}

/** A single etcd member's revisioned key space, leases and watches. */
export class EtcdStore {
  private current = 1
  private readonly kvs = new Map<string, KeyValue>()
  private readonly history: WatchEvent[] = []
  private readonly leaseMap = new Map<number, LeaseState>()
  private readonly watchers = new Map<number, Watcher>()
  private nextWatchId = 1
  private nextLeaseId: number
  private readonly clock: () => number
  readonly minLeaseTtlMs: number
  /** Events of the write in progress (a transaction collects several). */
  private pending: WatchEvent[] = []

  constructor(options: EtcdStoreOptions) {
    this.clock = options.clock
    this.minLeaseTtlMs = options.minLeaseTtlMs ?? MIN_LEASE_TTL_MS
    this.nextLeaseId = options.firstLeaseId ?? 0x694d0001
    if (!(this.minLeaseTtlMs > 0)) throw new RangeError(`etcd: minLeaseTtlMs must be > 0, got ${this.minLeaseTtlMs}`)
  }

  /** The current revision: 1 for an empty new store, one more after every write that changed something. */
  get revision(): number {
    return this.current
  }

  /** Every change so far, oldest first (what a watch from revision 1 would replay). */
  get events(): readonly WatchEvent[] {
    return this.history
  }

  /** Reads one key or a prefix, as etcd's Range answers. */
  range(op: Omit<RangeOp, "op">): RangeResponse {
    let kvs = [...this.kvs.values()].filter((kv) => matches(kv.key, op.key, op.prefix ?? false))
    const minCreate = op.minCreateRevision ?? 0
    const maxCreate = op.maxCreateRevision ?? 0
    if (minCreate > 0) kvs = kvs.filter((kv) => kv.createRevision >= minCreate)
    if (maxCreate > 0) kvs = kvs.filter((kv) => kv.createRevision <= maxCreate)
    kvs.sort(byField(op.sortTarget ?? "key", op.sortOrder ?? "ascend"))
    const count = kvs.length
    const limit = op.limit ?? 0
    return { op: "range", revision: this.current, kvs: limit > 0 ? kvs.slice(0, limit) : kvs, count }
  }

  /** Writes `key`, attached to `lease` (0: none) at the next revision. */
  put(key: string, value: string, lease = 0): PutResponse {
    this.checkLease(lease)
    const response = this.write(() => this.applyPut(key, value, lease))
    return { ...response, revision: this.current }
  }

  /** Deletes `key` (or every key under it with `prefix`) at the next revision, if any exists. */
  delete(key: string, prefix = false): DeleteResponse {
    const response = this.write(() => this.applyDelete(key, prefix))
    return { ...response, revision: this.current }
  }

  /** Runs a transaction atomically: one revision for all its writes. */
  txn(request: TxnRequest): TxnResponse {
    const succeeded = request.compare.every((compare) => this.holds(compare))
    const ops = succeeded ? request.success : request.failure
    for (const op of ops) if (op.op === "put") this.checkLease(op.lease ?? 0)
    const responses = this.write(() => ops.map((op) => this.apply(op)))
    return { revision: this.current, succeeded, responses: responses.map((r) => ({ ...r, revision: this.current })) }
  }

  /** Grants a lease of `ttlMs` (at least the minimum TTL), expiring `ttlMs` from now. */
  grant(ttlMs: number): LeaseState {
    if (!(ttlMs > 0 && ttlMs < Infinity)) throw new RangeError(`etcd: lease TTL must be finite and > 0, got ${ttlMs}`)
    const granted = Math.max(ttlMs, this.minLeaseTtlMs)
    const lease: LeaseState = {
      id: this.nextLeaseId++,
      ttlMs: granted,
      expiresAtMs: this.clock() + granted,
      keys: new Set(),
    }
    this.leaseMap.set(lease.id, lease)
    return lease
  }

  /**
   * Renews lease `id` for its TTL from now; returns the TTL, or 0 when the lease is gone. A lease
   * past its expiry that the periodic check has not removed yet is removed now and answers 0 (etcd
   * waits for its revocation and answers "not found").
   */
  keepAlive(id: number): { readonly ttlMs: number; readonly ended: LeaseEnded | null } {
    const lease = this.leaseMap.get(id)
    if (lease === undefined) return { ttlMs: 0, ended: null }
    if (this.clock() >= lease.expiresAtMs) return { ttlMs: 0, ended: this.revoke(id) }
    lease.expiresAtMs = this.clock() + lease.ttlMs
    return { ttlMs: lease.ttlMs, ended: null }
  }

  /** Removes lease `id` and deletes its keys at one revision. @throws EtcdError when there is no such lease */
  revoke(id: number): LeaseEnded {
    const lease = this.leaseMap.get(id)
    if (lease === undefined) throw new EtcdError(LEASE_NOT_FOUND)
    const keys = [...lease.keys].sort(compareKeys)
    this.write(() => {
      for (const key of keys) this.applyDelete(key, false)
    })
    this.leaseMap.delete(id)
    return { lease: id, keys, revision: this.current }
  }

  /** Revokes every lease whose expiry has passed, oldest expiry first; returns what each removed. */
  expireLeases(): LeaseEnded[] {
    const now = this.clock()
    const due = [...this.leaseMap.values()].filter((lease) => lease.expiresAtMs <= now)
    due.sort((a, b) => a.expiresAtMs - b.expiresAtMs || a.id - b.id)
    return due.map((lease) => this.revoke(lease.id))
  }

  /** Moves every lease's expiry to a full TTL from now (etcd does this when a member becomes leader, e.g. after a restart). */
  refreshLeases(): void {
    for (const lease of this.leaseMap.values()) lease.expiresAtMs = this.clock() + lease.ttlMs
  }

  /** The lease `id`, or undefined. */
  lease(id: number): LeaseState | undefined {
    return this.leaseMap.get(id)
  }

  /** Every live lease, in grant order. */
  get leases(): readonly LeaseState[] {
    return [...this.leaseMap.values()]
  }

  /**
   * Watches `key` (or the prefix): first replays every stored change from `startRevision` (0: from
   * the next revision on), then delivers each later write's matching changes in one batch, in
   * revision order. Returns the watch id.
   */
  watch(key: string, prefix: boolean, startRevision: number, deliver: (events: readonly WatchEvent[]) => void): number {
    const id = this.nextWatchId++
    this.watchers.set(id, { key, prefix, deliver })
    if (startRevision > 0 && startRevision <= this.current) {
      const past = this.history.filter((e) => e.kv.modRevision >= startRevision && matches(e.kv.key, key, prefix))
      if (past.length > 0) deliver(past)
    }
    return id
  }

  /** Stops watch `id`; false if there was none. */
  cancelWatch(id: number): boolean {
    return this.watchers.delete(id)
  }

  /** Stops every watch (their streams broke, e.g. in a server crash). */
  cancelAllWatches(): void {
    this.watchers.clear()
  }

  private holds(compare: Compare): boolean {
    const kv = this.kvs.get(compare.key)
    // etcd fails a value compare on a missing key; the numeric ones read 0 there.
    if (kv === undefined && compare.target === "value") return false
    const actual = fieldOf(kv, compare.target)
    const operand = compare.operand
    switch (compare.result) {
      case "=":
        return actual === operand
      case "!=":
        return actual !== operand
      case "<":
        return actual < operand
      case ">":
        return actual > operand
    }
  }

  private checkLease(lease: number): void {
    if (lease !== 0 && !this.leaseMap.has(lease)) throw new EtcdError(LEASE_NOT_FOUND)
  }

  private apply(op: TxnOp): OpResponse {
    if (op.op === "range") return this.range(op)
    if (op.op === "put") return this.applyPut(op.key, op.value, op.lease ?? 0)
    return this.applyDelete(op.key, op.prefix ?? false)
  }

  /** Runs `body` as one write: its changes share the next revision, which is taken only if it changed something. */
  private write<T>(body: () => T): T {
    this.pending = []
    const result = body()
    const events = this.pending
    this.pending = []
    if (events.length > 0) {
      this.current++
      this.history.push(...events)
      this.notify(events)
    }
    return result
  }

  private applyPut(key: string, value: string, lease: number): PutResponse {
    const revision = this.current + 1
    const prev = this.kvs.get(key)
    if (prev !== undefined && prev.lease !== 0 && prev.lease !== lease) this.leaseMap.get(prev.lease)?.keys.delete(key)
    if (lease !== 0) this.leaseMap.get(lease)?.keys.add(key)
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev?.createRevision ?? revision,
      modRevision: revision,
      version: (prev?.version ?? 0) + 1,
      lease,
    }
    this.kvs.set(key, kv)
    this.pending.push({ type: "PUT", kv })
    return { op: "put", revision, prevKv: prev ?? null }
  }

  private applyDelete(key: string, prefix: boolean): DeleteResponse {
    const revision = this.current + 1
    const doomed = [...this.kvs.values()].filter((kv) => matches(kv.key, key, prefix)).sort(byField("key", "ascend"))
    for (const kv of doomed) {
      this.kvs.delete(kv.key)
      if (kv.lease !== 0) this.leaseMap.get(kv.lease)?.keys.delete(kv.key)
      const tombstone = { key: kv.key, value: "", createRevision: 0, modRevision: revision, version: 0, lease: 0 }
      this.pending.push({ type: "DELETE", kv: tombstone })
    }
    return { op: "delete", revision, deleted: doomed.length, prevKvs: doomed }
  }

  private notify(events: readonly WatchEvent[]): void {
    for (const watcher of [...this.watchers.values()]) {
      const mine = events.filter((event) => matches(event.kv.key, watcher.key, watcher.prefix))
      if (mine.length > 0) watcher.deliver(mine)
    }
  }
}

function matches(candidate: string, key: string, prefix: boolean): boolean {
  return prefix ? candidate.startsWith(key) : candidate === key
}

/** Byte order for the ASCII keys the models use (etcd sorts keys as bytes). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function fieldOf(kv: KeyValue | undefined, target: Compare["target"]): number | string {
  if (target === "value") return kv?.value ?? ""
  if (target === "create") return kv?.createRevision ?? 0
  if (target === "mod") return kv?.modRevision ?? 0
  return kv?.version ?? 0
}

function byField(target: RangeOp["sortTarget"] & string, order: "ascend" | "descend") {
  const sign = order === "ascend" ? 1 : -1
  return (a: KeyValue, b: KeyValue): number => {
    const fa = target === "key" ? a.key : fieldOf(a, target)
    const fb = target === "key" ? b.key : fieldOf(b, target)
    const primary = fa < fb ? -1 : fa > fb ? 1 : 0
    return sign * primary || compareKeys(a.key, b.key)
  }
}
