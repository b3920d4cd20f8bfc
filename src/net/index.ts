/**
 * The simulated network's public API: nodes, links, partitions, link faults, the RPC helper, and
 * fault plans (data, validation, description, injection). Import from here
 * (`import { Network, Rpc, applyFaultPlan } from "../net/index.ts"`).
 */
export type { NetworkContext, NodeContext } from "./context.ts"
export { type ConnectionNotice, isConnectionNotice, meanLatency } from "./connections.ts"
export { type FaultEvent, isNetEvent, type NetEvent } from "./net-events.ts"
export { describeFaultEvent, isFaultEvent, netTimelineLine } from "./net-timeline.ts"
export type * as NetEvents from "./net-events.ts"
export { describeFault, describeFaultPlan, describeFaultPlanLines } from "./describe-fault-plan.ts"
export { applyFaultPlan, FaultPlanError } from "./fault-injector.ts"
export * from "./fault-plan.ts"
export {
  checkLatency,
  constantLatency,
  describeLatency,
  drawLatency,
  exponentialLatency,
  jitteredLatency,
  type Latency,
  uniformLatency,
} from "./latency.ts"
export { checkProbability, LinkFault, type LinkFaultOptions, type LinkFaultState } from "./link-fault.ts"
export {
  type DropReason,
  type LinkOptions,
  Network,
  type NetworkOptions,
  type NetworkStats,
  type PartitionMode,
  type SendOptions,
} from "./network.ts"
export { type Envelope, LocalTimer, MAIN_PORT, Node, NodeCrashed, type NodeOptions, type NodeStatus } from "./node.ts"
export {
  faultPlanProblems,
  type FaultPlanResult,
  type FaultPlanValidationOptions,
  parseFaultPlan,
  validateFaultPlan,
} from "./parse-fault-plan.ts"
export { formatGroups, Partition, type PartitionOptions, type PartitionState } from "./partition.ts"
export {
  type CallOptions,
  Rpc,
  type RpcContext,
  type RpcHandler,
  type RpcOptions,
  type RpcOutcome,
  type RpcReply,
  type RpcRequest,
  type ServeOptions,
} from "./rpc.ts"
