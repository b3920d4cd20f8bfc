# Container: waiting puts are served when a get event is processed; withdrawing the head of a line
# serves nobody until the next put or get. Mirrored by test/kernel/container.test.ts.
import simpy

env = simpy.Environment()
tank = simpy.Container(env, capacity=10, init=6)
big = tank.put(5)
small = tank.put(1)
print("queued:", big.triggered, small.triggered, len(tank.put_queue))
tank.get(1)
print("after get:", big.triggered, small.triggered, tank.level)
env.run()
print("processed:", big.triggered, small.triggered, tank.level, len(tank.put_queue))

env = simpy.Environment()
tank = simpy.Container(env, init=5)
big = tank.get(10)
def small_get():
    yield tank.get(3)
    print(f"{env.now:g}: small get served, level {tank.level}")
def withdraw():
    yield env.timeout(1)
    big.cancel()
    print(f"{env.now:g}: big get withdrawn")
    yield env.timeout(1)
    tank.put(1)
    print(f"{env.now:g}: put 1, level {tank.level}")
env.process(small_get())
env.process(withdraw())
env.run()

env = simpy.Environment()
tank = simpy.Container(env, capacity=10, init=6)
big = tank.put(5)
small = tank.put(3)
big.cancel()
print("withdrawn head:", small.triggered, tank.level, len(tank.put_queue))
tank.put(1)
print("next put:", small.triggered, tank.level, len(tank.put_queue))
