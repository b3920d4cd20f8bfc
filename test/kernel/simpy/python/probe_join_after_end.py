# Minimal program (not from SimPy's docs): a process joins a child that ended earlier in the same
# instant. The child's end is an event queued when it ended, so the joiner resumes after what was
# already queued for that instant (here Z's timeout).
import simpy


def child(env):
    yield env.timeout(1)
    print(env.now, 'child ends')


def parent(env, c):
    yield env.timeout(1)
    print(env.now, 'parent joins; child triggered:', c.triggered)
    yield c
    print(env.now, 'parent joined')


def z(env):
    yield env.timeout(1)
    print(env.now, 'Z runs')


env = simpy.Environment()
c = env.process(child(env))
env.process(parent(env, c))
env.process(z(env))
env.run()
