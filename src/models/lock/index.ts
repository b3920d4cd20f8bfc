/**
 * Lease locks and fencing (docs/locks.md): the client shape, the Redis and Redlock clients, the
 * protected storage, their events, checks, timeline and the lease-lock scenario.
 */
export type { LockClient, LockLease } from "./lock-client.ts"
export type * from "./lock-events.ts"
export { RedisLockClient, type RedisLockClientOptions } from "./redis-lock-client.ts"
