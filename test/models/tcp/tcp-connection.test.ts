import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { DelayLine } from "../../../src/models/tcp/delay-line.ts"
import { type DuplexSegment, TcpConnection } from "../../../src/models/tcp/tcp-connection.ts"
import { lawSameSeedSameTrace, lawTimeNeverGoesBackwards, tracedRunOf } from "../../laws/index.ts"

const ID = {
  flow: 0,
  clientAddress: "10.0.0.2",
  serverAddress: "10.0.0.1",
  clientPort: 50000,
  serverPort: 80,
  clientIsn: 0,
  serverIsn: 0,
}

/**
 * A connection over a path of 10 ms each way (no serialisation), logging every segment as
 * `t from direction flags seq:end ack`; `lose` drops a segment the first time it is sent.
 */
function path(lose: (line: string) => boolean = () => false) {
  const sim = new Simulation({ seed: 1 })
  const log: string[] = []
  const dropped = new Set<string>()
  let connection: TcpConnection | undefined
  const toServer = new DelayLine<DuplexSegment>(sim, (s) => connection!.atServer(s))
  const toClient = new DelayLine<DuplexSegment>(sim, (s) => connection!.atClient(s))
  const send = (from: string, line: DelayLine<DuplexSegment>) => (d: DuplexSegment) => {
    const { flags, seq, payloadBytes, ack } = d.segment
    const text = `${from} ${d.direction} ${flags} ${seq}:${seq + payloadBytes} ack ${ack}`
    if (lose(text) && !dropped.has(text)) {
      dropped.add(text)
      log.push(`${sim.now} ${text} LOST`)
      return
    }
    log.push(`${sim.now} ${text}`)
    line.push(d, sim.now + 10)
  }
  connection = new TcpConnection(sim, sim.trace, ID, {}, send("client", toServer), send("server", toClient))
  return { sim, log, connection }
}

/** The server answers `reply` bytes once `request` bytes have arrived, then closes. */
function answer(connection: TcpConnection, request: number, reply: number): void {
  let answered = false
  connection.server.onArrival((delivered) => {
    if (answered || delivered < request) return
    answered = true
    connection.server.write(reply)
    connection.server.close()
  })
}

