/**
 * The kernel's public API: virtual time, events, processes, resources, randomness, trace and
 * metrics. Import from here (`import { Simulation, Resource } from "./src/kernel/index.ts"`).
 */
export {
  AllOf,
  type AllOfValue,
  AnyOf,
  ConditionValue,
  DeadlineExceeded,
  type DeadlineOutcome,
  type ValueOf,
} from "./condition.ts"
export {
  Channel,
  type ChannelArgs,
  type ChannelOptions,
  type Received,
  recvCase,
  select,
  type SelectCase,
  type Selected,
  type SelectOptions,
  sendCase,
} from "./channel.ts"
export { Container, type ContainerOptions, ContainerRequest } from "./container.ts"
export { LATE, NORMAL, URGENT } from "./constants.ts"
export { Event, Timeout, type Waiter } from "./event.ts"
export { EventQueue, FifoQueue, orderKey } from "./event-queue.ts"
export { largest, smallest } from "./extremes.ts"
export { formatCount, formatMs, formatNumber, formatPercent } from "./format.ts"
export * from "./metrics.ts"
export { TimeWeightedBuckets } from "./time-weighted-buckets.ts"
export { UpperQuantiles } from "./upper-quantiles.ts"
export { MersenneTwister } from "./mt19937.ts"
/** Go's `context` package: `context.background(sim)`, `context.withTimeout(ctx, delay)`, `context.Context`. */
export * as context from "./go-context.ts"
export { AtomicCell, Cond, type Locker, Mutex, Once, RWMutex, WaitGroup } from "./go-sync.ts"
export {
  GoDeadlock,
  GoFatal,
  type GoObject,
  GoPanic,
  GoRuntime,
  goRuntime,
  Parked,
  type ParkedGoroutine,
  type WaitReason,
} from "./go-runtime.ts"
export { Interrupt, Killed, Process, type ProcessGenerator, Sleep } from "./process.ts"
export { type RandomSource, RandomStream, RandomStreams, seededStream } from "./random.ts"
export {
  Preempted,
  PreemptiveResource,
  PriorityRequest,
  PriorityResource,
  Release,
  Request,
  type RequestOptions,
  Resource,
  type ResourceOptions,
} from "./resource.ts"
export {
  type Chooser,
  type RunOptions,
  type RunResult,
  type RunUntilEventOptions,
  Simulation,
  SimulationError,
  type SimulationOptions,
  type StopReason,
} from "./simulation.ts"
export {
  FilterStore,
  PriorityStore,
  type PriorityStoreOptions,
  Store,
  StoreGet,
  type StoreOptions,
  StorePut,
} from "./store.ts"
export {
  firstDifference,
  Trace,
  type TraceEvent,
  type TraceOf,
  type TraceOptions,
  type TraceRecord,
  type Traced,
  TraceSample,
} from "./trace.ts"
export { WaitQueue, type Withdrawable } from "./wait-queue.ts"
