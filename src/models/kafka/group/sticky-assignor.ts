/**
 * Kafka's `sticky` and `cooperative-sticky` assignors (`AbstractStickyAssignor` as of Kafka 3.9, with
 * `CooperativeStickyAssignor`'s adjustment), step for step; checked against Kafka's own classes
 * on recorded cases (scripts/kafka-assignors/).
 *
 * Goals, in order: balance (members' partition counts differ by at most one, or no member with
 * two fewer could take any partition of a fuller one), then stickiness (keep as many owned
 * partitions where they are). When two members claim a partition, the higher generation keeps it;
 * claimed twice in the same generation, it is owned by neither (and moves like a revoked one).
 *
 * - When every member subscribes to the same topics, the **constrained** algorithm: each member
 *   keeps up to its quota of what it owns, sorted by partition number then topic (`⌊P/M⌋`, or `⌈P/M⌉`
 *   for the first `P mod M` members that own that many, walking members in Java `HashMap` order),
 *   then the remaining partitions, sorted, are dealt round-robin to the sorted members still under
 *   quota, then one each to the members at exactly the lower quota.
 * - Otherwise the **general** algorithm: keep valid owned partitions, give each unassigned
 *   partition (topics with fewer potential consumers first) to the least-loaded member that
 *   subscribes to it, then move partitions from fuller to emptier members — back to their previous
 *   owner when that helps — until balanced, keeping the result only if it is more balanced.
 *
 * `cooperative-sticky` runs the same and then leaves out of the assignment every partition that
 * changes owner: its old owner revokes it first, and the next rebalance gives it to the new owner,
 * so no partition has two owners at any instant.
 *
 * Java's hash-table iteration order decides some ties (which member keeps its extra partition,
 * which partition of a pair moves); `java-hash-order.ts` reproduces it for the member ids and
 * partitions given. Left out: rack awareness (KIP-881: no member here has a rack), and
 * `maxGeneration` surviving between calls on one assignor object (each call here starts afresh).
 */
import type { Assignment, MemberSubscription } from "./assignor-types.ts"
import { JavaHashSet, javaHashMapOrder, javaTopicPartitionHash } from "./java-hash-order.ts"
import {
  compareStrings,
  comparePartitions,
  partitionKey,
  partitionsOf,
  type TopicPartition,
} from "./topic-partition.ts"

const DEFAULT_GENERATION = -1

/** What the sticky algorithm hands to the cooperative adjustment. */
interface StickyResult {
  readonly assignment: Assignment
  /** Partitions that change owner (constrained path), or null: compute from owned vs assigned. */
  readonly transferring: Map<string, string> | null
}

/** Owned partitions that count, per member (in `HashMap` order), and what the scan learned. */
interface Ownership {
  readonly owned: Map<string, TopicPartition[]>
  readonly multiplyClaimed: Set<string>
  readonly maxGeneration: number
  readonly allEqual: boolean
}

/** Kafka's `StickyAssignor` (eager protocol). */
export function stickyAssign(
  partitionsPerTopic: ReadonlyMap<string, number>,
  members: readonly MemberSubscription[],
): Assignment {
  return runSticky(partitionsPerTopic, members).assignment
}

/** Kafka's `CooperativeStickyAssignor`: sticky, minus every partition that changes owner. */
export function cooperativeStickyAssign(
  partitionsPerTopic: ReadonlyMap<string, number>,
  members: readonly MemberSubscription[],
): Assignment {
  const { assignment, transferring } = runSticky(partitionsPerTopic, members)
  const moving = transferring ?? partitionsTransferringOwnership(members, assignment)
  for (const [key, newOwner] of moving) {
    const list = assignment.get(newOwner)!
    const at = list.findIndex((tp) => partitionKey(tp) === key)
    if (at >= 0) list.splice(at, 1)
  }
  return assignment
}

function runSticky(
  partitionsPerTopic: ReadonlyMap<string, number>,
  members: readonly MemberSubscription[],
): StickyResult {
  const byId = new Map(members.map((member) => [member.memberId, member]))
  const ordered = javaHashMapOrder(members.map((member) => member.memberId)).map((id) => byId.get(id)!)
  const ownership = scanOwnership(new Set(partitionsPerTopic.keys()), ordered)
  if (ownership.allEqual) return constrainedAssign(partitionsPerTopic, ownership)
  return { assignment: generalAssign(partitionsPerTopic, ordered, ownership), transferring: null }
}

