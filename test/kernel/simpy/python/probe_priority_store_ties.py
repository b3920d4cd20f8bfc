# Minimal program (not from SimPy's docs): a PriorityStore keeps its items in a binary heap
# (heapq), which is not stable, so items of equal priority do not leave in arrival order.
import simpy

env = simpy.Environment()
store = simpy.PriorityStore(env)


def producer(env):
    for name in 'abcdef':
        yield store.put(simpy.PriorityItem(1, name))


def consumer(env):
    yield env.timeout(1)
    while True:
        item = yield store.get()
        print(env.now, item.item)


env.process(producer(env))
env.process(consumer(env))
env.run()
