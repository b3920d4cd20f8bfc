/**
 * Port of SimPy's docs/examples/code/process_communication.py (python/process_communication.py),
 * line by line: one-to-one messages through a Store, then one-to-many through a broadcast pipe.
 */
import { type Event, Simulation, Store, type StoreGet } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { PyRandom } from "../py-random.ts"

type Message = readonly [number, string]

export const processCommunication: Port = (print) => {
  const RANDOM_SEED = 42
  const SIM_TIME = 100
  let random = new PyRandom(0)

  /** A Broadcast pipe that allows one process to send messages to many. */
  class BroadcastPipe {
    readonly pipes: Store<Message>[] = []
    constructor(
      readonly env: Simulation,
      readonly capacity = Infinity,
    ) {}

    /** Broadcast a *value* to all receivers. */
    put(value: Message): Event<void[]> {
      if (this.pipes.length === 0) throw new Error("There are no output pipes.")
      const events = this.pipes.map((store) => store.put(value))
      return this.env.allOf(events) // Condition event for all "events"
    }

    /** Get a new output connection for this broadcast pipe. */
    getOutputConn(): Store<Message> {
      const pipe = new Store<Message>(this.env, { capacity: this.capacity })
      this.pipes.push(pipe)
      return pipe
    }
  }

  interface Pipe {
    put(value: Message): unknown
  }
  interface InPipe {
    get(): StoreGet<Message>
  }

  /** A process which randomly generates messages. */
  function* messageGenerator(name: string, env: Simulation, outPipe: Pipe) {
    for (;;) {
      // wait for next transmission
      yield* env.timeout(random.randint(6, 10))

      // messages are time stamped to later check if the consumer was late getting them.
      const msg: Message = [env.now, `${name} says hello at ${env.now}`]
      outPipe.put(msg)
    }
  }

  /** A process which consumes messages. */
  function* messageConsumer(name: string, env: Simulation, inPipe: InPipe) {
    for (;;) {
      // Get event for message pipe
      const msg = yield* inPipe.get()

      if (msg[0] < env.now) {
        // if message was already put into pipe, then message_consumer was late getting to it.
        print(`LATE Getting Message: at time ${env.now}: ${name} received message: ${msg[1]}`)
      } else {
        // message_consumer is synchronized with message_generator
        print(`at time ${env.now}: ${name} received message: ${msg[1]}.`)
      }

      // Process does some other work, which may result in missing messages
      yield* env.timeout(random.randint(4, 8))
    }
  }

  // Setup and start the simulation
  print("Process communication")
  random = new PyRandom(RANDOM_SEED)
  let env = new Simulation()

  // For one-to-one or many-to-one type pipes, use Store
  const pipe = new Store<Message>(env)
  env.spawn(messageGenerator("Generator A", env, pipe))
  env.spawn(messageConsumer("Consumer A", env, pipe))

  print("\nOne-to-one pipe communication\n")
  env.run({ until: SIM_TIME })

  // For one-to many use BroadcastPipe
  // (Note: could also be used for one-to-one,many-to-one or many-to-many)
  env = new Simulation()
  const bcPipe = new BroadcastPipe(env)
  env.spawn(messageGenerator("Generator A", env, bcPipe))
  env.spawn(messageConsumer("Consumer A", env, bcPipe.getOutputConn()))
  env.spawn(messageConsumer("Consumer B", env, bcPipe.getOutputConn()))

  print("\nOne-to-many pipe communication\n")
  env.run({ until: SIM_TIME })
}
