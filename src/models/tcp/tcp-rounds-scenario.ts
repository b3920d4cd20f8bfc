/**
 * The per-round idealisation on the kernel (docs/tcp-rounds.md): a sender process that, for each
 * transmission round r (at simulated time r, one step per round), records the window it sends
 * (`RoundSent`) and, when a loss is scripted for the end of that round, the loss and the response
 * (`LossDetected`). The numbers are {@link tcpRounds}'s.
 *
 * `run(advance)` returns a {@link TcpRoundsResult} whose `summary()` is the `tcp-rounds` sim's JSON
 * metrics.
 */
import { type Advance, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import {
  type LossResponse,
  type Round,
  type RoundPhase,
  type RoundsAlgorithm,
  TCP_ROUNDS_DEFAULTS,
  tcpRounds,
  type TcpRoundsOptions,
} from "./tcp-rounds.ts"
import type { TcpRoundsEvent } from "./tcp-rounds-events.ts"

/** What a per-round run produced: every round and every loss response. */
export class TcpRoundsResult implements ScenarioResult {
  constructor(
    readonly algorithm: RoundsAlgorithm,
    readonly rounds: readonly Round[],
    readonly losses: readonly LossResponse[],
  ) {}

  /** The `tcp-rounds` sim's JSON metrics: per round from round 1, the values in force during it. */
  summary(): { cwnd: number[]; ssthresh: number[]; phases: RoundPhase[]; segmentsSent: number[] } {
    return {
      cwnd: this.rounds.map((r) => r.cwnd),
      ssthresh: this.rounds.map((r) => r.ssthresh),
      phases: this.rounds.map((r) => r.phase),
      segmentsSent: this.rounds.map((r) => r.sentThrough),
    }
  }
}

/** See the file header. */
export class TcpRoundsScenario implements Scenario<TcpRoundsResult> {
  private readonly trace: TraceOf<TcpRoundsEvent>
  private readonly computed: { rounds: Round[]; losses: LossResponse[] }

  constructor(
    readonly sim: Simulation,
    private readonly options: TcpRoundsOptions = {},
  ) {
    this.trace = sim.trace
    this.computed = tcpRounds(options)
    sim.spawn(this.sender(), "sender")
  }

  /** Runs every round. */
  run(advance: Advance = runUntil): TcpRoundsResult {
    advance(this.sim, Infinity)
    const algorithm = this.options.algorithm ?? TCP_ROUNDS_DEFAULTS.algorithm
    return new TcpRoundsResult(algorithm, this.computed.rounds, this.computed.losses)
  }

  private *sender(): ProcessGenerator<void> {
    const losses = new Map(this.computed.losses.map((loss) => [loss.round, loss]))
    for (const { round, cwnd, ssthresh, phase, sentThrough } of this.computed.rounds) {
      yield* this.sim.sleep(1)
      this.trace.record({ type: "RoundSent", round, cwnd, ssthresh, phase, sentThrough })
      const loss = losses.get(round)
      if (loss !== undefined) this.trace.record({ type: "LossDetected", ...loss })
    }
  }
}
