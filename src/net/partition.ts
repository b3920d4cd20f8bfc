/**
 * A network partition: sets of nodes that cannot reach each other.
 *
 * Picture a data centre whose switches failed so that racks split into islands. `groups` lists
 * disjoint sets of nodes; every node in no group forms one more set (the rest of the world), so
 * `[["a"]]` cuts `a` off from everyone. A symmetric partition cuts every message between different
 * sets. A one-way partition (`oneWay`) cuts only messages from an earlier set to a later one (the
 * rest-of-the-world set counts as the last): `[["a"], ["b"]]` one-way cuts a→b while b→a still
 * flows, like a firewall rule that drops outgoing packets only.
 *
 * Invariant: a node never loses messages to itself. Left out: partial partitions that cut a
 * fraction of packets (use a link fault with a drop probability).
 */

/** Options of `network.partition`. */
export interface PartitionOptions {
  /** Cut only messages from an earlier set to a later one. Default false (symmetric). */
  readonly oneWay?: boolean
  /** When the partition starts, in simulated ms; at or before now: at once. Default now. */
  readonly at?: number
  /** When it heals by itself, in simulated ms. Default: never (call `heal()`). */
  readonly healAt?: number
}

/** Where a partition is in its life. */
export type PartitionState = "scheduled" | "active" | "healed"

/** One partition, created by `network.partition`. */
export class Partition {
  /** Active, scheduled or healed: maintained by the network. */
  state: PartitionState = "scheduled"
  private readonly setOf = new Map<string, number>()

  constructor(
    /** Number of the partition in its network, from 1. */
    readonly id: number,
    /** The disjoint sets of nodes, as given. */
    readonly groups: readonly (readonly string[])[],
    /** True for a one-way (asymmetric) partition. */
    readonly oneWay: boolean,
    private readonly healWith: (partition: Partition) => void,
  ) {
    groups.forEach((group, index) => {
      for (const node of group) {
        if (this.setOf.has(node))
          throw new RangeError(`partition ${formatGroups(groups)}: node ${node} is in two groups`)
        this.setOf.set(node, index)
      }
    })
  }

  /** True while the partition cuts messages. */
  get isActive(): boolean {
    return this.state === "active"
  }

  /** True if this partition, when active, cuts messages from `from` to `to`. */
  cuts(from: string, to: string): boolean {
    if (from === to) return false
    const rest = this.groups.length
    const a = this.setOf.get(from) ?? rest
    const b = this.setOf.get(to) ?? rest
    if (a === b) return false
    return this.oneWay ? a < b : true
  }

  /** Heals the partition now (a scheduled one never starts). Healing twice does nothing. */
  heal(): void {
    this.healWith(this)
  }

  /** `{a,b} | {c}`, with `->` between sets when one-way. */
  toString(): string {
    return formatGroups(this.groups, this.oneWay)
  }
}

/** `{a,b} | {c}` (or `{a} -> {b}` when one-way): groups as a reader expects them. */
export function formatGroups(groups: readonly (readonly string[])[], oneWay = false): string {
  return groups.map((group) => `{${group.join(",")}}`).join(oneWay ? " -> " : " | ")
}
