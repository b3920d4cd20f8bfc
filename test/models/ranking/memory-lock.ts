/**
 * A lease lock held in memory, for the ranking tests that need a lock without the Redis one: the
 * service grants the lock with an increasing fencing token when it is free or its lease (by
 * simulated time) has run out; a client renews every TTL/3 while its node runs and believes its
 * lease by its own clock.
 */
import type { Event, Simulation } from "../../../src/kernel/index.ts"
import type { NodeContext } from "../../../src/net/index.ts"
import type { JobLease, JobLock } from "../../../src/models/ranking/index.ts"

export class MemoryLockService {
  holder: string | null = null
  token = 0
  expiresAtMs = -Infinity

  constructor(
    readonly sim: Simulation,
    readonly ttlMs: number,
  ) {}

  client(node: NodeContext): JobLock {
    return new MemoryLockClient(this, node)
  }
}

class MemoryLockClient implements JobLock {
  private lease: JobLease | null = null

  constructor(
    private readonly service: MemoryLockService,
    private readonly context: NodeContext,
  ) {}

  get node(): string {
    return this.context.name
  }

  *acquire(deadlineMs = Infinity): Generator<Event<any>, JobLease | null, any> {
    const service = this.service
    for (;;) {
      if (service.holder === null || service.sim.now >= service.expiresAtMs) {
        service.holder = this.node
        service.token++
        service.expiresAtMs = service.sim.now + service.ttlMs
        const lease = { token: service.token, validUntilMs: this.context.clock() + service.ttlMs }
        this.lease = lease
        this.context.spawn(this.renew(lease.token), "memory-lock-renew")
        return lease
      }
      if (this.context.clock() >= deadlineMs) return null
      yield* this.context.sleepLocal(service.ttlMs / 10)
    }
  }

  private *renew(token: number): Generator<Event<any>, void, any> {
    const service = this.service
    for (;;) {
      yield* this.context.sleepLocal(service.ttlMs / 3)
      if (service.token !== token || service.sim.now >= service.expiresAtMs) return
      service.expiresAtMs = service.sim.now + service.ttlMs
      this.lease = { token, validUntilMs: this.context.clock() + service.ttlMs }
    }
  }

  *release(): Generator<Event<any>, void, any> {
    if (this.lease !== null && this.service.token === this.lease.token) this.service.holder = null
    this.lease = null
  }

  current(): JobLease | null {
    return this.lease !== null && this.context.clock() < this.lease.validUntilMs ? this.lease : null
  }
}
