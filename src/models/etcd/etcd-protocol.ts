/**
 * The shapes etcd's v3 API speaks, reduced to what the models use: key-values with their
 * revisions, range/put/delete-range operations, transactions with compares, lease calls and watch
 * events. Names follow etcd's protobufs (`create_revision` → `createRevision`). TTLs are in ms
 * here (etcd speaks whole seconds). See docs/etcd.md.
 */

/** A key as etcd stores it (mvccpb.KeyValue). */
export interface KeyValue {
  readonly key: string
  readonly value: string
  /** The revision of the put that created the key (since its last deletion). */
  readonly createRevision: number
  /** The revision of the last put to the key. */
  readonly modRevision: number
  /** Puts since the key was created: 1 after the first. */
  readonly version: number
  /** The lease the key is attached to; 0 for none. */
  readonly lease: number
}

/** Which field a range is sorted by (etcd's `SortTarget`). */
export type SortTarget = "key" | "create" | "mod" | "version" | "value"

/** A read of one key, or of every key under a prefix (etcd's RangeRequest). */
export interface RangeOp {
  readonly op: "range"
  readonly key: string
  /** Every key starting with `key` (clientv3.WithPrefix). Default false. */
  readonly prefix?: boolean
  /** At most this many keys, after sorting; 0 for all. Default 0. */
  readonly limit?: number
  /** Sort by this field. Default "key". */
  readonly sortTarget?: SortTarget
  /** Ascending or descending. Default "ascend". */
  readonly sortOrder?: "ascend" | "descend"
  /** Only keys created at or above this revision; 0 for no bound. Default 0. */
  readonly minCreateRevision?: number
  /** Only keys created at or below this revision; 0 for no bound. Default 0. */
  readonly maxCreateRevision?: number
}

/** A write of one key, optionally attached to a lease (etcd's PutRequest). */
export interface PutOp {
  readonly op: "put"
  readonly key: string
  readonly value: string
  /** The lease to attach the key to; 0 for none. Default 0. */
  readonly lease?: number
}

/** A delete of one key, or of every key under a prefix (etcd's DeleteRangeRequest). */
export interface DeleteOp {
  readonly op: "delete"
  readonly key: string
  /** Every key starting with `key`. Default false. */
  readonly prefix?: boolean
}

/** An operation a transaction branch runs. */
export type TxnOp = RangeOp | PutOp | DeleteOp

/** A compare of a transaction (etcd's Compare on one key). */
export interface Compare {
  readonly key: string
  readonly target: "create" | "mod" | "version" | "value"
  readonly result: "=" | "!=" | "<" | ">"
  /** A revision or version for the numeric targets, a string for "value". */
  readonly operand: number | string
}

/** A transaction: if every compare holds, run `success`, else `failure` (etcd's TxnRequest). */
export interface TxnRequest {
  readonly compare: readonly Compare[]
  readonly success: readonly TxnOp[]
  readonly failure: readonly TxnOp[]
}

/** The answer to a range. */
export interface RangeResponse {
  readonly op: "range"
  /** The store's revision when it answered. */
  readonly revision: number
  readonly kvs: readonly KeyValue[]
  /** Keys in the range before `limit` cut it. */
  readonly count: number
}

/** The answer to a put. */
export interface PutResponse {
  readonly op: "put"
  readonly revision: number
  /** The key before the put, if it existed. */
  readonly prevKv: KeyValue | null
}

/** The answer to a delete. */
export interface DeleteResponse {
  readonly op: "delete"
  readonly revision: number
  readonly deleted: number
  /** The keys as they were before the delete, in key order. */
  readonly prevKvs: readonly KeyValue[]
}

/** The answer to one operation. */
export type OpResponse = RangeResponse | PutResponse | DeleteResponse

/** The answer to a transaction. */
export interface TxnResponse {
  /** The store's revision after the transaction (one more than before if it wrote anything). */
  readonly revision: number
  readonly succeeded: boolean
  /** One per operation of the branch that ran. */
  readonly responses: readonly OpResponse[]
}

/** A change a watch delivers (mvccpb.Event). A DELETE's kv holds the key and the deletion revision only. */
export interface WatchEvent {
  readonly type: "PUT" | "DELETE"
  readonly kv: KeyValue
}

/** What a client can ask the server (one RPC each; `watch` opens a stream of {@link WatchNotice}). */
export type EtcdRequest =
  | RangeOp
  | PutOp
  | DeleteOp
  | ({ readonly op: "txn" } & TxnRequest)
  | { readonly op: "leaseGrant"; readonly ttlMs: number }
  | { readonly op: "leaseRevoke"; readonly lease: number }
  | { readonly op: "leaseKeepAlive"; readonly lease: number }
  | {
      readonly op: "watch"
      readonly watchId: number
      readonly key: string
      readonly prefix?: boolean
      readonly startRevision?: number
    }
  | { readonly op: "watchCancel"; readonly watchId: number }

/** The server's answer to an {@link EtcdRequest}: a result, or an error with etcd's text. */
export type EtcdResponse =
  | OpResponse
  | ({ readonly op: "txn" } & TxnResponse)
  | { readonly op: "leaseGrant"; readonly revision: number; readonly lease: number; readonly ttlMs: number }
  | { readonly op: "leaseRevoke"; readonly revision: number }
  | { readonly op: "leaseKeepAlive"; readonly revision: number; readonly lease: number; readonly ttlMs: number }
  | { readonly op: "watch"; readonly revision: number; readonly watchId: number }
  | { readonly op: "watchCancel"; readonly revision: number; readonly watchId: number }
  | { readonly op: "error"; readonly error: string }

/** Events of one watch, pushed by the server to the client's watch port. */
export interface WatchNotice {
  readonly watchId: number
  readonly events: readonly WatchEvent[]
}

/** etcd's error text for a put or keep-alive naming a lease it does not have. */
export const LEASE_NOT_FOUND = "etcdserver: requested lease not found"
