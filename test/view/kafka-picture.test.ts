/**
 * The Kafka page's state at a step, folded from the run's trace records (src/view/kafka-picture.ts),
 * on the two scenes the page offers (src/view/kafka-scenes.ts), seed 1, with exact expectations:
 * who leads after the crash, the high watermark, the LEOs before and after truncation, which
 * acknowledged records acks=1 loses (and acks=all does not), and who owns what before and after
 * each rebalance, eager and cooperative.
 */
import { describe, expect, it } from "vitest"
import { foldKafkaPicture, type KafkaPicture, KafkaPictureFolder, keySteps } from "../../src/view/kafka-picture.ts"
import { type KafkaScene, leaderCrashScene, rebalanceScene } from "../../src/view/kafka-scenes.ts"

/** The picture right after the first record whose caption contains `text`. */
function after(scene: KafkaScene, text: string): KafkaPicture {
  const step = keySteps(scene).find((s) => foldKafkaPicture(scene, s).caption.includes(text))
  if (step === undefined) throw new Error(`no key step says "${text}"`)
  return foldKafkaPicture(scene, step)
}

function leos(picture: KafkaPicture, partition: number): number[] {
  return picture.partitions[partition]!.replicas.map((r) => r.leo)
}

describe("the leader-crash scene, acks=1 (seed 1)", () => {
  const scene = leaderCrashScene({ acks: "1" })

  it("starts with b1 leading p0 and b2 leading p1, every replica empty", () => {
    const first = foldKafkaPicture(scene, 2)
    expect(first.partitions.map((p) => [p.name, p.leader, p.leaderEpoch, p.isr])).toEqual([
      ["p0", 1, 0, [1, 2, 3]],
      ["p1", 2, 0, [2, 3, 1]],
    ])
    expect(foldKafkaPicture(scene, 0)).toMatchObject({ step: 0, t: 0, caption: "" })
  })

  it("at the crash: b1 is down with LEO 36, its followers at 34, HW 33, 35 records acknowledged", () => {
    const crash = after(scene, "b1 CRASHED")
    expect(crash.t).toBe(37)
    expect(crash.brokers.map((b) => [b.id, b.up, b.fenced])).toEqual([
      [1, false, false],
      [2, true, false],
      [3, true, false],
    ])
    expect(leos(crash, 0)).toEqual([36, 34, 34])
    expect(crash.partitions[0]!.highWatermark).toBe(33)
    expect(crash.producer.acknowledged).toBe(35)
    // acks=1: by the crash b1 has acknowledged records 0..34, 33 and 34 above the HW; 35's ack is on its way.
    expect(crash.producer.acknowledgedRecords).toEqual(Array.from({ length: 35 }, (_, id) => id))
    expect(crash.producer.lostRecords).toEqual([])
  })

  it("after the election b2 leads p0 in epoch 1 with ISR {b2,b3}, and records 34 and 35, acknowledged by b1, are not in its log", () => {
    const elected = after(scene, "elects b2 for partition 0")
    expect(elected.t).toBe(9050)
    expect(elected.partitions[0]).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2, 3], highWatermark: 33 })
    expect(elected.brokers[0]).toEqual({ id: 1, up: false, fenced: true })
    expect(leos(elected, 0)).toEqual([36, 34, 36])
    expect(elected.producer.lostRecords).toEqual([34, 35])
  })

  it("b3 and then b1 truncate p0 from 36 to 34; at the end every replica holds 58 records and 34, 35 stay lost", () => {
    expect(leos(after(scene, "b3 TRUNCATES partition 0"), 0)).toEqual([36, 34, 34])
    const b1 = after(scene, "b1 TRUNCATES partition 0")
    expect(b1.t).toBeCloseTo(12003.8, 1)
    expect(leos(b1, 0)).toEqual([34, 58, 58])
    const end = foldKafkaPicture(scene, scene.records.length)
    expect(end.partitions[0]).toMatchObject({ leader: 2, isr: [2, 3, 1], highWatermark: 58 })
    expect(leos(end, 0)).toEqual([58, 58, 58])
    expect(end.producer).toEqual({
      acknowledged: 60,
      acknowledgedRecords: Array.from({ length: 60 }, (_, id) => id),
      errors: 31,
      lostRecords: [34, 35],
    })
    // b1's cells from epoch 0 up to offset 33, then b2's from epoch 1 (the retried records 37, 38, ...).
    const cells = end.partitions[0]!.replicas[0]!.cells
    expect(cells.slice(32, 36)).toEqual([
      { record: 32, epoch: 0 },
      { record: 33, epoch: 0 },
      { record: 37, epoch: 1 },
      { record: 38, epoch: 1 },
    ])
  })
})