/** `allSubscriptionsEqual`: which owned partitions count, and whether every member subscribes alike. */
function scanOwnership(allTopics: ReadonlySet<string>, ordered: readonly MemberSubscription[]): Ownership {
  const owned = new Map<string, TopicPartition[]>()
  const generationOf = new Map(ordered.map((member) => [member.memberId, member.generation ?? DEFAULT_GENERATION]))
  const multiplyClaimed = new Set<string>()
  const previousOwner = new Map<string, string>()
  let maxGeneration = DEFAULT_GENERATION
  let allEqual = true
  let subscribed = new Set<string>()
  for (const member of ordered) {
    const topics = new Set(member.topics)
    if (subscribed.size === 0) subscribed = new Set(topics)
    else if (allEqual && !(topics.size === subscribed.size && [...topics].every((t) => subscribed.has(t))))
      allEqual = false
    const generation = generationOf.get(member.memberId)!
    maxGeneration = Math.max(maxGeneration, generation)
    const mine: TopicPartition[] = []
    owned.set(member.memberId, mine)
    for (const tp of member.ownedPartitions ?? []) {
      if (!allTopics.has(tp.topic)) continue
      const key = partitionKey(tp)
      const other = previousOwner.get(key)
      if (other === undefined) {
        mine.push(tp)
        previousOwner.set(key, member.memberId)
        continue
      }
      const otherGeneration = generationOf.get(other)!
      if (generation < otherGeneration) continue
      if (generation === otherGeneration) multiplyClaimed.add(key)
      else mine.push(tp)
      removePartition(owned.get(other)!, key)
      previousOwner.set(key, member.memberId)
    }
  }
  return { owned, multiplyClaimed, maxGeneration, allEqual }
}

function removePartition(list: TopicPartition[], key: string): void {
  const at = list.findIndex((tp) => partitionKey(tp) === key)
  if (at >= 0) list.splice(at, 1)
}

/** All partitions of the sorted topics, in order. */
function allPartitions(
  partitionsPerTopic: ReadonlyMap<string, number>,
  sortedTopics: readonly string[],
): TopicPartition[] {
  return sortedTopics.flatMap((topic) => partitionsOf(topic, partitionsPerTopic.get(topic)!))
}

/** The constrained algorithm (every member subscribes to the same topics). */
function constrainedAssign(partitionsPerTopic: ReadonlyMap<string, number>, ownership: Ownership): StickyResult {
  const { owned, multiplyClaimed } = ownership
  const consumers = owned.size
  const total = [...partitionsPerTopic.values()].reduce((sum, n) => sum + n, 0)
  const quota = { min: Math.floor(total / consumers), max: Math.ceil(total / consumers) }
  const state = { expectedOver: total % consumers, currentOver: 0 }
  const assignment: Assignment = new Map([...owned.keys()].map((id) => [id, [] as TopicPartition[]]))
  const maybeRevoked = new Map<string, string>()
  const assignedList: TopicPartition[] = []
  const under: string[] = []
  let exactly: string[] = []
  for (const [consumer, list] of owned) {
    const mine = [...list].sort((a, b) => a.partition - b.partition || compareStrings(a.topic, b.topic))
    for (const key of multiplyClaimed) removePartition(mine, key)
    const keep = keptCount(mine.length, quota, state)
    if (keep === "all") under.push(consumer)
    else if (keep === quota.max) {
      state.currentOver++
      if (state.currentOver === state.expectedOver) exactly = []
    } else if (state.currentOver < state.expectedOver) exactly.push(consumer)
    const kept = keep === "all" ? mine : mine.slice(0, keep)
    assignment.get(consumer)!.push(...kept)
    assignedList.push(...kept)
    for (const tp of mine.slice(kept.length)) maybeRevoked.set(partitionKey(tp), consumer)
  }
  const sortedTopics = [...partitionsPerTopic.keys()].sort(compareStrings)
  const unassigned = unassignedByMerge(allPartitions(partitionsPerTopic, sortedTopics), assignedList, comparePartitions)
  under.sort(compareStrings)
  exactly.sort(compareStrings)
  const transferring = new Map<string, string>()
  dealRoundRobin(unassigned, { assignment, under, exactly, quota, state }, (tp, consumer) => {
    const key = partitionKey(tp)
    const revokedBy = maybeRevoked.get(key)
    if ((revokedBy !== undefined && revokedBy !== consumer) || multiplyClaimed.has(key)) transferring.set(key, consumer)
  })
  return { assignment, transferring }
}

