/**
 * The textbook's per-round idealisation of TCP congestion control (docs/tcp-rounds.md): time moves
 * in transmission rounds (one RTT each), the sender sends a whole window of `cwnd` segments per
 * round, and losses are scripted, each detected at the end of a given round.
 *
 * - Slow start (cwnd < ssthresh): the next round's cwnd is min(2·cwnd, ssthresh) (doubling, capped
 *   at the threshold). Congestion avoidance (cwnd ≥ ssthresh): cwnd + 1.
 * - A loss detected at the end of round r: ssthresh = max(floor(cwnd / 2), 2). A timeout (Tahoe and
 *   Reno) or a triple duplicate ACK under Tahoe: cwnd = 1, slow start. A triple duplicate ACK under
 *   Reno: cwnd = ssthresh + 3 (fast recovery), then +1 per round.
 * - Phases per round: `slow-start` when the round's window came from slow start (including the
 *   round that reaches ssthresh by doubling), or round 1 with cwnd < ssthresh; `fast-recovery` for
 *   the round after a Reno triple duplicate ACK; `congestion-avoidance` otherwise. Kurose & Ross's
 *   answer keys count the fast-recovery round as congestion avoidance (the idealisation deflates
 *   within the round).
 *
 * Pure arithmetic: {@link tcpRounds} computes every round; the scenario in `tcp-rounds-scenario.ts`
 * replays it on the kernel with one record per round and per loss.
 */

/** The two loss responses the textbook compares. */
export const ROUNDS_ALGORITHMS = ["tahoe", "reno"] as const
export type RoundsAlgorithm = (typeof ROUNDS_ALGORITHMS)[number]

/** How a loss is detected: three duplicate ACKs, or the retransmission timer. */
export const LOSS_KINDS = ["dup", "timeout"] as const
export type LossKind = (typeof LOSS_KINDS)[number]

/** What a round's window came from. */
export type RoundPhase = "slow-start" | "congestion-avoidance" | "fast-recovery"

/** A loss detected at the end of `round` (from 1). */
export interface LossEvent {
  readonly round: number
  readonly kind: LossKind
}

/** Options of {@link tcpRounds}. */
export interface TcpRoundsOptions {
  /** Default `reno`. */
  readonly algorithm?: RoundsAlgorithm
  /** The initial slow-start threshold in segments, at least 1. Default 8. */
  readonly ssthresh?: number
  /** Losses, at most one per round, each in 1..rounds. Default: a triple duplicate ACK after round 8. */
  readonly events?: readonly LossEvent[]
  /** Rounds to compute, at least 1. Default 15. */
  readonly rounds?: number
  /** cwnd of round 1 in segments, at least 1. Default 1. */
  readonly initialCwnd?: number
}

/** One transmission round. */
export interface Round {
  /** From 1. */
  readonly round: number
  /** The window in force during the round, in segments (= segments sent in the round). */
  readonly cwnd: number
  /** The slow-start threshold in force during the round, in segments. */
  readonly ssthresh: number
  readonly phase: RoundPhase
  /** Segments sent in rounds 1..round. */
  readonly sentThrough: number
  /** The loss detected at the end of this round, if any. */
  readonly loss?: LossKind
}

/** The response to a loss at the end of `round`: the new ssthresh and the next round's cwnd. */
export interface LossResponse {
  readonly round: number
  readonly kind: LossKind
  /** cwnd during the round the loss ended. */
  readonly cwnd: number
  readonly ssthresh: number
  readonly nextCwnd: number
  /** Whether the sender enters fast recovery (Reno, triple duplicate ACK) or restarts slow start. */
  readonly nextPhase: RoundPhase
}

/** The defaults of {@link TcpRoundsOptions}, the textbook's Figure 3.52 (7th ed.). */
export const TCP_ROUNDS_DEFAULTS = {
  algorithm: "reno",
  ssthresh: 8,
  events: [{ round: 8, kind: "dup" }],
  rounds: 15,
  initialCwnd: 1,
} as const satisfies Required<TcpRoundsOptions>