describe("TcpConnection", () => {
  it("the client opens (SYN, SYN-ACK, ACK), both ends write, each FIN is acknowledged", () => {
    const { sim, log, connection } = path()
    answer(connection, 2000, 5000)
    connection.client.write(2000)
    connection.client.close()
    connection.open()
    sim.run()
    expect(log).toEqual([
      "0 client up S 0:0 ack 0",
      "10 server up S. 0:0 ack 1",
      // the handshake's ACK, then the request (written before the connection opened), then FIN
      "20 client up . 1:1 ack 1",
      "20 client up P. 1:1461 ack 1",
      "20 client up P. 1461:2001 ack 1",
      "20 client up F. 2001:2001 ack 1",
      "30 server up . 1:1 ack 1461",
      // all 2,000 bytes are in: the server answers with an initial window of 3 segments
      "30 server up . 1:1 ack 2001",
      "30 server down P. 1:1461 ack 1",
      "30 server down P. 1461:2921 ack 1",
      "30 server down P. 2921:4381 ack 1",
      "30 server up . 1:1 ack 2002",
      "40 client down . 1:1 ack 1461",
      "40 client down . 1:1 ack 2921",
      "40 client down . 1:1 ack 4381",
      "50 server down P. 4381:5001 ack 1",
      "50 server down F. 5001:5001 ack 1",
      "60 client down . 1:1 ack 5001",
      "60 client down . 1:1 ack 5002",
    ])
    expect([connection.server.deliveredBytes, connection.client.deliveredBytes]).toEqual([2000, 5000])
    // the server closed before the client's FIN reached it: a simultaneous close
    expect([connection.client.state, connection.server.state, connection.closed]).toEqual([
      "TIME-WAIT",
      "TIME-WAIT",
      true,
    ])
    // the server's first RTT sample is its SYN-ACK's round trip (10 to 30 ms)
    expect(connection.server.sender.srttMs).toBe(20)
    expect(connection.client.sender.srttMs).toBe(20)
  })

  it("a peer that closes first leaves the other end in CLOSE-WAIT until it closes too", () => {
    const { sim, connection } = path()
    connection.client.write(100)
    connection.open()
    sim.run({ until: 100 })
    connection.server.close()
    sim.run({ until: 200 })
    expect([connection.client.state, connection.server.state]).toEqual(["CLOSE-WAIT", "FIN-WAIT-2"])
    connection.client.close()
    sim.run()
    expect([connection.client.state, connection.server.state, connection.closed]).toEqual(["CLOSED", "TIME-WAIT", true])
  })

  it("a lost request segment is retransmitted on three duplicate ACKs and the bytes arrive in order", () => {
    const { sim, log, connection } = path((line) => line.startsWith("client up P. 1461:"))
    const delivered: number[] = []
    connection.server.onArrival((n) => delivered.push(n))
    connection.client.write(6 * 1460)
    connection.open()
    sim.run()
    expect(log.filter((l) => l.includes(" up P. 1461:") || l.includes("ack 1461"))).toEqual([
      "20 client up P. 1461:2921 ack 1 LOST",
      "30 server up . 1:1 ack 1461",
      "30 server up . 1:1 ack 1461",
      // the first ACK is new (it lets segments 4 and 5 out), the rest are duplicates: 3 at t=50
      "50 server up . 1:1 ack 1461",
      "50 server up . 1:1 ack 1461",
      "60 client up P. 1461:2921 ack 1",
    ])
    // segments 3, 4 and 5 arrive beyond the hole: delivered stays at 1,460 until the
    // retransmission fills it (7,300 at once), then the sixth segment follows
    expect(delivered).toEqual([1460, 1460, 1460, 1460, 7300, 8760])
    expect(connection.client.sender.fastRetransmits).toBe(1)
  })

  it("a lost response segment is recovered the same way on the other direction", () => {
    const { sim, log, connection } = path((line) => line.startsWith("server down P. 2921:"))
    answer(connection, 100, 8 * 1460)
    const delivered: number[] = []
    connection.client.onArrival((n) => delivered.push(n))
    connection.client.write(100)
    connection.open()
    sim.run()
    expect(log.filter((l) => l.includes("down P. 2921:"))).toEqual([
      "30 server down P. 2921:4381 ack 1 LOST",
      "70 server down P. 2921:4381 ack 1",
    ])
    expect(delivered.at(-1)).toBe(8 * 1460)
    expect(delivered.slice(0, 2)).toEqual([1460, 2920])
    expect(connection.server.sender.retransmits).toBe(1)
    expect(connection.closed).toBe(false)
  })
})

/** A connection over a path that loses each segment with `loss` (stream `test/loss`), both ways. */
function lossyExchange(seed: number, loss: number, request: number, reply: number) {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  const random = sim.random("test/loss")
  let connection: TcpConnection | undefined
  const toServer = new DelayLine<DuplexSegment>(sim, (s) => connection!.atServer(s))
  const toClient = new DelayLine<DuplexSegment>(sim, (s) => connection!.atClient(s))
  const send = (line: DelayLine<DuplexSegment>) => (d: DuplexSegment) => {
    if (!random.bernoulli(loss)) line.push(d, sim.now + 10)
  }
  connection = new TcpConnection(sim, sim.trace, ID, {}, send(toServer), send(toClient))
  answer(connection, request, reply)
  connection.client.write(request)
  connection.client.close()
  connection.open()
  return { sim, connection }
}

describe("TcpConnection properties and laws", () => {
  it("with loss both ways, every byte arrives in order both ways and both FINs are acknowledged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(0, 0.02, 0.1),
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 200_000 }),
        (seed, loss, request, reply) => {
          const { sim, connection } = lossyExchange(seed, loss, request, reply)
          sim.run({ until: 3_600_000 })
          expect([connection.server.deliveredBytes, connection.client.deliveredBytes]).toEqual([request, reply])
          expect(connection.closed).toBe(true)
          expect([connection.client.state, connection.server.state]).toContain("TIME-WAIT")
        },
      ),
      { numRuns: 60 },
    )
  })

  it("gives the same trace for the same seed, and never moves the clock backwards", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const { sim } = lossyExchange(seed, 0.05, 20_000, 100_000)
        return tracedRunOf(sim, () => void sim.run())
      },
      3,
      { label: "tcp-connection", minRecords: 100 },
    )
    expect(report.records).toBeGreaterThanOrEqual(100)
    const { sim } = lossyExchange(2, 0.05, 20_000, 100_000)
    expect(lawTimeNeverGoesBackwards(sim).steps).toBeGreaterThan(20)
  })
})
