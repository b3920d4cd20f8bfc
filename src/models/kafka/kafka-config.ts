/**
 * Broker- and topic-side settings of the Kafka model, with Kafka's real defaults where the
 * simulation can afford them (docs/kafka-replication.md, "Defaults").
 */

/** Broker and topic settings. Every field has a default (see {@link resolveBrokerConfig}). */
export interface BrokerConfigOptions {
  /** `min.insync.replicas`: ISR size needed to accept and acknowledge `acks=all` writes. Default 1 (Kafka's default). */
  readonly minInsyncReplicas?: number
  /** `unclean.leader.election.enable`: elect a replica outside the ISR when no ISR member is alive. Default false. */
  readonly uncleanLeaderElection?: boolean
  /** `replica.lag.time.max.ms`: a follower not caught up for this long leaves the ISR. Default 30000. */
  readonly replicaLagTimeMaxMs?: number
  /** `replica.fetch.wait.max.ms`: how long the leader holds a fetch that finds no new data. Default 500. */
  readonly replicaFetchWaitMaxMs?: number
  /**
   * How long a follower waits for a fetch response before sending a new fetch, in ms. Default 1000
   * (Kafka waits `replica.socket.timeout.ms`, 30 s, but notices a restarted leader sooner through
   * the reset connection; the model has no connections, so it uses a short timeout instead).
   */
  readonly replicaFetchTimeoutMs?: number
  /** Most batches one fetch response carries per partition (`replica.fetch.max.bytes` in batches). Default 64. */
  readonly replicaFetchMaxBatches?: number
  /** `broker.heartbeat.interval.ms`: a broker's heartbeat period to the controller. Default 2000. */
  readonly brokerHeartbeatIntervalMs?: number
  /** `broker.session.timeout.ms`: the controller fences a broker silent for this long. Default 9000. */
  readonly brokerSessionTimeoutMs?: number
  /** Period of each broker's and the controller's housekeeping (ISR checks, expired fetches and produces). Default 50. */
  readonly tickMs?: number
}

/** {@link BrokerConfigOptions} with every default filled in. */
export type BrokerConfig = Required<BrokerConfigOptions>

/**
 * Fills in the defaults and checks the values.
 * @throws RangeError on a value out of range
 */
export function resolveBrokerConfig(options: BrokerConfigOptions = {}): BrokerConfig {
  const config: BrokerConfig = {
    minInsyncReplicas: options.minInsyncReplicas ?? 1,
    uncleanLeaderElection: options.uncleanLeaderElection ?? false,
    replicaLagTimeMaxMs: options.replicaLagTimeMaxMs ?? 30_000,
    replicaFetchWaitMaxMs: options.replicaFetchWaitMaxMs ?? 500,
    replicaFetchTimeoutMs: options.replicaFetchTimeoutMs ?? 1000,
    replicaFetchMaxBatches: options.replicaFetchMaxBatches ?? 64,
    brokerHeartbeatIntervalMs: options.brokerHeartbeatIntervalMs ?? 2000,
    brokerSessionTimeoutMs: options.brokerSessionTimeoutMs ?? 9000,
    tickMs: options.tickMs ?? 50,
  }
  if (!Number.isInteger(config.minInsyncReplicas) || config.minInsyncReplicas < 1)
    throw new RangeError("minInsyncReplicas must be an integer >= 1")
  for (const name of [
    "replicaLagTimeMaxMs",
    "replicaFetchWaitMaxMs",
    "replicaFetchTimeoutMs",
    "brokerHeartbeatIntervalMs",
    "brokerSessionTimeoutMs",
    "tickMs",
  ] as const) {
    if (!(config[name] > 0 && config[name] < Infinity)) throw new RangeError(name + " must be finite and > 0")
  }
  if (!Number.isInteger(config.replicaFetchMaxBatches) || config.replicaFetchMaxBatches < 1)
    throw new RangeError("replicaFetchMaxBatches must be an integer >= 1")
  return config
}
