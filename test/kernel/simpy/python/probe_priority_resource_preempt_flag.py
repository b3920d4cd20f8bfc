# Minimal program (not from SimPy's docs): a PriorityResource (not preemptive) also orders its
# queue by (priority, time, not preempt), so of two requests of equal priority made at the same
# time, the one with preempt=True (the default) is served before the one with preempt=False.
import simpy


def user(env, res, name, prio, preempt, start):
    yield env.timeout(start)
    with res.request(priority=prio, preempt=preempt) as req:
        yield req
        print(env.now, name, 'got the resource')
        yield env.timeout(1)


env = simpy.Environment()
res = simpy.PriorityResource(env, capacity=1)
env.process(user(env, res, 'holder', 0, True, 0))
env.process(user(env, res, 'X', 0, False, 0.5))
env.process(user(env, res, 'Y', 0, True, 0.5))
env.run()
