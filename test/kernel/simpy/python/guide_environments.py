# Doctests of SimPy 4.1.2's docs/topical_guides/environments.rst, extracted in order by
# `record.py --extract` (doctest's parser) into one script. Edits, each marked by a comment: an
# expression whose value the doctest shows is printed; a repr with a memory address is replaced
# by a name or a length; an assert also prints what it checks.
import simpy
def my_proc(env):
    yield env.timeout(1)
    return 'Monty Python’s Flying Circus'
env = simpy.Environment()
proc = env.process(my_proc(env))
print(env.run(until=proc), env.now)  # doctest: 'Monty Python’s Flying Circus'
def subfunc(env):
    print(env.active_process is p1)  # will print "p1"
def my_proc(env):
    while True:
        print(env.active_process is p1)  # will print "p1"
        subfunc(env)
        yield env.timeout(1)
env = simpy.Environment()
p1 = env.process(my_proc(env))
print(env.active_process)  # None
env.step()
print(env.active_process)  # None
print(env.now)
