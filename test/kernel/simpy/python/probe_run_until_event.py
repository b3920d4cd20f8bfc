# Minimal program (not from SimPy's docs): env.run(until=event) stops once the event is processed
# and returns its value; with an event already processed it returns at once; a failed event's
# error leaves run(); an event never triggered makes run() raise when the queue empties.
import simpy

env = simpy.Environment()


def p(env):
    yield env.timeout(2)
    return 'p done'


def ticker(env):
    for _ in range(8):
        yield env.timeout(1)
        print(env.now, 'tick')


def trigger(env, event):
    yield env.timeout(3)
    event.succeed('ev value')


def failer(env, event):
    yield env.timeout(1)
    event.fail(ValueError('ev2 failed'))


proc = env.process(p(env))
env.process(ticker(env))
print(env.run(until=proc), env.now)
print(env.run(until=proc), env.now)
ev = env.event()
env.process(trigger(env, ev))
print(env.run(until=ev), env.now)
ev2 = env.event()
env.process(failer(env, ev2))
try:
    env.run(until=ev2)
except ValueError as error:
    print('run raised', error, env.now)
never = env.event()
try:
    env.run(until=never)
except RuntimeError:
    print('run raised at', env.now)
