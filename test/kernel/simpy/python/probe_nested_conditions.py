# Minimal program (not from SimPy's docs): the value of a nested condition lists every processed
# event of its inner conditions, in the order given, when the outer condition is processed.
import simpy


def proc(env):
    e1, e2, e3 = env.timeout(0, 'a'), env.timeout(1, 'b'), env.timeout(2, 'c')
    r = yield (e1 | e2) & e3
    print(env.now, [e in r for e in (e1, e2, e3)], list(r.values()))
    e4, e5, e6 = env.timeout(1, 'd'), env.timeout(1, 'e'), env.timeout(3, 'f')
    r = yield (e4 & e5) | e6
    print(env.now, [e in r for e in (e4, e5, e6)], list(r.values()))


env = simpy.Environment()
env.process(proc(env))
env.run()