/** ssthresh after a loss with `cwnd` segments in flight: half, rounded down, at least 2. */
export function ssthreshAfterLoss(cwnd: number): number {
  return Math.max(Math.floor(cwnd / 2), 2)
}

/** The response of `algorithm` to a loss of `kind` at the end of a round with window `cwnd`. */
export function respondToLoss(algorithm: RoundsAlgorithm, kind: LossKind, round: number, cwnd: number): LossResponse {
  const ssthresh = ssthreshAfterLoss(cwnd)
  if (algorithm === "reno" && kind === "dup")
    return { round, kind, cwnd, ssthresh, nextCwnd: ssthresh + 3, nextPhase: "fast-recovery" }
  return { round, kind, cwnd, ssthresh, nextCwnd: 1, nextPhase: "slow-start" }
}

/** Every round and every loss response for `options` (see the file header). */
export function tcpRounds(options: TcpRoundsOptions = {}): { rounds: Round[]; losses: LossResponse[] } {
  const algorithm = options.algorithm ?? TCP_ROUNDS_DEFAULTS.algorithm
  const total = options.rounds ?? TCP_ROUNDS_DEFAULTS.rounds
  const lossAt = new Map((options.events ?? TCP_ROUNDS_DEFAULTS.events).map((e) => [e.round, e.kind]))
  let ssthresh = options.ssthresh ?? TCP_ROUNDS_DEFAULTS.ssthresh
  let cwnd = options.initialCwnd ?? TCP_ROUNDS_DEFAULTS.initialCwnd
  let phase: RoundPhase = cwnd < ssthresh ? "slow-start" : "congestion-avoidance"
  let sent = 0
  const rounds: Round[] = []
  const losses: LossResponse[] = []
  for (let round = 1; round <= total; round++) {
    sent += cwnd
    const loss = lossAt.get(round)
    rounds.push({ round, cwnd, ssthresh, phase, sentThrough: sent, ...(loss === undefined ? {} : { loss }) })
    if (loss !== undefined) {
      const response = respondToLoss(algorithm, loss, round, cwnd)
      losses.push(response)
      ssthresh = response.ssthresh
      cwnd = response.nextCwnd
      phase = response.nextPhase
    } else if (cwnd < ssthresh) {
      cwnd = Math.min(2 * cwnd, ssthresh)
      phase = "slow-start"
    } else {
      cwnd += 1
      phase = "congestion-avoidance"
    }
  }
  return { rounds, losses }
}

/** The round in which segment `n` (from 1) is sent, or undefined when the rounds send fewer. */
export function roundOfSegment(rounds: readonly Round[], n: number): number | undefined {
  return rounds.find((round) => round.sentThrough >= n)?.round
}

/**
 * Parses `--events`: `none`, or a comma list of `<round>:dup|timeout` with distinct rounds from 1
 * (whether a round is within `--rounds` is checked against that flag separately).
 * @returns the events sorted by round, or the sentence that says what is wrong
 */
export function parseLossEvents(text: string): LossEvent[] | string {
  if (text === "none") return []
  const events: LossEvent[] = []
  for (const item of text.split(",")) {
    const match = /^(\d+):(.*)$/.exec(item)
    if (match === null) return `event ${JSON.stringify(item)} is not <round>:dup or <round>:timeout`
    const round = Number(match[1])
    const kind = match[2]!
    if (!(LOSS_KINDS as readonly string[]).includes(kind))
      return `event ${JSON.stringify(item)}: unknown kind ${JSON.stringify(kind)} (allowed: ${LOSS_KINDS.join(", ")})`
    if (round < 1) return `event ${JSON.stringify(item)}: rounds count from 1`
    if (events.some((e) => e.round === round)) return `round ${round} has more than one event`
    events.push({ round, kind: kind as LossKind })
  }
  return events.sort((a, b) => a.round - b.round)
}