/**
 * `getUnassignedPartitions`: walks `sortedAll` and the assigned partitions sorted by `compare`
 * together, as Kafka does. Exactly the set difference when every assigned partition exists; when
 * an owned partition does not (a topic shrank), Kafka's walk loses step and counts the rest as
 * unassigned, and so does this one.
 */
function unassignedByMerge(
  sortedAll: readonly TopicPartition[],
  assigned: TopicPartition[],
  compare: (a: TopicPartition, b: TopicPartition) => number,
): TopicPartition[] {
  if (assigned.length === 0) return [...sortedAll]
  const sortedAssigned = [...assigned].sort(compare)
  const unassigned: TopicPartition[] = []
  let next = 0
  let addDirectly = false
  for (const tp of sortedAll) {
    const candidate = sortedAssigned[next]!
    if (addDirectly || candidate.topic !== tp.topic || candidate.partition !== tp.partition) unassigned.push(tp)
    else if (next + 1 < sortedAssigned.length) next++
    else addDirectly = true
  }
  return unassigned
}

/** How many owned partitions a member keeps: all of them (and it is under quota), max or min. */
function keptCount(
  ownedCount: number,
  quota: { min: number; max: number },
  state: { expectedOver: number; currentOver: number },
): number | "all" {
  if (ownedCount < quota.min) return "all"
  if (ownedCount >= quota.max && state.currentOver < state.expectedOver) return quota.max
  return quota.min
}

interface Dealing {
  readonly assignment: Assignment
  readonly under: string[]
  readonly exactly: string[]
  readonly quota: { readonly min: number; readonly max: number }
  readonly state: { expectedOver: number; currentOver: number }
}

/** Deals `unassigned` round-robin to the members under quota, then one each to those at exactly min. */
function dealRoundRobin(
  unassigned: readonly TopicPartition[],
  dealing: Dealing,
  onAssign: (tp: TopicPartition, consumer: string) => void,
): void {
  const { assignment, under, exactly, quota, state } = dealing
  let next = 0
  for (const tp of unassigned) {
    let consumer: string
    if (next < under.length) consumer = under[next++]!
    else if (under.length === 0 && exactly.length === 0)
      throw new Error("sticky assignor: no more unfilled consumers to be assigned")
    else if (under.length === 0) consumer = exactly.shift()!
    else {
      next = 0
      consumer = under[next++]!
    }
    const list = assignment.get(consumer)!
    list.push(tp)
    onAssign(tp, consumer)
    if (list.length === quota.min) {
      under.splice(--next, 1)
      exactly.push(consumer)
    } else if (list.length === quota.max) state.currentOver++
  }
  const short = under.find((consumer) => assignment.get(consumer)!.length !== quota.min)
  if (short !== undefined || (under.length > 0 && state.currentOver !== state.expectedOver)) {
    throw new Error(`sticky assignor: consumer ${short ?? under[0]} did not reach its quota`)
  }
}

/** `computePartitionsTransferringOwnership`: partitions revoked from one member and added to another. */
function partitionsTransferringOwnership(
  members: readonly MemberSubscription[],
  assignment: Assignment,
): Map<string, string> {
  const added = new Map<string, string>()
  const revoked = new Set<string>()
  for (const member of members) {
    const assigned = assignment.get(member.memberId) ?? []
    const ownedKeys = new Set((member.ownedPartitions ?? []).map(partitionKey))
    const assignedKeys = new Set(assigned.map(partitionKey))
    for (const tp of assigned) if (!ownedKeys.has(partitionKey(tp))) added.set(partitionKey(tp), member.memberId)
    for (const key of ownedKeys) if (!assignedKeys.has(key)) revoked.add(key)
  }
  return new Map([...added].filter(([key]) => revoked.has(key)))
}

