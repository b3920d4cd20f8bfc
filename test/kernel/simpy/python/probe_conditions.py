# Minimal program (not from SimPy's docs): an AnyOf over two timeouts of the same instant holds
# both; a sub-event that fails after the AnyOf was triggered, but before it was processed, is not
# handled by the condition and stops the run.
import simpy


def same_instant(env):
    r = yield env.timeout(1, 'a') | env.timeout(1, 'b')
    print(env.now, 'same instant:', list(r.values()))


def late_failure(env, e1, e2):
    r = yield e1 | e2
    print(env.now, 'late failure: got', list(r.values()))


def trigger(env, e1, e2):
    yield env.timeout(2)
    e1.succeed('ok')
    e2.fail(ValueError('bad'))


env = simpy.Environment()
env.process(same_instant(env))
e1, e2 = env.event(), env.event()
env.process(late_failure(env, e1, e2))
env.process(trigger(env, e1, e2))
try:
    env.run()
except ValueError as error:
    print(env.now, 'run raised:', error)
