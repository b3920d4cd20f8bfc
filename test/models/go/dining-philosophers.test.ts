/**
 * Dining philosophers on the kernel's Go runtime, explored: the exact schedule and deadlock counts
 * of small tables (equal to the independent count of src/models/go/dining-schedules.ts), the
 * smallest deadlock (every philosopher holding its left fork), the fixes that never deadlock, the
 * timeout fix's livelock up to its horizon, and the law block.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { describeSchedule, explore, replaySchedule } from "../../../src/check/explore.ts"
import { type Chooser, Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  checkNoDeadlock,
  type CountableFix,
  countDiningSchedules,
  type DiningEvent,
  type DiningFix,
  DiningScenario,
  diningTimelineLine,
  type DiningRun,
  runDiningPhilosophers,
} from "../../../src/models/go/index.ts"
import {
  checkProperty,
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const TEST_FILE = "test/models/go/dining-philosophers.test.ts"

interface Explored {
  readonly schedules: number
  readonly deadlocks: number
  readonly unfinished: number
  readonly complete: boolean
  readonly build: (chooser: Chooser) => { stateKey: string; violation?: string }
  readonly firstDeadlock: readonly number[] | undefined
}

function exploreDinner(philosophers: number, meals: number, fix: DiningFix, untilMs?: number): Explored {
  let deadlocks = 0
  let unfinished = 0
  const options = { philosophers, meals, fix, ...(untilMs === undefined ? {} : { untilMs }) }
  const build = (chooser: Chooser) => {
    const run = runDiningPhilosophers(new Simulation({ chooser, trace: { enabled: false } }), options)
    if (run.deadlock !== undefined) deadlocks++
    else if (!run.finished) unfinished++
    return run.deadlock === undefined ? { stateKey: "ok" } : { stateKey: "deadlock", violation: "deadlock" }
  }
  const report = explore(build, { maxSchedules: 200_000 })
  const firstDeadlock = report.firstViolation?.choices
  return { schedules: report.schedules, deadlocks, unfinished, complete: report.complete, build, firstDeadlock }
}

/** Replays `choices` with the trace kept: the timeline lines and the run. */
function replay(philosophers: number, meals: number, choices: readonly number[]): { lines: string[]; run: DiningRun } {
  let run: DiningRun | undefined
  let sim: Simulation | undefined
  replaySchedule((chooser) => {
    sim = new Simulation({ chooser, trace: { keep: Infinity } })
    run = runDiningPhilosophers(sim, { philosophers, meals, fix: "none" })
    return { stateKey: "" }
  }, choices)
  const lines = sim!.trace.records().map((record) => diningTimelineLine(record as unknown as Traced<DiningEvent>))
  return { lines, run: run! }
}

