# Doctests of SimPy 4.1.2's docs/simpy_intro/shared_resources.rst, extracted in order by
# `record.py --extract` (doctest's parser) into one script. Edits, each marked by a comment: an
# expression whose value the doctest shows is printed; a repr with a memory address is replaced
# by a name or a length; an assert also prints what it checks.
def car(env, name, bcs, driving_time, charge_duration):
    # Simulate driving to the BCS
    yield env.timeout(driving_time)

    # Request one of its charging spots
    print('%s arriving at %d' % (name, env.now))
    with bcs.request() as req:
        yield req

        # Charge the battery
        print('%s starting to charge at %s' % (name, env.now))
        yield env.timeout(charge_duration)
        print('%s leaving the bcs at %s' % (name, env.now))
import simpy
env = simpy.Environment()
bcs = simpy.Resource(env, capacity=2)
for i in range(4):
    env.process(car(env, 'Car %d' % i, bcs, i*2, 5))
env.run()
