/**
 * Port of SimPy's docs/examples/code/movie_renege.py (python/movie_renege.py), line by line:
 * moviegoers queue at a counter and leave when their movie sells out.
 */
import { type Event, Resource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { fixed } from "../py-format.ts"
import { PyRandom } from "../py-random.ts"

export const movieRenege: Port = (print) => {
  const RANDOM_SEED = 42
  const TICKETS = 50 // Number of tickets per movie
  const SELLOUT_THRESHOLD = 2 // Fewer tickets than this is a sellout
  const SIM_TIME = 120 // Simulate until
  let random = new PyRandom(0)

  interface Theater {
    counter: Resource
    movies: string[]
    available: Record<string, number>
    soldOut: Record<string, Event<void>>
    whenSoldOut: Record<string, number | null>
    numRenegers: Record<string, number>
  }

  /** A moviegoer tries to buy `numTickets` tickets for a `movie` in a `theater`. */
  function* moviegoer(env: Simulation, movie: string, numTickets: number, theater: Theater) {
    const myTurn = theater.counter.request()
    try {
      // Wait until it's our turn or until the movie is sold out
      const result = yield* env.anyOf([myTurn, theater.soldOut[movie]!])

      // Check if it's our turn or if movie is sold out
      if (!result.has(myTurn)) {
        theater.numRenegers[movie]! += 1
        return
      }

      // Check if enough tickets left.
      if (theater.available[movie]! < numTickets) {
        // Moviegoer leaves after some discussion
        yield* env.timeout(0.5)
        return
      }

      // Buy tickets
      theater.available[movie]! -= numTickets
      if (theater.available[movie]! < SELLOUT_THRESHOLD) {
        // Trigger the "sold out" event for the movie
        theater.soldOut[movie]!.succeed()
        theater.whenSoldOut[movie] = env.now
        theater.available[movie] = 0
      }
      yield* env.timeout(1)
    } finally {
      theater.counter.release(myTurn)
    }
  }

  /** Create new *moviegoers* until the sim time reaches 120. */
  function* customerArrivals(env: Simulation, theater: Theater) {
    for (;;) {
      yield* env.timeout(random.expovariate(1 / 0.5))

      const movie = random.choice(theater.movies)
      const numTickets = random.randint(1, 6)
      if (theater.available[movie]) env.spawn(moviegoer(env, movie, numTickets, theater))
    }
  }

  // Setup and start the simulation
  print("Movie renege")
  random = new PyRandom(RANDOM_SEED)
  const env = new Simulation()

  // Create movie theater
  const movies = ["Python Unchained", "Kill Process", "Pulp Implementation"]
  const theater: Theater = {
    counter: new Resource(env, { capacity: 1 }),
    movies,
    available: Object.fromEntries(movies.map((movie) => [movie, TICKETS])),
    soldOut: Object.fromEntries(movies.map((movie) => [movie, env.event()])),
    whenSoldOut: Object.fromEntries(movies.map((movie) => [movie, null])),
    numRenegers: Object.fromEntries(movies.map((movie) => [movie, 0])),
  }

  // Start process and run
  env.spawn(customerArrivals(env, theater))
  env.run({ until: SIM_TIME })

  // Analysis/results
  for (const movie of movies) {
    if (theater.soldOut[movie]) {
      const selloutTime = theater.whenSoldOut[movie]!
      const numRenegers = theater.numRenegers[movie]!
      print(`Movie "${movie}" sold out ${fixed(selloutTime, 1)} minutes after ticket counter opening.`)
      print(`  Number of people leaving queue when film sold out: ${numRenegers}`)
    }
  }
}
