# Resource with `with` (TypeScript: `using`): the slot is released at the end of the block, and a
# request never granted (impatient, or interrupted) is cancelled there. The release event grants
# the next request after the events already queued for the instant.
# Mirrored by test/kernel/resource-using.test.ts.
import simpy

env = simpy.Environment()
pump = simpy.Resource(env, capacity=1)

def log(message):
    print(f"{env.now:g}: {message} (count {pump.count}, queue {len(pump.queue)})")

def customer(name, arrive, hold, patience=None):
    yield env.timeout(arrive)
    try:
        with pump.request() as req:
            if patience is None:
                yield req
            else:
                yield req | env.timeout(patience)
                if not req.triggered:
                    log(f"{name} gives up")
                    return
            log(f"{name} got the pump")
            yield env.timeout(hold)
            log(f"{name} done")
    except simpy.Interrupt:
        log(f"{name} interrupted")
        return
    log(f"{name} left")

def observer():
    yield env.timeout(5)
    log("observer at 5")

def interrupter(victim):
    yield env.timeout(4)
    victim.interrupt("closing")

env.process(customer("a", 0, 5))
env.process(customer("b", 1, 1, patience=2))
env.process(customer("c", 2, 1))
d = env.process(customer("d", 3, 1))
env.process(interrupter(d))
env.process(observer())
env.run()
