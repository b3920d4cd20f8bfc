# Minimal program (not from SimPy's docs): a request may evict a user of the SAME priority when
# both requests were made at the same time and the user's had preempt=False, because SimPy
# compares the whole key (priority, time, not preempt): (0, 0, True) > (0, 0, False).
import simpy


def user(env, res, name, prio, preempt, hold):
    yield env.timeout(0)
    with res.request(priority=prio, preempt=preempt) as req:
        try:
            yield req
            print(env.now, name, 'got the resource')
            yield env.timeout(hold)
            print(env.now, name, 'done')
        except simpy.Interrupt:
            print(env.now, name, 'preempted')


env = simpy.Environment()
res = simpy.PreemptiveResource(env, capacity=1)
env.process(user(env, res, 'A', 0, False, 5))
env.process(user(env, res, 'B', 0, True, 5))
env.run()
