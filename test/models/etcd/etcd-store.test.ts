/**
 * The etcd key space answering as etcd does: revisions after puts, deletes and transactions,
 * lease expiry deleting keys at one revision, watches replaying and delivering in revision order.
 */
import { describe, expect, it } from "vitest"
import { EtcdError, EtcdStore, type WatchEvent } from "../../../src/models/etcd/index.ts"

function storeAt(clock: { now: number }, minLeaseTtlMs = 2000): EtcdStore {
  return new EtcdStore({ clock: () => clock.now, minLeaseTtlMs })
}

describe("EtcdStore revisions", () => {
  it("starts at revision 1 and gives each write the next one, keeping create revision and counting versions", () => {
    const store = storeAt({ now: 0 })

    const first = store.put("a", "1")
    const second = store.put("b", "1")
    const third = store.put("a", "2")

    expect([store.revision, first.revision, second.revision, third.revision]).toEqual([4, 2, 3, 4])
    expect(store.range({ key: "a" }).kvs).toEqual([
      { key: "a", value: "2", createRevision: 2, modRevision: 4, version: 2, lease: 0 },
    ])
    expect(third.prevKv).toEqual({ key: "a", value: "1", createRevision: 2, modRevision: 2, version: 1, lease: 0 })
  })

  it("takes no revision for a delete of a missing key, one for a prefix delete of several", () => {
    const store = storeAt({ now: 0 })
    store.put("p/a", "1")
    store.put("p/b", "1")
    store.put("q", "1")

    const missing = store.delete("nope")
    const prefix = store.delete("p/", true)

    expect([missing.revision, missing.deleted]).toEqual([4, 0])
    expect([prefix.revision, prefix.deleted, prefix.prevKvs.map((kv) => kv.key)]).toEqual([5, 2, ["p/a", "p/b"]])
    store.put("p/a", "again")
    expect(store.range({ key: "p/a" }).kvs[0]).toMatchObject({ createRevision: 6, modRevision: 6, version: 1 })
  })

  it("runs a transaction's writes at one revision, and a read-only one at none", () => {
    const store = storeAt({ now: 0 })
    store.put("x", "1")

    const wrote = store.txn({
      compare: [{ key: "y", target: "create", result: "=", operand: 0 }],
      success: [
        { op: "put", key: "y", value: "1" },
        { op: "put", key: "z", value: "1" },
        { op: "range", key: "", prefix: true },
      ],
      failure: [],
    })
    const read = store.txn({
      compare: [{ key: "y", target: "create", result: "=", operand: 0 }],
      success: [{ op: "put", key: "y", value: "2" }],
      failure: [{ op: "range", key: "y" }],
    })

    expect([wrote.succeeded, wrote.revision, read.succeeded, read.revision]).toEqual([true, 3, false, 3])
    const seen = wrote.responses[2]!
    expect(seen.op === "range" && seen.kvs.map((kv) => [kv.key, kv.createRevision])).toEqual([
      ["x", 2],
      ["y", 3],
      ["z", 3],
    ])
  })

  it("compares as etcd: a value compare on a missing key fails, numeric ones read 0", () => {
    const store = storeAt({ now: 0 })
    store.put("k", "v")
    const holds = (compare: Parameters<EtcdStore["txn"]>[0]["compare"][number]) =>
      store.txn({ compare: [compare], success: [], failure: [] }).succeeded

    expect([
      holds({ key: "missing", target: "value", result: "!=", operand: "x" }),
      holds({ key: "missing", target: "version", result: "=", operand: 0 }),
      holds({ key: "k", target: "mod", result: "<", operand: 3 }),
      holds({ key: "k", target: "value", result: ">", operand: "u" }),
      holds({ key: "k", target: "version", result: "!=", operand: 1 }),
    ]).toEqual([false, true, true, true, false])
  })

  it("sorts and filters a prefix range as the Mutex reads it (first create, last create below a revision)", () => {
    const store = storeAt({ now: 0 })
    for (const key of ["m/c", "m/a", "m/b"]) store.put(key, "")

    const first = store.range({ key: "m/", prefix: true, sortTarget: "create", limit: 1 })
    const below = store.range({
      key: "m/",
      prefix: true,
      sortTarget: "create",
      sortOrder: "descend",
      limit: 1,
      maxCreateRevision: 3,
    })

    expect([first.kvs[0]!.key, first.count, below.kvs[0]!.key, below.count]).toEqual(["m/c", 3, "m/a", 2])
  })
})

