/**
 * The trace events of page replacement ({@link PagingEvent}): one record per reference, at the
 * reference's index as simulated time, with what `paging-timeline.ts` needs to tell it.
 */

/** The referenced page was resident. */
export interface PageHit {
  readonly type: "PageHit"
  /** The reference's index in the string, from 0. */
  readonly index: number
  readonly page: number
  /** Resident pages after the reference, in the policy's order. */
  readonly frames: readonly number[]
}

/** The referenced page was not resident: it was loaded, evicting `victim` if every frame was taken. */
export interface PageFaulted {
  readonly type: "PageFaulted"
  readonly index: number
  readonly page: number
  /** The page evicted, or null when a frame was free. */
  readonly victim: number | null
  readonly frames: readonly number[]
}

/** Every page-replacement trace event. */
export type PagingEvent = PageHit | PageFaulted
