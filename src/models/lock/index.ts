/**
 * Lease locks and fencing (docs/locks.md): the client shape, the Redis and Redlock clients, the
 * protected storage, their events, checks, timeline and the lease-lock scenario.
 */
export type { LockClient, LockLease } from "./lock-client.ts"
export type * from "./lock-events.ts"
export { RedisLockClient, type RedisLockClientOptions } from "./redis-lock-client.ts"
export { RedlockClient, type RedlockClientOptions } from "./redlock-client.ts"
export {
  REDLOCK_DRIFT_FACTOR,
  REDLOCK_DRIFT_MS,
  REDLOCK_RETRY_COUNT,
  REDLOCK_RETRY_DELAY_MS,
} from "./redlock-client.ts"
export {
  ProtectedStorage,
  type ProtectedStorageOptions,
  STORAGE_SERVICE,
  type StorageReply,
  type StorageWrite,
  storageRpc,
  writeToStorage,
} from "./protected-storage.ts"
export {
  checkLockMutualExclusion,
  checkNoStaleWriteAccepted,
  holdIntervals,
  type LockHistory,
  overlapMs,
  staleWrites,
} from "./lock-checks.ts"
export {
  clientNode,
  LeaseLockResult,
  LeaseLockScenario,
  type LeaseLockOptions,
  type LockWorkload,
  REDIS_LOCK_NODE,
  redlockClockJumpFaults,
  redlockNode,
  STORAGE_NODE,
} from "./lease-lock-scenario.ts"
export { isLockTimelineRecord, lockTimeline, type LockTimelineRecord } from "./lock-timeline.ts"
