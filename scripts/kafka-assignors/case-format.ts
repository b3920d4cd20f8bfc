/**
 * One assignor case per line, the format the Java harness (Harness.java) reads:
 * `assignor|t0:3,t1:2|m1;sub=t0,t1;owned=t0-0,t1-1;gen=3;inst=x|m2;sub=...`, and the answer
 * `m1=t0-0,t1-1;m2=...` (members sorted by id, partitions in the assignor's order).
 */
import type { Assignment, AssignorName, MemberSubscription } from "../../src/models/kafka/group/index.ts"

export interface AssignorCase {
  readonly assignor: AssignorName
  readonly partitionsPerTopic: ReadonlyMap<string, number>
  readonly members: readonly MemberSubscription[]
}

function parsePartition(text: string): { topic: string; partition: number } {
  const at = text.lastIndexOf("-")
  return { topic: text.slice(0, at), partition: Number(text.slice(at + 1)) }
}

export function formatCase(c: AssignorCase): string {
  const topics = [...c.partitionsPerTopic].map(([topic, n]) => `${topic}:${n}`).join(",")
  const members = c.members.map((m) => {
    const fields = [m.memberId, `sub=${m.topics.join(",")}`]
    if (m.ownedPartitions !== undefined)
      fields.push(`owned=${m.ownedPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(",")}`)
    if (m.generation !== undefined) fields.push(`gen=${m.generation}`)
    if (m.groupInstanceId !== undefined) fields.push(`inst=${m.groupInstanceId}`)
    return fields.join(";")
  })
  return [c.assignor, topics, ...members].join("|")
}

export function parseCase(line: string): AssignorCase {
  const [assignor, topics, ...members] = line.split("|")
  const partitionsPerTopic = new Map(
    topics!
      .split(",")
      .filter((t) => t !== "")
      .map((t) => [t.split(":")[0]!, Number(t.split(":")[1])] as const),
  )
  return {
    assignor: assignor as AssignorName,
    partitionsPerTopic,
    members: members.map((text) => {
      const [memberId, ...fields] = text.split(";")
      const member: { -readonly [K in keyof MemberSubscription]: MemberSubscription[K] } = {
        memberId: memberId!,
        topics: [],
      }
      for (const field of fields) {
        const [key, value = ""] = field.split("=")
        const list = value.split(",").filter((v) => v !== "")
        if (key === "sub") member.topics = list
        else if (key === "owned") member.ownedPartitions = list.map(parsePartition)
        else if (key === "gen") member.generation = Number(value)
        else if (key === "inst") member.groupInstanceId = value
      }
      return member
    }),
  }
}

export function formatAssignment(assignment: Assignment): string {
  return [...assignment.keys()]
    .sort()
    .map(
      (id) =>
        `${id}=${assignment
          .get(id)!
          .map((tp) => `${tp.topic}-${tp.partition}`)
          .join(",")}`,
    )
    .join(";")
}