describe("dining philosophers, every schedule", () => {
  it("counts the schedules and deadlocks of 2 and 3 philosophers exactly, for each fix", () => {
    const rows = (["none", "ordering", "arbiter"] as const).flatMap((fix) =>
      [
        [2, 1],
        [2, 2],
        [3, 1],
        [3, 2],
      ].map(([n, meals]) => {
        const explored = exploreDinner(n!, meals!, fix)
        return `${fix} ${n}x${meals}: ${explored.schedules} schedules, ${explored.deadlocks} deadlocks, complete ${explored.complete}`
      }),
    )
    expect(rows).toEqual([
      "none 2x1: 6 schedules, 4 deadlocks, complete true",
      "none 2x2: 10 schedules, 8 deadlocks, complete true",
      "none 3x1: 102 schedules, 48 deadlocks, complete true",
      "none 3x2: 1047 schedules, 642 deadlocks, complete true",
      "ordering 2x1: 4 schedules, 0 deadlocks, complete true",
      "ordering 2x2: 6 schedules, 0 deadlocks, complete true",
      "ordering 3x1: 66 schedules, 0 deadlocks, complete true",
      "ordering 3x2: 662 schedules, 0 deadlocks, complete true",
      "arbiter 2x1: 4 schedules, 0 deadlocks, complete true",
      "arbiter 2x2: 6 schedules, 0 deadlocks, complete true",
      "arbiter 3x1: 36 schedules, 0 deadlocks, complete true",
      "arbiter 3x2: 96 schedules, 0 deadlocks, complete true",
    ])
  })

  it("the kernel's explorer and the independent count agree (4 philosophers too)", () => {
    const cases: [number, number, CountableFix][] = [
      [2, 3, "none"],
      [3, 2, "none"],
      [4, 1, "none"],
      [4, 1, "ordering"],
      [4, 1, "arbiter"],
      [3, 3, "arbiter"],
    ]
    for (const [n, meals, fix] of cases) {
      const explored = exploreDinner(n, meals, fix)
      expect([explored.schedules, explored.deadlocks], `${fix} ${n}x${meals}`).toEqual(
        Object.values(countDiningSchedules(n, meals, fix)),
      )
    }
    expect(countDiningSchedules(4, 1, "none")).toEqual({ schedules: 3840, deadlocks: 1088 })
    expect(countDiningSchedules(5, 1, "none")).toEqual({ schedules: 271_980, deadlocks: 39_680 })
    expect(countDiningSchedules(5, 1, "arbiter")).toEqual({ schedules: 12_240, deadlocks: 0 })
  })

  it("the smallest deadlock: every philosopher holds its left fork and waits for its right, a cycle through the table", () => {
    const explored = exploreDinner(3, 1, "none")
    expect(explored.firstDeadlock).toEqual([0, 0, 0, 0, 0])
    const { lines, run } = replay(3, 1, explored.firstDeadlock!)
    expect(lines).toEqual([
      "P0 is hungry (meal 1)",
      "P0 takes fork 0",
      "P1 is hungry (meal 1)",
      "P1 takes fork 1",
      "P2 is hungry (meal 1)",
      "P2 takes fork 2",
      "P0 waits for fork 1 (P1 has it)",
      "P1 waits for fork 2 (P2 has it)",
      "P2 waits for fork 0 (P0 has it)",
      "all goroutines are asleep - deadlock! wait-for cycle P0 → P1 → P2 → P0",
    ])
    expect(run.deadlock!.cycle).toEqual([
      { philosopher: 0, holds: 0, waitsFor: 1, heldBy: 1 },
      { philosopher: 1, holds: 1, waitsFor: 2, heldBy: 2 },
      { philosopher: 2, holds: 2, waitsFor: 0, heldBy: 0 },
    ])
    expect(run.deadlock!.message).toBe(
      [
        "fatal error: all goroutines are asleep - deadlock!",
        "",
        "goroutine 1 [sync.WaitGroup.Wait]:",
        '\tmain waits on WaitGroup "dinner"',
        "goroutine 2 [sync.Mutex.Lock]:",
        '\tP0 waits on mutex "fork 1"',
        "goroutine 3 [sync.Mutex.Lock]:",
        '\tP1 waits on mutex "fork 2"',
        "goroutine 4 [sync.Mutex.Lock]:",
        '\tP2 waits on mutex "fork 0"',
      ].join("\n"),
    )
    expect(run.meals).toEqual([0, 0, 0])
  })

  it("every deadlock of 3 philosophers is the same cycle: each holding its left fork", () => {
    const cycles = new Set<string>()
    explore((chooser) => {
      const run = runDiningPhilosophers(new Simulation({ chooser, trace: { enabled: false } }), {
        philosophers: 3,
        meals: 2,
      })
      if (run.deadlock !== undefined) cycles.add(JSON.stringify(run.deadlock.cycle.map((l) => [l.holds, l.waitsFor])))
      return { stateKey: "" }
    })
    expect([...cycles]).toEqual(["[[0,1],[1,2],[2,0]]"])
  })

  it("the timeout fix never deadlocks, and up to 7 ms most schedules are still retrying: a livelock is possible", () => {
    const explored = exploreDinner(2, 1, "timeout", 7)
    expect([explored.schedules, explored.deadlocks, explored.unfinished, explored.complete]).toEqual([
      7730,
      0,
      6720,
      true,
    ])
  })

  it("property: philosophers taking their forks in the global order never deadlock, in any explored schedule", () => {
    const table = fc.oneof(
      fc.record({ n: fc.constant(2), meals: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ n: fc.constant(3), meals: fc.integer({ min: 1, max: 2 }) }),
      fc.record({ n: fc.constant(4), meals: fc.constant(1) }),
    )
    checkProperty(
      fc.property(table, ({ n, meals }) => {
        const explored = exploreDinner(n, meals, "ordering")
        expect([explored.deadlocks, explored.unfinished, explored.complete]).toEqual([0, 0, true])
        expect(explored.schedules).toBe(countDiningSchedules(n, meals, "ordering").schedules)
      }),
      { testFile: TEST_FILE, numRuns: 8 },
    )
  })

  it("property: with the seed's costs, each of the three fixes feeds every philosopher every meal", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom<DiningFix>("ordering", "arbiter", "timeout"),
        (n, meals, seed, fix) => {
          const run = runDiningPhilosophers(new Simulation({ seed, trace: { enabled: false } }), {
            philosophers: n,
            meals,
            fix,
          })
          expect([run.deadlock, run.meals]).toEqual([undefined, Array(n).fill(meals)])
        },
      ),
      { testFile: TEST_FILE, numRuns: 60 },
    )
  })
})

