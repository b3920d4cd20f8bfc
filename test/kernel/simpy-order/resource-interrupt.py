# Resource: a release and an interrupt at the same instant; the urgent interrupt runs first, so the
# waiter gives up before the release event grants it anything.
# Mirrored by test/kernel/resource.test.ts ("releases a slot ... at the instant of an interrupt").
import simpy

env = simpy.Environment()
pump = simpy.Resource(env)
held = pump.request()
log = lambda m: print(f"{env.now:g}: {m}")

def releaser():
    yield env.timeout(3)
    pump.release(held)
    w.interrupt("changed my mind")

def waiter():
    request = pump.request()
    try:
        yield request
    except simpy.Interrupt:
        log(f"waiter interrupted holding a grant: {request in pump.users}")
    finally:
        request.cancel()
        pump.release(request)

def customer(name, arrive, hold):
    yield env.timeout(arrive)
    with pump.request() as req:
        yield req
        log(f"{name} got a slot")
        yield env.timeout(hold)
    log(f"{name} left")

env.process(releaser())
w = env.process(waiter())
env.process(customer("later", 5, 1))
env.run()
