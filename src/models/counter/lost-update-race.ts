/**
 * The smallest like-counter race, for the exhaustive explorer: 2–3 clients each add one like to
 * the same article, with one strategy; every round trip is one step, and the explorer tries every
 * order of the steps.
 *
 * Each client is a process whose steps are separated by a zero-length sleep (the network round
 * trip): the kernel offers each order of the simultaneous steps to the chooser. A step runs a
 * statement or cache command atomically, as the servers of the full scenario do. For the cache
 * strategies with a TTL (`cache-script`, `cache-check-then-incr`) the article's counts start in the
 * database and in a cache entry filled from it with a TTL, and one more actor, `ttl`, makes that
 * entry expire at some point of the run: one step, placed everywhere by the explorer. For the others
 * the database and cache start empty.
 *
 * The final count is what the article query returns once the TTL has run out: a cache entry without
 * a TTL (created by HINCRBY) if there is one, else the database (`cache-hincrby`: the cache, or 0).
 * A run violates the invariant when that is not the number of clients.
 *
 * Left out: reads, unlikes, several articles (see the full scenario).
 */
import { type Chooser, Simulation } from "../../kernel/index.ts"
import type { Strategy } from "./counter-client.ts"
import { KvCache } from "./kv-cache.ts"
import { SqlStore, zeroCounts } from "./sql-store.ts"

const KEY = "article:1"

/** One run of the race, as {@link lostUpdateRace} reports it to the explorer. */
export interface RaceRun {
  /** Set when the final count is not the number of clients. */
  readonly violation?: string
  /** `like=<final>`. */
  readonly stateKey: string
  /** The steps in order, each `<actor>: <what it did>` (actors `A`, `B`, `C`, `ttl`). */
  readonly log: readonly string[]
}

/** True when the strategy's race includes the `ttl` actor (a cache entry that expires). */
export function raceHasTtl(strategy: Strategy): boolean {
  return strategy === "cache-script" || strategy === "cache-check-then-incr"
}

/** The actors of a race: clients `A`, `B`(, `C`), then `ttl` if the strategy has one. */
export function raceActors(strategy: Strategy, clients: number): string[] {
  const names = Array.from({ length: clients }, (_, i) => String.fromCharCode(65 + i))
  return raceHasTtl(strategy) ? [...names, "ttl"] : names
}

/**
 * The race as a model for the explorer: `explore(lostUpdateRace("naive", 2))`.
 * @throws RangeError when `clients` is not 1..3
 */
export function lostUpdateRace(strategy: Strategy, clients: number): (chooser: Chooser) => RaceRun {
  if (!(Number.isInteger(clients) && clients >= 1 && clients <= 3)) throw new RangeError(`lostUpdateRace: clients must be 1..3, got ${clients}`)
  return (chooser) => {
    const sim = new Simulation({ chooser })
    const db = new SqlStore()
    const cache = new KvCache({ now: () => sim.now })
    const log: string[] = []
    const ttl = raceHasTtl(strategy)
    if (ttl) {
      db.upsertAdd(KEY, "like", 0)
      cache.fillIfAbsent(KEY, zeroCounts(), 1_000)
    }
    const gap = () => sim.sleep(0)
    function* client(name: string): Generator<any, void, any> {
      const say = (text: string): void => void log.push(`${name}: ${text}`)
      switch (strategy) {
        case "naive": {
          const read = db.select(KEY)?.like ?? 0
          say(`SELECT like → ${read}`)
          yield* gap()
          db.upsertSet(KEY, "like", read + 1)
          say(`UPDATE SET like = ${read + 1}`)
          return
        }
        case "atomic-update": {
          const rows = db.updateAdd(KEY, "like", 1)
          say(`UPDATE like = like + 1 → ${rows} row`)
          if (rows === 1) return
          yield* gap()
          const inserted = db.insert(KEY, "like", 1)
          say(`INSERT like = 1 → ${inserted.ok ? "ok" : "duplicate key"}`)
          if (inserted.ok) return
          yield* gap()
          say(`UPDATE like = like + 1 → ${db.updateAdd(KEY, "like", 1)} row`)
          return
        }
        case "upsert":
          say(`UPSERT like + 1 → ${db.upsertAdd(KEY, "like", 1) === 1 ? "inserted" : "updated"}`)
          return
        case "cache-hincrby":
          say(`HINCRBY like 1 → ${cache.hincrby(KEY, "like", 1)}`)
          return
        case "cache-script": {
          db.upsertAdd(KEY, "like", 1)
          say("UPSERT like + 1 (database)")
          yield* gap()
          const value = cache.incrIfExists(KEY, "like", 1)
          say(value === undefined ? "script: key absent, skipped" : `script: HINCRBY like 1 → ${value}`)
          return
        }
        case "cache-check-then-incr": {
          db.upsertAdd(KEY, "like", 1)
          say("UPSERT like + 1 (database)")
          yield* gap()
          const exists = cache.exists(KEY)
          say(`EXISTS → ${exists ? "yes" : "no"}`)
          if (!exists) return
          yield* gap()
          const created = cache.ttlMs(KEY) === undefined
          say(`HINCRBY like 1 → ${cache.hincrby(KEY, "like", 1)}${created ? " (key re-created, no TTL)" : ""}`)
          return
        }
      }
    }
    for (const name of raceActors(strategy, clients)) {
      if (name === "ttl") {
        sim.spawn(
          (function* () {
            cache.del(KEY)
            log.push("ttl: the cache entry expires")
          })(),
          "ttl",
        )
      } else sim.spawn(client(name), name)
    }
    sim.run()
    const cached = cache.ttlMs(KEY) === Infinity ? cache.hgetall(KEY)?.like : undefined
    const final = cached ?? (strategy === "cache-hincrby" ? 0 : (db.peek(KEY)?.counts.like ?? 0))
    const violation = final === clients ? undefined : `lost update: like = ${final} after ${clients} acknowledged likes`
    return { stateKey: `like=${final}`, log, ...(violation === undefined ? {} : { violation }) }
  }
}