// ---- the general algorithm ------------------------------------------------------------------

/** One move of a partition between two members, as `PartitionMovements` records it. */
interface Move {
  readonly src: string
  readonly dst: string
}

/** The general algorithm's working state. */
interface General {
  readonly partitionsPerTopic: ReadonlyMap<string, number>
  readonly total: number
  /** Members still subject to reassignment, with their partitions. */
  readonly current: Map<string, TopicPartition[]>
  readonly sorted: Set<string>
  readonly ownerOf: Map<string, string>
  readonly consumerTopics: Map<string, string[]>
  readonly topicConsumers: Map<string, string[]>
  readonly previous: Map<string, { readonly consumer: string; readonly generation: number }>
  readonly moves: Map<string, Move>
  readonly movesByTopic: Map<string, Map<string, JavaHashSet<TopicPartition>>>
}

function generalAssign(
  partitionsPerTopic: ReadonlyMap<string, number>,
  ordered: readonly MemberSubscription[],
  ownership: Ownership,
): Assignment {
  const topicConsumers = new Map([...partitionsPerTopic.keys()].map((topic) => [topic, [] as string[]]))
  const consumerTopics = new Map<string, string[]>()
  for (const member of ordered) {
    const topics = member.topics.filter((topic) => partitionsPerTopic.has(topic))
    consumerTopics.set(member.memberId, topics)
    for (const topic of topics) topicConsumers.get(topic)!.push(member.memberId)
  }
  const current = ownership.owned
  const ownerOf = new Map<string, string>()
  for (const [consumer, list] of current) for (const tp of list) ownerOf.set(partitionKey(tp), consumer)
  const sortedTopics = [...partitionsPerTopic.keys()].sort(
    (a, b) => topicConsumers.get(a)!.length - topicConsumers.get(b)!.length || compareStrings(a, b),
  )
  const sortedAll = allPartitions(partitionsPerTopic, sortedTopics)
  const assigned: TopicPartition[] = []
  let revocationRequired = false
  for (const [consumer, list] of current) {
    const topics = new Set(ordered.find((member) => member.memberId === consumer)!.topics)
    const kept = list.filter((tp) => topics.has(tp.topic))
    if (kept.length < list.length) revocationRequired = true
    list.splice(0, list.length, ...kept)
    assigned.push(...kept)
  }
  const byConsumers = (a: TopicPartition, b: TopicPartition): number =>
    topicConsumers.get(a.topic)!.length - topicConsumers.get(b.topic)!.length || comparePartitions(a, b)
  const unassigned = unassignedByMerge(sortedAll, assigned, byConsumers)
  const general: General = {
    partitionsPerTopic,
    total: sortedAll.length,
    current,
    sorted: new Set(current.keys()),
    ownerOf,
    consumerTopics,
    topicConsumers,
    previous: previousAssignment(ordered, ownership.maxGeneration),
    moves: new Map(),
    movesByTopic: new Map(),
  }
  balance(general, sortedAll, unassigned, revocationRequired)
  return current
}

/** `prepopulateCurrentAssignments`: per partition, its owner of the latest generation below the highest. */
function previousAssignment(ordered: readonly MemberSubscription[], maxGeneration: number): General["previous"] {
  const previous: General["previous"] = new Map()
  for (const member of ordered) {
    let generation: number
    if (member.generation !== undefined && member.generation < maxGeneration) generation = member.generation
    else if (member.generation === undefined && maxGeneration > DEFAULT_GENERATION) generation = DEFAULT_GENERATION
    else continue
    for (const tp of member.ownedPartitions ?? []) {
      const key = partitionKey(tp)
      const known = previous.get(key)
      if (known === undefined || generation > known.generation)
        previous.set(key, { consumer: member.memberId, generation })
    }
  }
  return previous
}

/** The members subject to reassignment, by (partition count, member id), as Kafka's `TreeSet`. */
function sortedMembers(general: General): string[] {
  const size = (id: string): number => general.current.get(id)!.length
  return [...general.sorted].sort((a, b) => size(a) - size(b) || compareStrings(a, b))
}

