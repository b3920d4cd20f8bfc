/**
 * An observer of a Kafka run built from its trace records: the rare events (elections, ISR changes,
 * truncations) and the highest high watermark of every leader epoch, which the checks need to
 * explain a lost record and the lessons need to tell the run's story. It listens to the trace
 * (`trace.listen`) and keeps only those, not the trace.
 */
import type { Trace, Traced } from "../../kernel/index.ts"
import type { IsrChanged, KafkaEvent, LeaderElected, LogTruncated } from "./kafka-events.ts"

/** The history of a run, as far as the checks and lessons need it. */
export class KafkaHistory {
  /** Every election, the initial ones (at t=0, previous leader -1) first. */
  readonly elections: Traced<LeaderElected>[] = []
  readonly isrChanges: Traced<IsrChanged>[] = []
  readonly truncations: Traced<LogTruncated>[] = []
  private readonly highWatermarks = new Map<number, number[]>()

  /**
   * Listens to `trace` from now on. `initial` is each partition's first leader and ISR, which the
   * controller starts with (they are not elected, so not recorded).
   * @throws Error when the trace is disabled: the history is read from its records
   */
  constructor(trace: Trace, initial: readonly { readonly leader: number; readonly isr: readonly number[] }[]) {
    if (!trace.enabled) {
      throw new Error("the Kafka history is read from the trace: enable it (trace: { hash: false } serialises nothing)")
    }
    initial.forEach((state, partition) => {
      const { leader, isr } = state
      this.elections.push({
        t: 0,
        seq: -1,
        type: "LeaderElected",
        partition,
        leader,
        leaderEpoch: 0,
        isr,
        unclean: false,
        previousLeader: -1,
      })
    })
    trace.listen((record) => this.observe(record as Traced<KafkaEvent>))
  }

  private observe(record: Traced<KafkaEvent>): void {
    switch (record.type) {
      case "LeaderElected":
        this.elections.push(record)
        break
      case "IsrChanged":
        this.isrChanges.push(record)
        break
      case "LogTruncated":
        this.truncations.push(record)
        break
      case "HighWatermarkAdvanced":
        this.committed(record.partition, record.leaderEpoch, record.highWatermark)
        break
      default:
        break
    }
  }

  private committed(partition: number, leaderEpoch: number, highWatermark: number): void {
    let byEpoch = this.highWatermarks.get(partition)
    if (byEpoch === undefined) {
      byEpoch = []
      this.highWatermarks.set(partition, byEpoch)
    }
    if ((byEpoch[leaderEpoch] ?? 0) < highWatermark) byEpoch[leaderEpoch] = highWatermark
  }

  /**
   * True when `offset` of `partition` was below the high watermark of the leader of `leaderEpoch`
   * at some point, so a consumer (which reads only below the high watermark) could have read it.
   * Within an epoch the leader's log only grows, so this identifies the record written in that epoch.
   */
  wasVisible(partition: number, leaderEpoch: number, offset: number): boolean {
    return offset < (this.highWatermarks.get(partition)?.[leaderEpoch] ?? 0)
  }

  /** The ISR of `partition` at time `t` (`replicas` before any change). */
  isrAt(partition: number, t: number, replicas: readonly number[]): readonly number[] {
    const change = this.isrChanges.filter((c) => c.partition === partition && c.t <= t).pop()
    return change === undefined ? replicas : change.isr
  }

  /**
   * How many times leadership of a partition passed to another broker (offline spells and a
   * leader's own return do not count).
   */
  handovers(): number {
    const last = new Map<number, number>()
    let count = 0
    for (const election of this.elections) {
      if (election.leader < 0) continue
      const previous = last.get(election.partition)
      if (previous !== undefined && previous !== election.leader) count++
      last.set(election.partition, election.leader)
    }
    return count
  }
}
