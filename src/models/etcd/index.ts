/**
 * The simulated etcd: a revisioned key space with leases, transactions and watches
 * (`EtcdStore`), its network service and client, and the `concurrency` Session and Mutex behind a
 * lease-lock client. See docs/etcd.md.
 */
export * from "./etcd-protocol.ts"
export {
  EtcdError,
  EtcdStore,
  type EtcdStoreOptions,
  type LeaseEnded,
  type LeaseState,
  MIN_LEASE_TTL_MS,
} from "./etcd-store.ts"
export { ETCD_SERVICE, etcdRpc, EtcdService, type EtcdServiceOptions, WATCH_PORT } from "./etcd-service.ts"
export { EtcdClient, type EtcdClientOptions, type EtcdOutcome } from "./etcd-client.ts"
export { EtcdSession, type EtcdSessionOptions, KEEP_ALIVE_RETRY_MS } from "./etcd-session.ts"
export { EtcdMutex, type MutexLockOptions, type MutexOutcome } from "./etcd-mutex.ts"
export { EtcdLockClient, type EtcdLockClientOptions, type EtcdLockLease } from "./etcd-lock-client.ts"
export type * from "./etcd-events.ts"
export { etcdTimeline, isEtcdTimelineRecord } from "./etcd-timeline.ts"
export {
  type ClientPlan,
  ETCD_NODE,
  EtcdLockResult,
  EtcdLockScenario,
  type EtcdLockScenarioOptions,
} from "./etcd-lock-scenario.ts"
export { checkEtcdLock } from "./etcd-checks.ts"