function balance(
  general: General,
  sortedAll: readonly TopicPartition[],
  unassigned: readonly TopicPartition[],
  revocationRequired: boolean,
): void {
  const { current, topicConsumers, consumerTopics } = general
  const members = sortedMembers(general)
  const initializing = members.length === 0 || current.get(members[members.length - 1]!)!.length === 0
  for (const tp of unassigned) {
    if (topicConsumers.get(tp.topic)!.length === 0) continue
    const consumer = sortedMembers(general).find((id) => consumerTopics.get(id)!.includes(tp.topic))
    if (consumer === undefined) continue
    current.get(consumer)!.push(tp)
    general.ownerOf.set(partitionKey(tp), consumer)
  }
  const movable = (tp: TopicPartition): boolean => topicConsumers.get(tp.topic)!.length >= 2
  const reassignable = sortedAll.filter(movable)
  const newlyAssigned = unassigned.filter(movable)
  const fixed = new Map<string, TopicPartition[]>()
  for (const consumer of consumerTopics.keys()) {
    if (canParticipate(general, consumer)) continue
    general.sorted.delete(consumer)
    fixed.set(consumer, current.get(consumer)!)
    current.delete(consumer)
  }
  const before = new Map([...current].map(([id, list]) => [id, [...list]]))
  const ownersBefore = new Map(general.ownerOf)
  if (!revocationRequired) performReassignments(general, newlyAssigned)
  const performed = performReassignments(general, reassignable)
  if (!initializing && performed && balanceScore(current) >= balanceScore(before)) {
    current.clear()
    for (const [id, list] of before) current.set(id, list)
    general.ownerOf.clear()
    for (const [key, owner] of ownersBefore) general.ownerOf.set(key, owner)
  }
  for (const [consumer, list] of fixed) {
    current.set(consumer, list)
    general.sorted.add(consumer)
  }
}

/** The most partitions `consumer` could hold: every partition of its topics. */
function maxAssignmentSize(general: General, consumer: string): number {
  const topics = general.consumerTopics.get(consumer)!
  if (topics.length === general.partitionsPerTopic.size) return general.total
  return topics.reduce((sum, topic) => sum + general.partitionsPerTopic.get(topic)!, 0)
}

function canParticipate(general: General, consumer: string): boolean {
  const partitions = general.current.get(consumer)!
  if (partitions.length < maxAssignmentSize(general, consumer)) return true
  return partitions.some((tp) => general.topicConsumers.get(tp.topic)!.length >= 2)
}

/** Sum over member pairs of the difference in partition counts (0: perfectly balanced). */
function balanceScore(assignment: ReadonlyMap<string, readonly TopicPartition[]>): number {
  const sizes = [...assignment.values()].map((list) => list.length)
  let score = 0
  for (let i = 0; i < sizes.length; i++)
    for (let j = i + 1; j < sizes.length; j++) score += Math.abs(sizes[i]! - sizes[j]!)
  return score
}

function isBalanced(general: General): boolean {
  const members = sortedMembers(general)
  if (members.length === 0) return true
  const size = (id: string): number => general.current.get(id)!.length
  if (size(members[0]!) >= size(members[members.length - 1]!) - 1) return true
  // Kafka rebuilds partition → owner from its HashMap of assignments (a partition listed twice: the later wins).
  const ownerOf = new Map<string, string>()
  for (const id of javaHashMapOrder([...general.current.keys()])) {
    for (const tp of general.current.get(id)!) ownerOf.set(partitionKey(tp), id)
  }
  for (const consumer of members) {
    const count = size(consumer)
    if (count === maxAssignmentSize(general, consumer)) continue
    const mine = new Set(general.current.get(consumer)!.map(partitionKey))
    for (const topic of general.consumerTopics.get(consumer)!) {
      for (const tp of partitionsOf(topic, general.partitionsPerTopic.get(topic)!)) {
        const key = partitionKey(tp)
        if (mine.has(key)) continue
        const other = ownerOf.get(key)
        if (other !== undefined && count + 1 < size(other)) return false
      }
    }
  }
  return true
}

