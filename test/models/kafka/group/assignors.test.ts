/**
 * Kafka's partition assignors: the Javadoc and reference examples exactly, 400 recorded cases
 * answered by Kafka's own assignor classes (scripts/kafka-assignors/oracle.sh, Kafka 3.9 sources),
 * and Java's hash-table order that decides some of the sticky assignor's ties.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import {
  assign,
  type AssignorName,
  javaHashMapOrder,
  javaStringHash,
  type MemberSubscription,
  type TopicPartition,
} from "../../../../src/models/kafka/group/index.ts"
import { formatAssignment, parseCase } from "../../../../scripts/kafka-assignors/case-format.ts"

const tp = (text: string): TopicPartition => ({
  topic: text.slice(0, text.indexOf("p")),
  partition: Number(text.slice(text.indexOf("p") + 1)),
})
const member = (memberId: string, topics: string[], owned: string[] = [], generation?: number): MemberSubscription => ({
  memberId,
  topics,
  ownedPartitions: owned.map(tp),
  ...(generation === undefined ? {} : { generation }),
})
const short = (list: readonly TopicPartition[] | undefined): string[] =>
  (list ?? []).map((p) => `${p.topic}p${p.partition}`)
function run(
  name: AssignorName,
  topics: Record<string, number>,
  members: MemberSubscription[],
): Record<string, string[]> {
  return Object.fromEntries([...assign(name, topics, members)].map(([id, list]) => [id, short(list)]))
}
const all = (topics: string[]): string[] => topics

describe("range", () => {
  it("Javadoc: C0, C1 on t0 and t1 of 3 partitions each", () => {
    expect(run("range", { t0: 3, t1: 3 }, [member("C0", ["t0", "t1"]), member("C1", ["t0", "t1"])])).toEqual({
      C0: ["t0p0", "t0p1", "t1p0", "t1p1"],
      C1: ["t0p2", "t1p2"],
    })
  })

  it("10 partitions over 3 members; 3 over 4 (one gets nothing); the skew across topics", () => {
    const three = ["C0", "C1", "C2"].map((id) => member(id, ["t0"]))
    expect(run("range", { t0: 10 }, three)).toEqual({
      C0: ["t0p0", "t0p1", "t0p2", "t0p3"],
      C1: ["t0p4", "t0p5", "t0p6"],
      C2: ["t0p7", "t0p8", "t0p9"],
    })
    const four = ["C0", "C1", "C2", "C3"].map((id) => member(id, ["t0"]))
    expect(run("range", { t0: 3 }, four)).toEqual({ C0: ["t0p0"], C1: ["t0p1"], C2: ["t0p2"], C3: [] })
    const skew = ["C0", "C1", "C2", "C3"].map((id) => member(id, all(["t0", "t1", "t2"])))
    expect(run("range", { t0: 2, t1: 2, t2: 2 }, skew)).toEqual({
      C0: ["t0p0", "t1p0", "t2p0"],
      C1: ["t0p1", "t1p1", "t2p1"],
      C2: [],
      C3: [],
    })
  })

  it("static members sort first, by instance id, then the others by member id", () => {
    const members: MemberSubscription[] = [
      member("a", ["t0"]),
      { ...member("z", ["t0"]), groupInstanceId: "host-2" },
      { ...member("m", ["t0"]), groupInstanceId: "host-1" },
    ]
    expect(run("range", { t0: 3 }, members)).toEqual({ m: ["t0p0"], z: ["t0p1"], a: ["t0p2"] })
  })
})

describe("roundrobin", () => {
  it("Javadoc: identical subscriptions, then unequal ones", () => {
    expect(run("roundrobin", { t0: 3, t1: 3 }, [member("C0", ["t0", "t1"]), member("C1", ["t0", "t1"])])).toEqual({
      C0: ["t0p0", "t0p2", "t1p1"],
      C1: ["t0p1", "t1p0", "t1p2"],
    })
    const unequal = [member("C0", ["t0"]), member("C1", ["t0", "t1"]), member("C2", ["t0", "t1", "t2"])]
    expect(run("roundrobin", { t0: 1, t1: 2, t2: 3 }, unequal)).toEqual({
      C0: ["t0p0"],
      C1: ["t1p0"],
      C2: ["t1p1", "t2p0", "t2p1", "t2p2"],
    })
  })

  it("4 members on three topics of 2 partitions", () => {
    const members = ["C0", "C1", "C2", "C3"].map((id) => member(id, ["t0", "t1", "t2"]))
    expect(run("roundrobin", { t0: 2, t1: 2, t2: 2 }, members)).toEqual({
      C0: ["t0p0", "t2p0"],
      C1: ["t0p1", "t2p1"],
      C2: ["t1p0"],
      C3: ["t1p1"],
    })
  })
})

describe("sticky", () => {
  const topics = { t0: 2, t1: 2, t2: 2, t3: 2 }
  const every = ["t0", "t1", "t2", "t3"]

  it("Javadoc, fresh: the same as round robin", () => {
    expect(
      run(
        "sticky",
        topics,
        ["C0", "C1", "C2"].map((id) => member(id, every)),
      ),
    ).toEqual({
      C0: ["t0p0", "t1p1", "t3p0"],
      C1: ["t0p1", "t2p0", "t3p1"],
      C2: ["t1p0", "t2p1"],
    })
  })

  it("Javadoc, C1 leaves: C0 and C2 keep everything they had and split C1's partitions (as Kafka 3.9 computes it)", () => {
    const after = run("sticky", topics, [
      member("C0", every, ["t0p0", "t1p1", "t3p0"], 1),
      member("C2", every, ["t1p0", "t2p1"], 1),
    ])
    // The Javadoc, written for the older general algorithm, lists C0 [t0p0, t1p1, t3p0, t2p0], C2 [t1p0, t2p1, t0p1, t3p1]:
    // the same kept partitions; Kafka's current constrained algorithm deals t0p1 to C0 and t2p0, t3p1 to C2.
    expect(after).toEqual({ C0: ["t0p0", "t3p0", "t1p1", "t0p1"], C2: ["t1p0", "t2p1", "t2p0", "t3p1"] })
  })

  it("Javadoc, unequal subscriptions: balanced, and when C0 leaves C1 and C2 keep all five of theirs", () => {
    const fresh = run("sticky", { t0: 1, t1: 2, t2: 3 }, [
      member("C0", ["t0"]),
      member("C1", ["t0", "t1"]),
      member("C2", ["t0", "t1", "t2"]),
    ])
    expect(fresh).toEqual({ C0: ["t0p0"], C1: ["t1p0", "t1p1"], C2: ["t2p0", "t2p1", "t2p2"] })
    const after = run("sticky", { t0: 1, t1: 2, t2: 3 }, [
      member("C1", ["t0", "t1"], ["t1p0", "t1p1"], 1),
      member("C2", ["t0", "t1", "t2"], ["t2p0", "t2p1", "t2p2"], 1),
    ])
    expect(after).toEqual({ C1: ["t1p0", "t1p1", "t0p0"], C2: ["t2p0", "t2p1", "t2p2"] })
  })

  it("cooperative-sticky leaves a moving partition out until its owner has revoked it", () => {
    // c2 joins a group where c0 and c1 own three partitions each: two of them must move to c2.
    const members = [
      member("c0", ["t0"], ["t0p0", "t0p1", "t0p2"], 3),
      member("c1", ["t0"], ["t0p3", "t0p4", "t0p5"], 3),
      member("c2", ["t0"]),
    ]
    const eager = run("sticky", { t0: 6 }, members)
    const cooperative = run("cooperative-sticky", { t0: 6 }, members)
    expect(eager).toEqual({ c0: ["t0p0", "t0p1"], c1: ["t0p3", "t0p4"], c2: ["t0p2", "t0p5"] })
    expect(cooperative).toEqual({ c0: ["t0p0", "t0p1"], c1: ["t0p3", "t0p4"], c2: [] })
    // The next rebalance, after c0 and c1 revoked t0p2 and t0p5, gives them to c2.
    const next = [
      member("c0", ["t0"], ["t0p0", "t0p1"], 4),
      member("c1", ["t0"], ["t0p3", "t0p4"], 4),
      member("c2", ["t0"], [], 4),
    ]
    expect(run("cooperative-sticky", { t0: 6 }, next)).toEqual({
      c0: ["t0p0", "t0p1"],
      c1: ["t0p3", "t0p4"],
      c2: ["t0p2", "t0p5"],
    })
  })

  it("a partition two members claim in one generation belongs to neither; otherwise the higher generation keeps it", () => {
    const same = [member("a", ["t0"], ["t0p0"], 5), member("b", ["t0"], ["t0p0", "t0p1"], 5)]
    expect(run("sticky", { t0: 2 }, same)).toEqual({ a: ["t0p0"], b: ["t0p1"] })
    // Cooperative: t0p0 may still be held by either claimant, so nobody gets it this round.
    expect(run("cooperative-sticky", { t0: 2 }, same)).toEqual({ a: [], b: ["t0p1"] })
    const newer = [member("a", ["t0"], ["t0p0"], 4), member("b", ["t0"], ["t0p0", "t0p1"], 5)]
    expect(run("sticky", { t0: 2 }, newer)).toEqual({ a: ["t0p1"], b: ["t0p0"] })
    expect(run("cooperative-sticky", { t0: 3 }, [...newer, member("c", ["t0"])])).toEqual({
      a: [],
      b: ["t0p0"],
      c: ["t0p2"],
    })
  })
})

describe("Kafka's own answers (recorded from Kafka 3.9's assignor classes)", () => {
  const lines = readFileSync(join(import.meta.dirname, "fixtures", "kafka-assignor-cases.tsv"), "utf8")
    .trim()
    .split("\n")

  it(`agrees on all ${lines.length} recorded cases, partition lists in Kafka's order, failures included`, () => {
    const mismatches: string[] = []
    for (const line of lines) {
      const [caseText, kafka] = line.split("\t") as [string, string]
      const c = parseCase(caseText)
      let ours: string
      try {
        ours = formatAssignment(assign(c.assignor, c.partitionsPerTopic, c.members))
      } catch {
        ours = "ERROR"
      }
      if (kafka.startsWith("ERROR") ? !ours.startsWith("ERROR") : ours !== kafka)
        mismatches.push(`${caseText}\n  kafka ${kafka}\n  ours  ${ours}`)
    }
    expect(mismatches).toEqual([])
    expect(lines.length).toBe(400)
  })
})

describe("Java hash order", () => {
  it("String.hashCode as Java computes it", () => {
    expect([
      javaStringHash("my-group"),
      javaStringHash("test-group"),
      javaStringHash("group1"),
      javaStringHash(""),
    ]).toEqual([-1906497762, 627841412, -1237460590, 0])
  })

  it("a HashMap's iteration order (checked on a JDK 17)", () => {
    expect(javaHashMapOrder(["c0", "c1", "c2", "c3", "c4", "c5"])).toEqual(["c3", "c4", "c5", "c0", "c1", "c2"])
    const twenty = Array.from({ length: 20 }, (_, i) => `consumer-${i}`)
    expect(javaHashMapOrder(twenty).join(" ")).toBe(
      "consumer-11 consumer-10 consumer-6 consumer-17 consumer-5 consumer-16 consumer-4 consumer-19 consumer-3 consumer-18 " +
        "consumer-2 consumer-13 consumer-1 consumer-12 consumer-0 consumer-15 consumer-14 consumer-9 consumer-8 consumer-7",
    )
  })
})

describe("bad input", () => {
  it("refuses duplicate member ids and impossible partition counts", () => {
    expect(() => assign("range", { t0: 1 }, [member("a", ["t0"]), member("a", ["t0"])])).toThrow(
      "member id a appears twice",
    )
    expect(() => assign("range", { t0: -1 }, [member("a", ["t0"])])).toThrow(
      "topic t0: partition count must be a whole number >= 0, got -1",
    )
    expect(() => assign("range", { t0: 1.5 }, [member("a", ["t0"])])).toThrow("got 1.5")
  })

  it("an empty group gets an empty assignment; a member of unknown topics gets nothing", () => {
    expect(assign("sticky", { t0: 3 }, [])).toEqual(new Map())
    expect(run("roundrobin", { t0: 2 }, [member("a", ["t0"]), member("b", ["nope"])])).toEqual({
      a: ["t0p0", "t0p1"],
      b: [],
    })
  })
})
