# PreemptiveResource with `with`: the preempted user's block ends with a release of a request that
# no longer holds a slot, which frees nothing. Mirrored by test/kernel/resource-using.test.ts.
import simpy

env = simpy.Environment()
cpu = simpy.PreemptiveResource(env, capacity=1)

def low():
    try:
        with cpu.request(priority=5) as req:
            yield req
            yield env.timeout(10)
    except simpy.Interrupt:
        print(f"{env.now:g}: low preempted, count {cpu.count}")

def high():
    yield env.timeout(1)
    with cpu.request(priority=0) as req:
        yield req
        yield env.timeout(2)
        print(f"{env.now:g}: high done, count {cpu.count}")

env.process(low())
env.process(high())
env.run()
print(f"end: count {cpu.count}")
