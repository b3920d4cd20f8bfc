# Minimal program (not from SimPy's docs): which user does a preempting request evict when two
# users have the same priority and were granted at the same time? SimPy takes
# max(users, key=(priority, time, not preempt)), and max() returns the first of equal keys: the
# user granted first.
import simpy


def user(env, res, name, prio, start, hold):
    yield env.timeout(start)
    with res.request(priority=prio) as req:
        yield req
        print(env.now, name, 'got the resource')
        try:
            yield env.timeout(hold)
            print(env.now, name, 'done')
        except simpy.Interrupt:
            print(env.now, name, 'preempted')


env = simpy.Environment()
res = simpy.PreemptiveResource(env, capacity=2)
env.process(user(env, res, 'A', 1, 0, 10))
env.process(user(env, res, 'B', 1, 0, 10))
env.process(user(env, res, 'C', 0, 1, 2))
env.run()
