/**
 * The rare events of a Kafka run, kept whatever the trace settings (elections, ISR changes,
 * truncations, crashes), so that a summary can explain every lost record.
 */

/** A follower (or a restarted leader) cut records off its log. */
export interface TruncationEvent {
  readonly t: number
  readonly broker: number
  readonly partition: number
  /** LEO before and after. */
  readonly fromOffset: number
  readonly toOffset: number
  /** The leader it followed and that leader's epoch. */
  readonly leader: number
  readonly leaderEpoch: number
}

/** The controller chose a leader (or found none). */
export interface ElectionEvent {
  readonly t: number
  readonly partition: number
  /** New leader, or -1 (offline). */
  readonly leader: number
  readonly leaderEpoch: number
  readonly isr: readonly number[]
  /** True when the leader was outside the ISR (unclean election). */
  readonly unclean: boolean
  readonly previousLeader: number
}

/** The controller committed an ISR change. */
export interface IsrChangeEvent {
  readonly t: number
  readonly partition: number
  readonly isr: readonly number[]
  readonly reason: "shrink" | "expand" | "fenced"
}

/** Where the model reports rare events. */
export class KafkaEvents {
  readonly truncations: TruncationEvent[] = []
  readonly elections: ElectionEvent[] = []
  readonly isrChanges: IsrChangeEvent[] = []
  private readonly highWatermarks = new Map<number, number[]>()

  /** A leader of `partition` in `leaderEpoch` advanced its high watermark to `highWatermark`. */
  committed(partition: number, leaderEpoch: number, highWatermark: number): void {
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
}
