# Minimal program (not from SimPy's docs): a put to a Container raises the level at once, but a
# waiting get is served only when the put event is processed, so the level read right after the
# put still includes the amount the getter will take.
import simpy

env = simpy.Environment()
tank = simpy.Container(env, capacity=100, init=0)


def getter(env):
    yield tank.get(30)
    print(env.now, 'getter got 30, level', tank.level)


def putter(env):
    yield env.timeout(1)
    tank.put(50)
    print(env.now, 'put 50, level', tank.level)


env.process(getter(env))
env.process(putter(env))
env.run()