describe("the leader-crash scene, acks=all (seed 1)", () => {
  const scene = leaderCrashScene({ acks: "all" })

  it("acknowledges only what the ISR holds: b1 truncates one unacknowledged record and nothing is lost", () => {
    const crash = after(scene, "b1 CRASHED")
    expect(leos(crash, 0)).toEqual([36, 35, 34])
    expect(crash.partitions[0]!.highWatermark).toBe(34)
    expect(crash.producer.acknowledged).toBe(32)
    const elected = after(scene, "elects b2 for partition 0")
    expect(elected.partitions[0]).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2, 3] })
    expect(elected.producer.lostRecords).toEqual([])
    expect(leos(after(scene, "b1 TRUNCATES partition 0"), 0)).toEqual([35, 60, 60])
    const end = foldKafkaPicture(scene, scene.records.length)
    expect(end.producer).toMatchObject({ acknowledged: 60, errors: 48, lostRecords: [] })
    expect(end.producer.acknowledgedRecords).toHaveLength(60)
    expect(end.partitions[1]!.isr).toEqual([2, 3, 1])
  })
})

describe("the rebalance scene (seed 1)", () => {
  const owned = (picture: KafkaPicture) =>
    Object.fromEntries(picture.group.consumers.map((c) => [c.name, c.owned.join(",")]))

  it("eager: every member revokes everything when c3 joins, so all six partitions have no owner until generation 2 arrives", () => {
    const scene = rebalanceScene({ protocol: "eager" })
    const first = after(scene, "c0 gets [t0p0,t0p1] in generation 1")
    expect(owned(first)).toEqual({ c0: "t0p0,t0p1", c1: "t0p2,t0p3", c2: "t0p4,t0p5", c3: "" })
    expect(first.group).toMatchObject({ generation: 1, state: "Stable", unowned: [] })
    const stopped = after(scene, "c2 revokes [t0p4,t0p5]")
    expect(stopped.group.state).toBe("PreparingRebalance")
    expect(stopped.group.unowned).toEqual(["t0p0", "t0p1", "t0p2", "t0p3", "t0p4", "t0p5"])
    expect(stopped.group.revocations.map((r) => [r.consumer, r.partitions.join(",")])).toEqual([
      ["c1", "t0p2,t0p3"],
      ["c0", "t0p0,t0p1"],
      ["c2", "t0p4,t0p5"],
    ])
    const second = after(scene, "c3 gets [t0p5] in generation 2")
    expect(owned(second)).toEqual({ c0: "t0p0,t0p1", c1: "t0p2,t0p3", c2: "t0p4", c3: "t0p5" })
    const removed = after(scene, "coordinator REMOVES c1")
    expect(removed.group.consumers[1]).toEqual({ name: "c1", up: false, member: null, owned: [] })
    expect(removed.group.unowned).toEqual(["t0p2", "t0p3"])
    const end = foldKafkaPicture(scene, scene.records.length)
    expect(owned(end)).toEqual({ c0: "t0p0,t0p1", c1: "", c2: "t0p2,t0p3", c3: "t0p4,t0p5" })
    expect(end.group).toMatchObject({ generation: 3, state: "Stable", unowned: [] })
    expect(end.partitions.map((p) => [p.name, p.highWatermark, p.committed, p.lag])).toEqual([
      ["t0p0", 164, 130, 34],
      ["t0p1", 0, 0, 0],
      ["t0p2", 328, 328, 0],
      ["t0p3", 207, 164, 43],
      ["t0p4", 0, 0, 0],
      ["t0p5", 0, 0, 0],
    ])
  })

  it("cooperative: c3's join moves only t0p5 (revoked by c2 in generation 2, assigned to c3 in generation 3)", () => {
    const scene = rebalanceScene({ protocol: "cooperative" })
    const revoked = after(scene, "c2 revokes [t0p5]")
    expect(revoked.group.generation).toBe(2)
    expect(revoked.group.unowned).toEqual(["t0p5"])
    expect(owned(revoked)).toEqual({ c0: "t0p0,t0p3", c1: "t0p1,t0p4", c2: "t0p2", c3: "" })
    expect(foldKafkaPicture(scene, 1301).caption).toBe("c1 gets no new partition in generation 3")
    const moved = after(scene, "c3 gets [t0p5] in generation 3")
    expect(moved.group.unowned).toEqual([])
    const end = foldKafkaPicture(scene, scene.records.length)
    expect(owned(end)).toEqual({ c0: "t0p0,t0p3", c1: "", c2: "t0p1,t0p2", c3: "t0p4,t0p5" })
    expect(end.group.generation).toBe(4)
  })
})

describe("folding", () => {
  it("gives the same picture stepping one record at a time as folding from the start", () => {
    const scene = leaderCrashScene({ acks: "1" })
    const folder = new KafkaPictureFolder(scene)
    for (const step of [1, 50, 129, 162, scene.records.length]) {
      folder.advanceTo(step)
      expect(folder.picture()).toEqual(foldKafkaPicture(scene, step))
    }
    expect(foldKafkaPicture(scene, 10_000).step).toBe(scene.records.length)
  })

  it("stops the key steps at crashes, elections, ISR changes and truncations", () => {
    const scene = leaderCrashScene({ acks: "1" })
    const types = keySteps(scene).map((step) => scene.records[step - 1]!.type)
    expect(types).toEqual([
      "NodeCrashed",
      "BrokerFenced",
      "LeaderElected",
      "IsrChanged",
      "LogTruncated",
      "NodeRestarted",
      "BrokerUnfenced",
      "IsrChanged",
      "LogTruncated",
      "IsrChanged",
    ])
  })
})
