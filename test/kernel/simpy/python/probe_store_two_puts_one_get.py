# Minimal program (not from SimPy's docs): a getter waits; two items are put at once; a second
# getter asks in the same instant. A new get first serves the oldest waiting get and stops there
# (Store._do_get returns None), so the second getter is served one step later.
import simpy

env = simpy.Environment()
store = simpy.Store(env)


def waiting(env):
    item = yield store.get()
    print(env.now, 'waiting getter got', item)


def late(env):
    yield env.timeout(1)
    get = store.get()
    print(env.now, 'late get triggered at once:', get.triggered, 'items left:', len(store.items))
    item = yield get
    print(env.now, 'late getter got', item)


def producer(env):
    yield env.timeout(1)
    store.put('i1')
    store.put('i2')
    print(env.now, 'put two, items:', len(store.items))


env.process(waiting(env))
env.process(producer(env))
env.process(late(env))
env.run()
