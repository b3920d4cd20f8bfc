/**
 * A model-based test of the etcd store: random puts, deletes (key and prefix), create-if-absent
 * transactions, lease grants, keep-alives, revokes and time passing across lease expiries, run on
 * the store and on a tiny reference model of etcd's revision rules; every answer and the final
 * key space must agree, and a watch from revision 1 must replay exactly the reference's changes in
 * revision order.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EtcdStore, type KeyValue, type WatchEvent } from "../../../src/models/etcd/index.ts"
import { checkProperty, FC_SEED } from "../../laws/index.ts"

const KEYS = ["a", "b", "p/a", "p/b", "p/c"]
const TTL_MS = 2000

/** The reference: a revision counter and, per key, [value, create, mod, version, lease]. */
class Reference {
  revision = 1
  nowMs = 0
  readonly kvs = new Map<string, KeyValue>()
  readonly leases = new Map<number, number>() // id → expiresAtMs
  readonly changes: string[] = []

  put(key: string, value: string, lease: number): number {
    const rev = ++this.revision
    const prev = this.kvs.get(key)
    const version = (prev?.version ?? 0) + 1
    this.kvs.set(key, { key, value, createRevision: prev?.createRevision ?? rev, modRevision: rev, version, lease })
    this.changes.push(`PUT ${key}@${rev}`)
    return rev
  }

  deleteKeys(keys: readonly string[]): number {
    if (keys.length === 0) return this.revision
    const rev = ++this.revision
    for (const key of [...keys].sort()) {
      this.kvs.delete(key)
      this.changes.push(`DELETE ${key}@${rev}`)
    }
    return rev
  }

  matching(key: string, prefix: boolean): string[] {
    return [...this.kvs.keys()].filter((k) => (prefix ? k.startsWith(key) : k === key))
  }

  endLease(id: number): void {
    this.leases.delete(id)
    this.deleteKeys([...this.kvs.values()].filter((kv) => kv.lease === id).map((kv) => kv.key))
  }

  expire(): void {
    const due = [...this.leases.entries()]
      .filter(([, at]) => at <= this.nowMs)
      .sort((x, y) => x[1] - y[1] || x[0] - y[0])
    for (const [id] of due) this.endLease(id)
  }
}

type Command =
  | { readonly kind: "put"; readonly key: string; readonly value: string; readonly leaseIndex: number }
  | { readonly kind: "delete"; readonly key: string; readonly prefix: boolean }
  | { readonly kind: "createIfAbsent"; readonly key: string }
  | { readonly kind: "grant" }
  | { readonly kind: "keepAlive"; readonly leaseIndex: number }
  | { readonly kind: "revoke"; readonly leaseIndex: number }
  | { readonly kind: "advance"; readonly ms: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant("put" as const),
    key: fc.constantFrom(...KEYS),
    value: fc.constantFrom("x", "y"),
    leaseIndex: fc.integer({ min: -1, max: 3 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), key: fc.constantFrom(...KEYS, "p/"), prefix: fc.boolean() }),
  fc.record({ kind: fc.constant("createIfAbsent" as const), key: fc.constantFrom(...KEYS) }),
  fc.constant({ kind: "grant" as const }),
  fc.record({ kind: fc.constant("keepAlive" as const), leaseIndex: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("revoke" as const), leaseIndex: fc.integer({ min: 0, max: 3 }) }),
  fc.record({
    kind: fc.constant("advance" as const),
    // Whole fractions of the TTL land exactly on expiries (a lease expires at grant + TTL, not after).
    ms: fc.oneof(fc.constantFrom(500, 1000, 2000), fc.integer({ min: 1, max: 1500 })),
  }),
)

/** Runs one command on both; the store's answer must match the reference's. */
function step(store: EtcdStore, ref: Reference, granted: number[], cmd: Command): void {
  const leaseOf = (index: number): number => (index < 0 || index >= granted.length ? 0 : granted[index]!)
  switch (cmd.kind) {
    case "put": {
      const lease = leaseOf(cmd.leaseIndex)
      if (lease !== 0 && !ref.leases.has(lease)) {
        expect(() => store.put(cmd.key, cmd.value, lease)).toThrow("requested lease not found")
        return
      }
      expect(store.put(cmd.key, cmd.value, lease).revision).toBe(ref.put(cmd.key, cmd.value, lease))
      return
    }
    case "delete": {
      const doomed = ref.matching(cmd.key, cmd.prefix)
      const answer = store.delete(cmd.key, cmd.prefix)
      expect([answer.deleted, answer.revision]).toEqual([doomed.length, ref.deleteKeys(doomed)])
      return
    }
    case "createIfAbsent": {
      const absent = !ref.kvs.has(cmd.key)
      const answer = store.txn({
        compare: [{ key: cmd.key, target: "create", result: "=", operand: 0 }],
        success: [{ op: "put", key: cmd.key, value: "new" }],
        failure: [{ op: "range", key: cmd.key }],
      })
      expect([answer.succeeded, answer.revision]).toEqual([absent, absent ? ref.put(cmd.key, "new", 0) : ref.revision])
      return
    }
    case "grant": {
      const lease = store.grant(500)
      granted.push(lease.id)
      ref.leases.set(lease.id, ref.nowMs + TTL_MS)
      return
    }
    case "keepAlive": {
      const lease = leaseOf(cmd.leaseIndex)
      if (lease === 0) return
      const expiresAt = ref.leases.get(lease)
      const alive = expiresAt !== undefined && ref.nowMs < expiresAt
      if (expiresAt !== undefined && !alive) ref.endLease(lease)
      if (alive) ref.leases.set(lease, ref.nowMs + TTL_MS)
      expect(store.keepAlive(lease).ttlMs).toBe(alive ? TTL_MS : 0)
      return
    }
    case "revoke": {
      const lease = leaseOf(cmd.leaseIndex)
      if (lease === 0) return
      if (!ref.leases.has(lease)) {
        expect(() => store.revoke(lease)).toThrow("requested lease not found")
        return
      }
      ref.endLease(lease)
      expect(store.revoke(lease).revision).toBe(ref.revision)
      return
    }
    case "advance":
      ref.nowMs += cmd.ms
      ref.expire()
      store.expireLeases()
  }
}

describe(`EtcdStore against a reference model (FC_SEED=${FC_SEED})`, () => {
  it("agrees on every answer, the final key space and the watch history", () => {
    checkProperty(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const clock = { now: 0 }
        const store = new EtcdStore({ clock: () => clock.now })
        const ref = new Reference()
        const granted: number[] = []
        const watched: WatchEvent[] = []
        store.watch("", true, 0, (events) => watched.push(...events))

        for (const cmd of commands) {
          if (cmd.kind === "advance") clock.now += cmd.ms
          step(store, ref, granted, cmd)
        }

        expect(store.revision).toBe(ref.revision)
        expect(store.range({ key: "", prefix: true }).kvs).toEqual(
          [...ref.kvs.values()].sort((x, y) => (x.key < y.key ? -1 : 1)),
        )
        expect(watched.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`)).toEqual(ref.changes)
      }),
      { testFile: "test/models/etcd/etcd-store.prop.test.ts", numRuns: 300 },
    )
  })
})
