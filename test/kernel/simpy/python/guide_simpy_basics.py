# Doctests of SimPy 4.1.2's docs/topical_guides/simpy_basics.rst, extracted in order by
# `record.py --extract` (doctest's parser) into one script. Edits, each marked by a comment: an
# expression whose value the doctest shows is printed; a repr with a memory address is replaced
# by a name or a length; an assert also prints what it checks.
import simpy
def example(env):
    event = simpy.events.Timeout(env, delay=1, value=42)
    value = yield event
    print('now=%d, value=%d' % (env.now, value))
env = simpy.Environment()
example_gen = example(env)
p = simpy.events.Process(env, example_gen)
env.run()
import simpy
def example(env):
    value = yield env.timeout(1, value=42)
    print('now=%d, value=%d' % (env.now, value))
env = simpy.Environment()
p = env.process(example(env))
env.run()
