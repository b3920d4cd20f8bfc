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
 * The cache is the shared simulated Redis server (`RedisServer`, executed directly: there is no
 * network here) answering the same commands as in the full scenario (`counter-cache.ts`). Each
 * step records the event a server would (`counter-events.ts` and Redis's `CommandExecuted`, with
 * the actor as `client`); the TTL actor moves the cache's clock past the TTL and runs Redis's
 * active expiry cycle, recorded as `KeyExpired`. So a run's steps are typed and the timeline
 * tells them.
 * {@link LostUpdateRaceScenario} draws random schedules of the race inside a simulation, next to
 * an enumeration of every schedule that the caller supplies (the explorer lives above models).
 *
 * Left out: reads, unlikes, several articles (see the full scenario).
 */
import { type Advance, type JsonValue, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import { type Chooser, type RandomStream, Simulation } from "../../kernel/index.ts"
import type { Strategy } from "./counter-client.ts"
import { type CommandExecuted, type KeyExpired, RedisServer, replyToJson } from "../redis/index.ts"
import {
  countsOfReply,
  existsCommand,
  fillCommand,
  hincrbyCommand,
  incrIfExistsCommand,
  integerOfReply,
} from "./counter-cache.ts"
import type {
  CountAdded,
  CountOverwritten,
  CountUpserted,
  RowInserted,
  RowSelected,
  ScheduleSampled,
} from "./counter-events.ts"
import { SqlStore, zeroCounts } from "./sql-store.ts"

const KEY = "article:1"
/** The TTL of the race's cache entry, in ms of the cache's clock. */
const RACE_TTL_MS = 1_000

/** One step of a race: what the server did, with the actor (`A`, `B`, `C`) as `client`, or the TTL's expiry. */
export type RaceStep =
  RowSelected | CountOverwritten | CountAdded | RowInserted | CountUpserted | CommandExecuted | KeyExpired

/** One run of the race, as {@link lostUpdateRace} reports it to the explorer. */
export interface RaceRun {
  /** Set when the final count is not the number of clients. */
  readonly violation?: string
  /** `like=<final>`. */
  readonly stateKey: string
  /** The steps in order. */
  readonly steps: readonly RaceStep[]
}

/** True when the strategy's race includes the `ttl` actor (a cache entry that expires). */
export function raceHasTtl(strategy: Strategy): boolean {
  return strategy === "cache-script" || strategy === "cache-check-then-incr"
}

/** True when the race starts with the article's counts in the database and in a cache entry with a TTL. */
export function raceStartsCached(strategy: Strategy): boolean {
  return raceHasTtl(strategy)
}

/** The actors of a race: clients `A`, `B`(, `C`), then `ttl` if the strategy has one. */
export function raceActors(strategy: Strategy, clients: number): string[] {
  const names = Array.from({ length: clients }, (_, i) => String.fromCharCode(65 + i))
  return raceHasTtl(strategy) ? [...names, "ttl"] : names
}

/** The actor of a step: its client, or `ttl` for the expiry. */
export function raceActorOf(step: RaceStep): string {
  return step.type === "KeyExpired" ? "ttl" : step.client
}

/** The database, the cache and the steps of one race. */
class RaceTable {
  readonly db = new SqlStore()
  /** The cache's clock, in ms: 0 until the TTL actor moves it past the TTL. */
  cacheClockMs = 0
  readonly cache: RedisServer
  readonly steps: RaceStep[] = []

  constructor(readonly sim: Simulation) {
    this.cache = new RedisServer({
      clock: () => this.cacheClockMs,
      onKeyExpired: (key, way) => this.record({ type: "KeyExpired", node: "cache", key, way }),
    })
  }

  record(step: RaceStep): void {
    this.steps.push(step)
  }

  /** Runs a Redis command for `client` as one step; returns its reply. */
  command(client: string, argv: readonly string[]) {
    const reply = this.cache.execute(argv)
    this.record({ type: "CommandExecuted", node: "cache", client, argv, reply: replyToJson(reply) })
    return reply
  }

  /** A round trip: every other actor may take a step here. */
  gap() {
    return this.sim.sleep(0)
  }
}

type RaceClient = (race: RaceTable, name: string) => Generator<any, void, any>

function* naiveClient(race: RaceTable, client: string): Generator<any, void, any> {
  const counts = race.db.select(KEY) ?? null
  race.record({ type: "RowSelected", client, key: KEY, counts })
  const read = counts?.like ?? 0
  yield* race.gap()
  const previous = race.db.peek(KEY)?.counts.like ?? 0
  race.db.upsertSet(KEY, "like", read + 1)
  race.record({ type: "CountOverwritten", client, key: KEY, kind: "like", value: read + 1, read, previous })
}

function* atomicUpdateClient(race: RaceTable, client: string): Generator<any, void, any> {
  if (addOne(race, client)) return
  yield* race.gap()
  const inserted = race.db.insert(KEY, "like", 1)
  race.record({ type: "RowInserted", client, key: KEY, kind: "like", value: 1, duplicate: !inserted.ok })
  if (inserted.ok) return
  yield* race.gap()
  addOne(race, client)
}

/** `UPDATE like = like + 1`; true when a row was updated. */
function addOne(race: RaceTable, client: string): boolean {
  const rows = race.db.updateAdd(KEY, "like", 1)
  const value = rows === 1 ? race.db.peek(KEY)!.counts.like : null
  race.record({ type: "CountAdded", client, key: KEY, kind: "like", delta: 1, value })
  return rows === 1
}

function upsertOne(race: RaceTable, client: string): void {
  const inserted = race.db.upsertAdd(KEY, "like", 1) === 1
  race.record({
    type: "CountUpserted",
    client,
    key: KEY,
    kind: "like",
    delta: 1,
    inserted,
    value: race.db.peek(KEY)!.counts.like,
  })
}

function incrementOne(race: RaceTable, client: string): void {
  race.command(client, hincrbyCommand(KEY, "like", 1))
}

function* cacheScriptClient(race: RaceTable, client: string): Generator<any, void, any> {
  upsertOne(race, client)
  yield* race.gap()
  race.command(client, incrIfExistsCommand(KEY, "like", 1))
}

function* checkThenIncrementClient(race: RaceTable, client: string): Generator<any, void, any> {
  upsertOne(race, client)
  yield* race.gap()
  if (integerOfReply(race.command(client, existsCommand(KEY))) !== 1) return
  yield* race.gap()
  incrementOne(race, client)
}

/** Each strategy's client, one step per round trip. */
const RACE_CLIENTS: Record<Strategy, RaceClient> = {
  naive: naiveClient,
  "atomic-update": atomicUpdateClient,
  upsert: function* (race, client) {
    upsertOne(race, client)
  },
  "cache-hincrby": function* (race, client) {
    incrementOne(race, client)
  },
  "cache-script": cacheScriptClient,
  "cache-check-then-incr": checkThenIncrementClient,
}

/**
 * The TTL actor: the cache's clock passes the entry's TTL and Redis's active expiry cycle removes
 * it, at whatever step the chooser puts it (a key HINCRBY created has no TTL and stays).
 */
function* ttlActor(race: RaceTable): Generator<any, void, any> {
  race.cacheClockMs = RACE_TTL_MS + 1
  race.cache.expireDue()
}

/** The count the article query returns once the TTL has run out (read by the observer, not a step). */
function finalLikes(race: RaceTable, strategy: Strategy): number {
  race.cacheClockMs = RACE_TTL_MS + 1
  const cached = countsOfReply(race.cache.execute(["HGETALL", KEY]))?.like
  return cached ?? (strategy === "cache-hincrby" ? 0 : (race.db.peek(KEY)?.counts.like ?? 0))
}

/** One run of the race under `chooser`. */
function runRace(strategy: Strategy, clients: number, chooser: Chooser): RaceRun {
  const sim = new Simulation({ chooser })
  const race = new RaceTable(sim)
  if (raceHasTtl(strategy)) {
    race.db.upsertAdd(KEY, "like", 0)
    race.cache.execute(fillCommand(KEY, zeroCounts(), RACE_TTL_MS))
  }
  for (const name of raceActors(strategy, clients)) {
    sim.spawn(name === "ttl" ? ttlActor(race) : RACE_CLIENTS[strategy](race, name), name)
  }
  sim.run()
  const final = finalLikes(race, strategy)
  const violation = final === clients ? undefined : `lost update: like = ${final} after ${clients} acknowledged likes`
  return { stateKey: `like=${final}`, steps: race.steps, ...(violation === undefined ? {} : { violation }) }
}

/**
 * The race as a model for the explorer: `explore(lostUpdateRace("naive", 2))`.
 * @throws RangeError when `clients` is not 1..3
 */
export function lostUpdateRace(strategy: Strategy, clients: number): (chooser: Chooser) => RaceRun {
  if (!(Number.isInteger(clients) && clients >= 1 && clients <= 3))
    throw new RangeError(`lostUpdateRace: clients must be 1..3, got ${clients}`)
  return (chooser) => runRace(strategy, clients, chooser)
}

/** Picks each option uniformly from a seeded stream: one random schedule. */
export class RandomChooser implements Chooser {
  constructor(private readonly rng: RandomStream) {}

  choose(count: number): number {
    return this.rng.integer(0, count - 1)
  }
}

/** Every schedule of one strategy's race, as an enumeration (the explorer) counted them. */
export interface RaceEnumeration {
  /** Distinct schedules run. */
  readonly schedules: number
  /** Of those, the ones that lost a like. */
  readonly violatingSchedules: number
  /** The final states reached (`like=<n>`), in the order first reached. */
  readonly states: readonly string[]
  /** The losing run with the fewest steps (the first such), if any. */
  readonly shortest: RaceRun | undefined
}

/** Options of a {@link LostUpdateRaceScenario}. */
export interface LostUpdateRaceScenarioOptions {
  /** Clients in each race, 1..3. Required. */
  readonly clients: number
  /** The strategies to race, in order. Required. */
  readonly strategies: readonly Strategy[]
  /** Random schedules drawn per strategy. Required, >= 0. */
  readonly samples: number
  /** Enumerates every schedule of a strategy's race (e.g. with the explorer). Required. */
  readonly enumerate: (strategy: Strategy) => RaceEnumeration
}

/** What one strategy's race gave. */
export interface StrategyReport {
  readonly strategy: Strategy
  readonly enumeration: RaceEnumeration
  /** Random schedules that lost, of the samples. */
  readonly sampledLosing: number
}

/** What the races gave, strategy by strategy. */
export class LostUpdateRaceResult implements ScenarioResult {
  constructor(readonly reports: readonly StrategyReport[]) {}

  /** The lost-update-explorer sim's JSON metrics. */
  summary(): { readonly [metric: string]: JsonValue } {
    const per = (value: (r: StrategyReport) => number | null) =>
      Object.fromEntries(this.reports.map((r) => [r.strategy, value(r)]))
    return {
      interleavings: per((r) => r.enumeration.schedules),
      losing: per((r) => r.enumeration.violatingSchedules),
      sampledLosing: per((r) => r.sampledLosing),
      shortestLosingSteps: per((r) => r.enumeration.shortest?.steps.length ?? null),
    }
  }
}

/**
 * Every strategy's race, enumerated, and sampled inside the simulation: schedule k of a strategy
 * is drawn at t = k (one time unit per schedule, strategies one after another) from the stream
 * `schedules/<strategy>` and recorded as `ScheduleSampled`.
 */
export class LostUpdateRaceScenario implements Scenario<LostUpdateRaceResult> {
  private readonly reports: StrategyReport[] = []

  constructor(
    /** The simulation the samples are drawn in. */
    readonly sim: Simulation,
    private readonly options: LostUpdateRaceScenarioOptions,
  ) {
    lostUpdateRace("naive", options.clients) // throws on a bad number of clients
    sim.spawn(this.sample(), "explorer")
  }

  /** Enumerates and samples every strategy. */
  run(advance: Advance = runUntil): LostUpdateRaceResult {
    advance(this.sim, Infinity)
    return new LostUpdateRaceResult(this.reports)
  }

  private *sample(): Generator<any, void, any> {
    const { clients, strategies, samples } = this.options
    for (const strategy of strategies) {
      const enumeration = this.options.enumerate(strategy)
      const rng = this.sim.random(`schedules/${strategy}`)
      let sampledLosing = 0
      for (let k = 0; k < samples; k++) {
        const run = runRace(strategy, clients, new RandomChooser(rng))
        if (run.violation !== undefined) sampledLosing++
        const event: ScheduleSampled = {
          type: "ScheduleSampled",
          strategy,
          final: run.stateKey,
          lost: run.violation !== undefined,
        }
        this.sim.trace.record(event)
        yield* this.sim.sleep(1)
      }
      this.reports.push({ strategy, enumeration, sampledLosing })
    }
  }
}
