/**
 * Differential test: the same sequences of puts, deletes (key and prefix), create-if-absent
 * transactions and prefix reads go to a real etcd (3.4 from Debian, started here on loopback
 * ports) and to the simulated store; revisions (counted from each sequence's starting revision),
 * create and mod revisions, versions, values, delete counts and transaction outcomes must agree.
 * Each sequence uses its own key prefix, so the real member's earlier keys do not interfere. Also
 * checks the minimum lease TTL (a 1 s request is granted 2 s).
 *
 * Skipped, saying so, only when the etcd binary is missing (`apt-get install etcd-server`).
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EtcdStore } from "../../../src/models/etcd/index.ts"
import { FC_SEED, replayCommand } from "../../laws/index.ts"
import { b64, etcdBinary, RealEtcd } from "./real-etcd.ts"

const binary = etcdBinary()
if (binary === undefined) console.warn("etcd-differential: SKIPPED, no etcd on PATH (apt-get install -y etcd-server)")

type Op =
  | { readonly kind: "put"; readonly key: string; readonly value: string }
  | { readonly kind: "delete"; readonly key: string; readonly prefix: boolean }
  | { readonly kind: "createIfAbsent"; readonly key: string }
  | { readonly kind: "range" }

const KEYS = ["a", "b", "q/a", "q/b"]
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("put" as const), key: fc.constantFrom(...KEYS), value: fc.constantFrom("x", "y") }),
  fc.record({ kind: fc.constant("delete" as const), key: fc.constantFrom(...KEYS, "q/"), prefix: fc.boolean() }),
  fc.record({ kind: fc.constant("createIfAbsent" as const), key: fc.constantFrom(...KEYS) }),
  fc.constant({ kind: "range" as const }),
)

const FIXED: readonly (readonly Op[])[] = [
  [
    { kind: "put", key: "a", value: "x" },
    { kind: "put", key: "a", value: "y" },
    { kind: "delete", key: "b", prefix: false },
    { kind: "createIfAbsent", key: "a" },
    { kind: "createIfAbsent", key: "b" },
    { kind: "put", key: "q/a", value: "x" },
    { kind: "put", key: "q/b", value: "x" },
    { kind: "delete", key: "q/", prefix: true },
    { kind: "put", key: "q/a", value: "y" },
    { kind: "range" },
  ],
]

/** What both answered, with revisions relative to `base` (the revision before the sequence). */
function normalise(answer: { revision: number; [field: string]: unknown }, base: number): unknown {
  return { ...answer, revision: answer.revision - base }
}

type Kv = { key: string; value: string; createRevision: number; modRevision: number; version: number }

function kvRelative(kvs: readonly Kv[], base: number, prefix: string): unknown[] {
  return kvs.map((kv) => ({
    key: kv.key.slice(prefix.length),
    value: kv.value,
    create: kv.createRevision - base,
    mod: kv.modRevision - base,
    version: kv.version,
  }))
}

function simulated(ops: readonly Op[]): unknown[] {
  const store = new EtcdStore({ clock: () => 0 })
  return ops.map((o) => {
    if (o.kind === "put") return normalise({ revision: store.put(o.key, o.value).revision }, 1)
    if (o.kind === "delete") {
      const answer = store.delete(o.key, o.prefix)
      return normalise({ revision: answer.revision, deleted: answer.deleted }, 1)
    }
    if (o.kind === "createIfAbsent") {
      const answer = store.txn({
        compare: [{ key: o.key, target: "create", result: "=", operand: 0 }],
        success: [{ op: "put", key: o.key, value: "new" }],
        failure: [],
      })
      return normalise({ revision: answer.revision, succeeded: answer.succeeded }, 1)
    }
    const range = store.range({ key: "", prefix: true })
    return { revision: range.revision - 1, kvs: kvRelative(range.kvs, 1, "") }
  })
}

/** The range end that makes a range a prefix (clientv3.GetPrefixRangeEnd for ASCII keys). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
}

function decodeKvs(kvs: any[] | undefined): Kv[] {
  return (kvs ?? []).map((kv) => ({
    key: Buffer.from(kv.key, "base64").toString("utf8"),
    value: Buffer.from(kv.value ?? "", "base64").toString("utf8"),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    version: Number(kv.version),
  }))
}

async function real(etcd: RealEtcd, ops: readonly Op[], prefix: string): Promise<unknown[]> {
  const base = Number((await etcd.call("/v3/kv/range", { key: b64("none") })).header.revision)
  const answers: unknown[] = []
  for (const o of ops) {
    if (o.kind === "put") {
      const answer = await etcd.call("/v3/kv/put", { key: b64(prefix + o.key), value: b64(o.value) })
      answers.push({ revision: Number(answer.header.revision) - base })
    } else if (o.kind === "delete") {
      const key = b64(prefix + o.key)
      const request = o.prefix ? { key, range_end: b64(prefixEnd(prefix + o.key)) } : { key }
      const answer = await etcd.call("/v3/kv/deleterange", request)
      answers.push({ revision: Number(answer.header.revision) - base, deleted: Number(answer.deleted ?? 0) })
    } else if (o.kind === "createIfAbsent") {
      const key = b64(prefix + o.key)
      const compare = [{ key, target: "CREATE", result: "EQUAL", create_revision: "0" }]
      const answer = await etcd.call("/v3/kv/txn", { compare, success: [{ request_put: { key, value: b64("new") } }] })
      answers.push({ revision: Number(answer.header.revision) - base, succeeded: answer.succeeded === true })
    } else {
      const answer = await etcd.call("/v3/kv/range", { key: b64(prefix), range_end: b64(prefixEnd(prefix)) })
      const kvs = kvRelative(decodeKvs(answer.kvs), base, prefix)
      answers.push({ revision: Number(answer.header.revision) - base, kvs })
    }
  }
  return answers
}

describe.skipIf(binary === undefined)(`etcd store against a real etcd (FC_SEED=${FC_SEED})`, () => {
  let etcd: RealEtcd
  beforeAll(async () => {
    etcd = await RealEtcd.start(binary!)
  })
  afterAll(() => etcd?.stop())

  it("grants the minimum TTL of 2 s for a 1 s request, as the simulated store does", async () => {
    const answer = await etcd.call("/v3/lease/grant", { TTL: "1" })

    expect(Number(answer.TTL) * 1000).toBe(new EtcdStore({ clock: () => 0 }).grant(1000).ttlMs)
  })

  it("answers fixed and random sequences with the same revisions and keys", async () => {
    const random = fc.sample(fc.array(op, { minLength: 1, maxLength: 25 }), { seed: FC_SEED, numRuns: 40 })
    const sequences = [...FIXED, ...random]

    for (const [index, ops] of sequences.entries()) {
      const expected = await real(etcd, ops, `s${index}/`)
      const got = simulated(ops)

      expect(got, `sequence ${index}: ${JSON.stringify(ops)}; replay: ${replayCommand(TEST_FILE)}`).toEqual(expected)
    }
  })
})

const TEST_FILE = "test/models/etcd/etcd-differential.test.ts"
