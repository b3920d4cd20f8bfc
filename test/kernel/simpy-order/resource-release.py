# Resource: what release() changes at once, and what waits for the release event.
# Mirrored by test/kernel/resource.test.ts ("reports count, queue length and holders ...",
# "keeps the other holders in grant order ...", "treats a second release ...").
import simpy

env = simpy.Environment()
pumps = simpy.Resource(env, capacity=2)
first, second, third = pumps.request(), pumps.request(), pumps.request()
print("requested", pumps.count, len(pumps.queue), first in pumps.users, third in pumps.users)
pumps.release(first)
print("released", pumps.count, len(pumps.queue), first in pumps.users, third in pumps.users)
env.run()
print("processed", pumps.count, len(pumps.queue), third in pumps.users, third.usage_since)

env = simpy.Environment()
pumps = simpy.Resource(env, capacity=3)
a, b, c, d = (pumps.request() for _ in range(4))
names = {a: "a", b: "b", c: "c", d: "d"}
holders = lambda: " ".join(names[r] for r in pumps.users)
pumps.release(b)
print("release b:", holders())
env.run()
print("processed:", holders())
pumps.release(d)
print("release d:", holders())
pumps.release(a)
pumps.release(a)
env.run()
print("release a twice:", holders(), [r in pumps.users for r in (a, b, c, d)], pumps.count)

env = simpy.Environment()
pump = simpy.Resource(env)
a, b = pump.request(), pump.request()
pump.release(a)
pump.release(a)
a.cancel()
print("second release:", pump.count, b in pump.users)
env.run()
print("processed:", pump.count, b in pump.users)
