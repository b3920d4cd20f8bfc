# Minimal program (not from SimPy's docs): a user ends without releasing its slot; a request that
# would preempt it makes SimPy interrupt an ended process, and request() raises RuntimeError.
import simpy

env = simpy.Environment()
res = simpy.PreemptiveResource(env, capacity=1)


def careless(env):
    req = res.request(priority=1)
    yield req
    print(env.now, 'careless got it and ends without releasing')


def urgent(env):
    yield env.timeout(1)
    try:
        req = res.request(priority=0)
    except RuntimeError as error:
        print(env.now, 'request raised', type(error).__name__)
        return
    yield req
    print(env.now, 'urgent got it')


env.process(careless(env))
env.process(urgent(env))
env.run()
