/**
 * The nodes of a failure-detector run: one monitor and the three nodes it watches.
 */

/** The monitor node's name. */
export const MONITOR = "monitor"
/** The watched nodes' names. */
export const WATCHED = ["n1", "n2", "n3"] as const
/** Every node, monitor first. */
export const ALL_NODES: readonly string[] = [MONITOR, ...WATCHED]
