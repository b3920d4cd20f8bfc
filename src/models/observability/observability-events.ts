/**
 * The trace events of the observability model: scrapes and alert state changes, past tense, with
 * the subject first. See docs/prometheus.md.
 */

/** A scrape of a target answered; `samples` exposed samples were stored at `tMs`. */
export interface TargetScraped {
  readonly type: "TargetScraped"
  readonly instance: string
  readonly job: string
  readonly tMs: number
  readonly samples: number
}

/** A scrape of a target got no answer within the scrape timeout: `up` is 0 and its series went stale. */
export interface ScrapeFailed {
  readonly type: "ScrapeFailed"
  readonly instance: string
  readonly job: string
  readonly tMs: number
}

/** An alert's condition held at an evaluation: the alert is pending until it has held for `for`. */
export interface AlertPending {
  readonly type: "AlertPending"
  readonly alert: string
  /** The evaluation's time, in ms (the alert's active time). */
  readonly activeAtMs: number
}

/** An alert has held for its `for` duration: it fires. */
export interface AlertFired {
  readonly type: "AlertFired"
  readonly alert: string
  /** The evaluation's time, in ms. */
  readonly tMs: number
  readonly activeAtMs: number
}

/** A pending or firing alert's condition no longer held at an evaluation. */
export interface AlertResolved {
  readonly type: "AlertResolved"
  readonly alert: string
  /** The evaluation's time, in ms. */
  readonly tMs: number
  /** Whether it had fired (false: it was only pending). */
  readonly wasFiring: boolean
}

export type ObservabilityEvent = TargetScraped | ScrapeFailed | AlertPending | AlertFired | AlertResolved