function performReassignments(general: General, reassignable: readonly TopicPartition[]): boolean {
  const size = (id: string): number => general.current.get(id)!.length
  let performed = false
  let modified: boolean
  do {
    modified = false
    for (const tp of reassignable) {
      if (isBalanced(general)) break
      const consumer = general.ownerOf.get(partitionKey(tp))!
      const previous = general.previous.get(partitionKey(tp))
      if (previous !== undefined && !general.current.has(previous.consumer)) {
        // The previous owner holds all it can and was set aside: Kafka dereferences its missing entry here.
        throw new Error(
          `sticky assignor: previous owner ${previous.consumer} of ${partitionKey(tp)} is not being reassigned (Kafka fails with a NullPointerException)`,
        )
      }
      if (previous !== undefined && size(consumer) > size(previous.consumer) + 1) {
        reassign(general, tp, previous.consumer)
        performed = modified = true
        continue
      }
      if (
        general.topicConsumers
          .get(tp.topic)!
          .some((other) => general.current.has(other) && size(consumer) > size(other) + 1)
      ) {
        const target = sortedMembers(general).find((id) => general.consumerTopics.get(id)!.includes(tp.topic))!
        reassign(general, tp, target)
        performed = modified = true
      }
    }
  } while (modified)
  return performed
}

/** Moves `tp` (or the partition that undoes an earlier opposite move) to `newConsumer`. */
function reassign(general: General, tp: TopicPartition, newConsumer: string): void {
  const oldConsumer = general.ownerOf.get(partitionKey(tp))!
  const moved = actualPartitionToMove(general, tp, oldConsumer, newConsumer)
  const from = general.ownerOf.get(partitionKey(moved))!
  recordMove(general, moved, from, newConsumer)
  removePartition(general.current.get(from)!, partitionKey(moved))
  general.current.get(newConsumer)!.push(moved)
  general.ownerOf.set(partitionKey(moved), newConsumer)
}

function pairKey(src: string, dst: string): string {
  return JSON.stringify([src, dst])
}

function newPartitionSet(): JavaHashSet<TopicPartition> {
  return new JavaHashSet<TopicPartition>(partitionKey, (tp) => javaTopicPartitionHash(tp.topic, tp.partition))
}

/** `getTheActualPartitionToBeMoved`: prefer undoing an earlier move of the same topic the other way. */
function actualPartitionToMove(
  general: General,
  tp: TopicPartition,
  oldConsumer: string,
  newConsumer: string,
): TopicPartition {
  const forTopic = general.movesByTopic.get(tp.topic)
  if (forTopic === undefined) return tp
  const earlier = general.moves.get(partitionKey(tp))
  const source = earlier === undefined ? oldConsumer : earlier.src
  const reverse = forTopic.get(pairKey(newConsumer, source))
  return reverse === undefined ? tp : reverse.values()[0]!
}

function recordMove(general: General, tp: TopicPartition, oldConsumer: string, newConsumer: string): void {
  const key = partitionKey(tp)
  const earlier = general.moves.get(key)
  if (earlier === undefined) return addMove(general, tp, { src: oldConsumer, dst: newConsumer })
  removeMove(general, tp, earlier)
  if (earlier.src !== newConsumer) addMove(general, tp, { src: earlier.src, dst: newConsumer })
}

function addMove(general: General, tp: TopicPartition, move: Move): void {
  general.moves.set(partitionKey(tp), move)
  let forTopic = general.movesByTopic.get(tp.topic)
  if (forTopic === undefined) general.movesByTopic.set(tp.topic, (forTopic = new Map()))
  let set = forTopic.get(pairKey(move.src, move.dst))
  if (set === undefined) forTopic.set(pairKey(move.src, move.dst), (set = newPartitionSet()))
  set.add(tp)
}

function removeMove(general: General, tp: TopicPartition, move: Move): void {
  general.moves.delete(partitionKey(tp))
  const forTopic = general.movesByTopic.get(tp.topic)!
  const set = forTopic.get(pairKey(move.src, move.dst))!
  set.delete(tp)
  if (set.size === 0) forTopic.delete(pairKey(move.src, move.dst))
  if (forTopic.size === 0) general.movesByTopic.delete(tp.topic)
}

/** Sorts each member's partitions by topic then number (for display; the assignors' order is Kafka's). */
export function sortedAssignment(assignment: Assignment): Assignment {
  return new Map([...assignment].map(([id, list]) => [id, [...list].sort(comparePartitions)]))
}
