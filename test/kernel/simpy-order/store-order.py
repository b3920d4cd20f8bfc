# Store, PriorityStore: when waiting puts and gets are served, and the order of equal priorities.
# Mirrored by test/kernel/store.test.ts.
import simpy
from simpy.resources.store import PriorityItem

# A cancelled waiting put; a get frees room, and the next put enters when the get is processed.
env = simpy.Environment()
queue = simpy.Store(env, capacity=1)
queue.put("kept")
withdrawn = queue.put("withdrawn")
queue.put("admitted")
withdrawn.cancel()
taken = queue.get()
print("cancelled put:", taken.value, queue.items, len(queue.put_queue))
env.run()
print("processed:", queue.items, len(queue.put_queue))

# Equal priorities leave in heapq order.
env = simpy.Environment()
jobs = simpy.PriorityStore(env)
for name, priority in [("low-1", 5), ("high", 1), ("low-2", 5), ("mid", 3), ("low-3", 5)]:
    jobs.put(PriorityItem(priority, name))
print("heap:", [j.item for j in jobs.items])
out = []
while jobs.items:
    out.append(jobs.get().value.item)
print("leave:", out)

# A waiting getter is served when the first put is processed, with the best item present then.
env = simpy.Environment()
jobs = simpy.PriorityStore(env)
def getter():
    item = yield jobs.get()
    print(f"{env.now:g}: got {item}")
    yield env.timeout(1)
    item = yield jobs.get()
    print(f"{env.now:g}: got {item}")
    item = yield jobs.get()
    print(f"{env.now:g}: got {item}")
def putter():
    yield env.timeout(2)
    jobs.put(9)
    jobs.put(4)
    jobs.put(7)
env.process(getter())
env.process(putter())
env.run()
