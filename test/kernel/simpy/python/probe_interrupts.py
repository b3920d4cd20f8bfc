# Minimal program (not from SimPy's docs): interrupting a process in the instant it is spawned
# (before it started), and interrupting a process twice in one instant.
import simpy


def worker(env, name):
    print(env.now, name, 'started')
    for _ in range(3):
        try:
            yield env.timeout(5)
            print(env.now, name, 'slept')
        except simpy.Interrupt as i:
            print(env.now, name, 'interrupted:', i.cause)


def boss(env):
    early = env.process(worker(env, 'early'))
    early.interrupt('before start')
    twice = env.process(worker(env, 'twice'))
    yield env.timeout(1)
    twice.interrupt('first')
    twice.interrupt('second')
    print(env.now, 'boss done')


env = simpy.Environment()
env.process(boss(env))
env.run()
