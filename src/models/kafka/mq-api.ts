/**
 * A unified message-queue API — message, producer, consumer — in the spirit of the Go
 * `ecodeclub/mq-api` abstraction, so that lessons can talk about "a queue" and swap the system
 * behind it. The Kafka model implements both sides here: {@link KafkaMqProducer} and
 * {@link KafkaMqConsumer} (a consumer in a group: subscribe, poll, commit).
 *
 * Semantics are the implementation's: `send` hands a message over and returns at once (simulated
 * time does not stop); its fate — acknowledged with an offset, or failed — is read back with
 * `outcome` after the run, or followed through the implementation's own hooks.
 *
 * A consumer's poll and commit take simulated time (a fetch, a round trip to the coordinator), so
 * they are generators: `const messages = yield* consumer.poll(10)` inside a process of the
 * consumer's node.
 *
 * Left out: topics management (a producer writes one topic), headers, and transactions. The Kafka
 * model's records carry no payload, so a received message's value is its record id.
 */
import type { ProcessGenerator } from "../../kernel/index.ts"
import type { KafkaConsumer } from "./group/kafka-consumer.ts"
import type { Producer } from "./producer.ts"
import { RECORD_ACKED, RECORD_FAILED } from "./producer-records.ts"

/** A message: an optional key (routing and ordering) and a value. */
export interface MqMessage {
  /** The key; null for none (the system spreads such messages). */
  readonly key: string | null
  /** The payload, opaque to the queue. */
  readonly value: string
}

/** Where a sent message stands. */
export type MqOutcome =
  | { readonly status: "pending" }
  | { readonly status: "acknowledged"; readonly partition: number; readonly offset: number; readonly atMs: number }
  | { readonly status: "failed"; readonly error: string }

/** The producer side of a message queue. */
export interface MqProducer {
  /** Hands `message` to the queue; returns an id to ask about its outcome. */
  send(message: MqMessage): number
  /** The outcome of the message with id `id`. */
  outcome(id: number): MqOutcome
}

/** A message as a consumer receives it: where it was stored, too. */
export interface MqReceived extends MqMessage {
  readonly topic: string
  readonly partition: number
  readonly offset: number
}

/** The consumer side of a message queue. */
export interface MqConsumer {
  /** Subscribes to `topics`: the queue hands this consumer its share of them (a group's split). */
  subscribe(topics: readonly string[]): void
  /** Waits for the messages available, at most `max`, in the order the queue delivers them. */
  poll(max: number): ProcessGenerator<readonly MqReceived[]>
  /** Commits everything poll handed out so far; true when the queue accepted it. */
  commit(): ProcessGenerator<boolean>
}

/** A {@link KafkaConsumer} behind the {@link MqConsumer} interface (commits are the application's: `commit: "none"` suits it). */
export class KafkaMqConsumer implements MqConsumer {
  constructor(private readonly consumer: KafkaConsumer) {}

  subscribe(topics: readonly string[]): void {
    this.consumer.subscribe(topics)
  }

  *poll(max: number): ProcessGenerator<readonly MqReceived[]> {
    const records = yield* this.consumer.poll(max)
    return records.map((r) => ({
      key: null,
      value: String(r.id),
      topic: r.tp.topic,
      partition: r.tp.partition,
      offset: r.offset,
    }))
  }

  *commit(): ProcessGenerator<boolean> {
    return yield* this.consumer.commitSync()
  }
}

/** The Kafka producer behind the {@link MqProducer} interface. */
export class KafkaMqProducer implements MqProducer {
  private readonly values: string[] = []

  constructor(private readonly producer: Producer) {}

  send(message: MqMessage): number {
    const id = this.producer.send(message.key)
    this.values[id] = message.value
    return id
  }

  outcome(id: number): MqOutcome {
    const found = this.producer.records.batchOf(id)
    if (found === undefined) return { status: "pending" }
    const { batch, index } = found
    if (batch.status === RECORD_ACKED) {
      return {
        status: "acknowledged",
        partition: batch.partition,
        offset: batch.baseOffset < 0 ? -1 : batch.baseOffset + index,
        atMs: batch.ackMs,
      }
    }
    if (batch.status === RECORD_FAILED) return { status: "failed", error: batch.error }
    return { status: "pending" }
  }

  /** The value sent with message `id`. */
  valueOf(id: number): string | undefined {
    return this.values[id]
  }
}
