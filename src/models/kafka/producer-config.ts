/**
 * The producer's settings, validated, with Kafka's defaults (Kafka 4.0 unless noted).
 *
 * Idempotence follows Kafka's rule: on by default, silently off when `acks` is not all (or
 * `max.in.flight > 5`, or `retries = 0`) unless it was asked for explicitly, which then throws.
 */

/** Producer settings; every field has Kafka's default unless noted. */
export interface ProducerOptions {
  /** `acks`: 0, 1 or -1 (all). Default -1 (all, since Kafka 3.0). */
  readonly acks?: 0 | 1 | -1
  /** `enable.idempotence`. Default: on when the other settings allow it (see the file header). */
  readonly idempotent?: boolean
  /** `batch.size`, in bytes. Default 16384. */
  readonly batchSizeBytes?: number
  /** `linger.ms`. Default 5 (Kafka 4.0; 0 before). */
  readonly lingerMs?: number
  /** Size of every record, in bytes (fixes how many fit in a batch). Default 100. */
  readonly recordBytes?: number
  /** `max.in.flight.requests.per.connection`. Default 5. */
  readonly maxInFlight?: number
  /** `retries`. Default 2147483647 (bounded by the delivery timeout). */
  readonly retries?: number
  /** `retry.backoff.ms`: first backoff. Default 100. */
  readonly retryBackoffMs?: number
  /** `retry.backoff.max.ms`: backoff cap. Default 1000. */
  readonly retryBackoffMaxMs?: number
  /** `delivery.timeout.ms`: a record not acknowledged this long after it was sent fails. Default 120000. */
  readonly deliveryTimeoutMs?: number
  /** `request.timeout.ms`. Default 30000. */
  readonly requestTimeoutMs?: number
}

/** {@link ProducerOptions} resolved. */
export interface ProducerConfig {
  readonly acks: 0 | 1 | -1
  readonly idempotent: boolean
  readonly batchSizeBytes: number
  readonly lingerMs: number
  readonly recordBytes: number
  readonly maxInFlight: number
  readonly retries: number
  readonly retryBackoffMs: number
  readonly retryBackoffMaxMs: number
  readonly deliveryTimeoutMs: number
  readonly requestTimeoutMs: number
}

/**
 * Fills in defaults and applies Kafka's idempotence rules.
 * @throws RangeError on a bad value, or when idempotence was asked for with conflicting settings
 */
export function resolveProducerConfig(options: ProducerOptions = {}): ProducerConfig {
  const acks = options.acks ?? -1
  const maxInFlight = options.maxInFlight ?? 5
  const retries = options.retries ?? 2147483647
  const compatible = acks === -1 && maxInFlight <= 5 && retries > 0
  if (options.idempotent === true && !compatible) {
    throw new RangeError("idempotence needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= 5")
  }
  const config: ProducerConfig = {
    acks,
    idempotent: options.idempotent ?? compatible,
    batchSizeBytes: options.batchSizeBytes ?? 16384,
    lingerMs: options.lingerMs ?? 5,
    recordBytes: options.recordBytes ?? 100,
    maxInFlight,
    retries,
    retryBackoffMs: options.retryBackoffMs ?? 100,
    retryBackoffMaxMs: options.retryBackoffMaxMs ?? 1000,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  }
  if (acks !== 0 && acks !== 1 && acks !== -1) throw new RangeError("acks must be 0, 1 or -1 (all)")
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError("maxInFlight must be an integer >= 1")
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError("retries must be an integer >= 0")
  if (!(config.batchSizeBytes >= 0)) throw new RangeError("batchSizeBytes must be >= 0")
  if (!(config.recordBytes > 0)) throw new RangeError("recordBytes must be > 0")
  for (const name of [
    "lingerMs",
    "retryBackoffMs",
    "retryBackoffMaxMs",
    "deliveryTimeoutMs",
    "requestTimeoutMs",
  ] as const) {
    if (!(config[name] >= 0 && config[name] < Infinity)) throw new RangeError(name + " must be finite and >= 0")
  }
  return config
}