describe("dining philosophers, one seeded run", () => {
  it("five philosophers with no fix deadlock before anyone eats (seed 1); the fixes feed everyone", () => {
    const run = (fix: DiningFix) =>
      runDiningPhilosophers(new Simulation({ seed: 1, trace: { enabled: false } }), { philosophers: 5, fix })
    const none = run("none")
    expect([none.endMs, none.meals, none.deadlock!.cycle.map((link) => link.philosopher)]).toEqual([
      6,
      [0, 0, 0, 0, 0],
      [0, 1, 2, 3, 4],
    ])
    for (const fix of ["ordering", "arbiter", "timeout"] as const) expect(run(fix).meals).toEqual([2, 2, 2, 2, 2])
    expect(run("timeout").timeouts).toBe(2)
  })
})

describe("dining philosophers, laws", () => {
  const seeded = (seed: number, fix: DiningFix) =>
    runDiningPhilosophers(new Simulation({ seed, trace: { enabled: false } }), { philosophers: 5, fix })

  it("same seed, same trace", () => {
    for (const fix of ["none", "timeout"] as const)
      lawSameSeedSameTrace(
        (seed) => {
          const sim = new Simulation({ seed, trace: { keep: Infinity } })
          return tracedRunOf(sim, () => new DiningScenario(sim, { philosophers: 5, fix }).run())
        },
        7,
        { minRecords: 10, label: `dining philosophers (${fix})` },
      )
  })

  it("time never goes backwards", () => {
    for (const fix of ["ordering", "timeout"] as const) {
      const sim = new Simulation({ seed: 3, trace: { enabled: false } })
      new DiningScenario(sim, { philosophers: 5, fix, meals: 4 })
      expect(lawTimeNeverGoesBackwards(sim).steps).toBeGreaterThan(50)
    }
  })

  it("the check accepts runs of the fixes and rejects the deadlocked one", () => {
    const tally = (run: DiningRun) => ({
      schedules: 1,
      deadlocks: run.deadlock === undefined ? 0 : 1,
      first: run.deadlock?.message,
    })
    for (const fix of ["ordering", "arbiter", "timeout"] as const)
      lawCheckerAcceptsFaultFreeRuns(
        (seed) => seeded(seed, fix),
        (run) => checkNoDeadlock(tally(run)),
        5,
      )
    lawCheckerRejectsKnownBadRun(seeded(1, "none"), (run) => checkNoDeadlock(tally(run)), { name: "no-deadlock" })
  })

  it("a schedule's description names each choice point", () => {
    const report = explore((chooser) => {
      runDiningPhilosophers(new Simulation({ chooser, trace: { enabled: false } }), { philosophers: 2, meals: 1 })
      return { stateKey: "" }
    })
    expect(report.schedules).toBe(6)
    const first = replaySchedule((chooser) => {
      runDiningPhilosophers(new Simulation({ chooser, trace: { enabled: false } }), { philosophers: 2, meals: 1 })
      return { stateKey: "" }
    }, [])
    expect(describeSchedule(first)).toBe("event 1/2, event 1/2, event 1/2")
  })
})