describe("EtcdStore leases", () => {
  it("grants at least the minimum TTL and refuses a put on an unknown lease with etcd's text", () => {
    const store = storeAt({ now: 0 })

    const lease = store.grant(500)

    expect(lease.ttlMs).toBe(2000)
    expect(() => store.put("k", "v", 42)).toThrow(new EtcdError("etcdserver: requested lease not found"))
    expect(store.revision).toBe(1)
  })

  it("deletes every key of an expired lease at one revision, in key order", () => {
    const clock = { now: 0 }
    const store = storeAt(clock)
    const lease = store.grant(3000)
    store.put("b", "1", lease.id)
    store.put("a", "1", lease.id)
    store.put("c", "1")

    clock.now = 2999
    const early = store.expireLeases()
    clock.now = 3000
    const ended = store.expireLeases()

    expect(early).toEqual([])
    expect(ended).toEqual([{ lease: lease.id, keys: ["a", "b"], revision: 5 }])
    expect(store.events.slice(-2).map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([
      ["DELETE", "a", 5],
      ["DELETE", "b", 5],
    ])
    expect(store.range({ key: "", prefix: true }).kvs.map((kv) => kv.key)).toEqual(["c"])
  })

  it("renews for a full TTL from now, and answers 0 for a lease past its expiry (removing it then)", () => {
    const clock = { now: 0 }
    const store = storeAt(clock)
    const lease = store.grant(2000)
    store.put("k", "v", lease.id)

    clock.now = 1500
    const renewed = store.keepAlive(lease.id)
    clock.now = 3400
    const stillAlive = store.expireLeases()
    clock.now = 3500
    const late = store.keepAlive(lease.id)

    expect(renewed).toEqual({ ttlMs: 2000, ended: null })
    expect(stillAlive).toEqual([])
    expect(late).toEqual({ ttlMs: 0, ended: { lease: lease.id, keys: ["k"], revision: 3 } })
    expect(store.keepAlive(lease.id)).toEqual({ ttlMs: 0, ended: null })
  })

  it("takes no revision to revoke a lease without keys", () => {
    const store = storeAt({ now: 0 })
    const lease = store.grant(2000)

    expect(store.revoke(lease.id)).toEqual({ lease: lease.id, keys: [], revision: 1 })
    expect(() => store.revoke(lease.id)).toThrow(EtcdError)
  })
})

describe("EtcdStore watches", () => {
  it("replays history from the start revision, then delivers each write in revision order", () => {
    const store = storeAt({ now: 0 })
    store.put("w/a", "1")
    store.put("other", "1")
    store.put("w/b", "1")
    const batches: (readonly WatchEvent[])[] = []

    store.watch("w/", true, 2, (events) => batches.push(events))
    store.delete("w/", true)
    store.put("w/a", "2")

    expect(batches.map((batch) => batch.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`))).toEqual([
      ["PUT w/a@2", "PUT w/b@4"],
      ["DELETE w/a@5", "DELETE w/b@5"],
      ["PUT w/a@6"],
    ])
  })

  it("delivers nothing after a cancel, and nothing from the past with start revision 0", () => {
    const store = storeAt({ now: 0 })
    store.put("k", "1")
    const seen: string[] = []

    const id = store.watch("k", false, 0, (events) => seen.push(...events.map((e) => `${e.type}@${e.kv.modRevision}`)))
    store.put("k", "2")
    store.cancelWatch(id)
    store.put("k", "3")

    expect(seen).toEqual(["PUT@3"])
  })
})
