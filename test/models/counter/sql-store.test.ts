/**
 * The SQL-like counter table: statement by statement.
 */
import { describe, expect, it } from "vitest"
import { SqlStore } from "../../../src/models/counter/index.ts"

describe("SqlStore", () => {
  it("upserts with MySQL's affected rows: 1 when it inserts, 2 when it updates", () => {
    const db = new SqlStore()

    expect(db.upsertAdd("a", "like", 1)).toBe(1)
    expect(db.upsertAdd("a", "like", 1)).toBe(2)
    expect(db.select("a")).toEqual({ read: 0, like: 2, collect: 0 })
  })

  it("updates no row when the key is missing, and rejects a second INSERT of the same key", () => {
    const db = new SqlStore()

    expect(db.updateAdd("a", "like", 1)).toBe(0)
    expect(db.insert("a", "like", 1)).toEqual({ ok: true })
    expect(db.insert("a", "like", 1)).toEqual({ ok: false, error: "duplicate key" })
    expect(db.updateAdd("a", "like", 1)).toBe(1)
    expect(db.select("a")?.like).toBe(2)
  })

  it("keeps a soft-deleted row's counts and key, hides it from reads, and revives it on upsert", () => {
    const db = new SqlStore()
    db.upsertAdd("a", "like", 5)

    expect(db.softDelete("a")).toBe(1)
    expect(db.select("a")).toBeUndefined()
    expect(db.updateAdd("a", "like", 1)).toBe(0)
    expect(db.insert("a", "like", 1).ok).toBe(false)
    expect(db.upsertAdd("a", "like", 1)).toBe(2)
    expect(db.select("a")?.like).toBe(6)
  })

  it("forgets a hard-deleted row: the next upsert starts from 0", () => {
    const db = new SqlStore()
    db.upsertAdd("a", "like", 5)

    expect(db.hardDelete("a")).toBe(1)
    expect(db.peek("a")).toBeUndefined()
    expect(db.upsertAdd("a", "like", 1)).toBe(1)
    expect(db.select("a")?.like).toBe(1)
  })

  it("loses an update when a write sets a value computed from a stale read", () => {
    const db = new SqlStore()
    const readByA = db.select("a")?.like ?? 0
    const readByB = db.select("a")?.like ?? 0

    db.upsertSet("a", "like", readByA + 1)
    db.upsertSet("a", "like", readByB + 1)

    expect(db.select("a")?.like).toBe(1)
    expect(db.statements).toBe(5)
  })

  it("costs rows × rowMs + fsyncMs per commit", () => {
    const db = new SqlStore({ fsyncMs: 2, rowMs: 0.5 })

    expect(db.commitCostMs(1)).toBe(2.5)
    expect(db.commitCostMs(10)).toBe(7)
  })
})
