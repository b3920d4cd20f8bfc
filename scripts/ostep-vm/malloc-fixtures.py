#!/usr/bin/env python3
"""Records what OSTEP's malloc.py answers, as fixtures for our differential test.

Usage:  python3 scripts/ostep-vm/malloc-fixtures.py PATH/TO/malloc.py \
            > test/models/memory/malloc-fixtures.json

Get the script from remzi-arpacidusseau/ostep-homework (vm-freespace/malloc.py); do not commit it.
The cases are drawn from a fixed seed, so a rerun writes the same file. Each case holds OSTEP's
command line, our sim's arguments for the same problem, and what OSTEP printed with -c: per
operation [kind, ptr, size, returned, searched, free list as [address, size] pairs] (a skipped
free is ["skip", ptr, null, null, null, null]); or, for an input OSTEP cannot answer, the error it
died with (ours must exit 2).
"""
import json
import random
import re
import subprocess
import sys

SCRIPT = sys.argv[1]
ALLOC = re.compile(r"^ptr\[(\d+)\] = Alloc\((\d+)\) returned (-?\d+) \(searched (\d+) elements\)$")
FREE = re.compile(r"^Free\(ptr\[(\d+)\]\)$")
RETURNED = re.compile(r"^returned (-?\d+)$")
LIST = re.compile(r"^Free List \[ Size (\d+) \]: (.*)$")
BLOCK = re.compile(r"\[ addr:(-?\d+) sz:(-?\d+) \]")
POLICIES = ["BEST", "WORST", "FIRST"]
ORDERS = ["ADDRSORT", "SIZESORT+", "SIZESORT-", "INSERT-FRONT", "INSERT-BACK"]


def parse(stdout):
    ops, pending = [], None
    for line in stdout.splitlines():
        m = ALLOC.match(line)
        if m:
            pending = ["alloc", int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))]
            continue
        m = FREE.match(line)
        if m:
            pending = ["free", int(m.group(1)), None, None, None]
            continue
        m = RETURNED.match(line)
        if m and pending is not None:
            pending[3] = int(m.group(1))
            continue
        if line == "Invalid Free: Skipping":
            ops.append(["skip", None, None, None, None, None])
            continue
        m = LIST.match(line)
        if m:
            blocks = [[int(a), int(s)] for a, s in BLOCK.findall(m.group(2))]
            assert len(blocks) == int(m.group(1))
            ops.append(pending + [blocks])
            pending = None
    return ops


def case(ostep_args, argv, program=None):
    done = subprocess.run(["python3", SCRIPT, *ostep_args, "-c"], capture_output=True, text=True)
    command = "malloc.py " + " ".join(ostep_args) + " -c"
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return {"ostep": command, "argv": argv, "error": lines[-1] if lines else "exit %d" % done.returncode}
    ops = parse(done.stdout)
    if program is not None:  # a skip prints no pointer: take it from the program
        frees = [int(item[1:]) for item in program.split(",")]
        for op, item in zip(ops, program.split(",")):
            if op[0] == "skip":
                op[1] = int(item[1:])
    return {"ostep": command, "argv": argv, "ops": ops}


def heap_flags(rng):
    size, base, header = rng.choice([100, 100, 50, rng.randint(0, 200)]), rng.choice([1000, 0, rng.randint(0, 5000)]), rng.choice([0, 0, rng.randint(0, 8)])
    align = rng.choice([-1, -1, rng.randint(1, 8)])
    policy, order, coalesce = rng.choice(POLICIES), rng.choice(ORDERS), rng.random() < 0.5
    ostep = ["-S", str(size), "-b", str(base), "-H", str(header), "-a", str(align), "-p", policy, "-l", order]
    ours = ["--heap-size", str(size), "--base-address", str(base), "--header-size", str(header),
            "--align", str(1 if align == -1 else align), "--policy", policy.lower(), "--list-order", order.lower()]
    if coalesce:
        ostep.append("-C")
        ours.append("--coalesce")
    return ostep, ours


def random_mode(rng):
    ostep, ours = heap_flags(rng)
    seed, n, r, p = rng.randint(0, 100000), rng.randint(0, 40), rng.randint(0, 30), rng.choice([50, rng.randint(1, 120)])
    extra = ["-s", str(seed), "-n", str(n), "-r", str(r), "-P", str(p)]
    return case(ostep + extra, ours + ["--seed", str(seed), "--num-ops", str(n), "--max-size", str(r), "--percent-alloc", str(p)])


def explicit_mode(rng):
    ostep, ours = heap_flags(rng)
    items, c, ok = [], 0, 0
    for _ in range(rng.randint(1, 30)):
        if not items or rng.random() < 0.55:
            items.append("+%d" % rng.randint(1, 40))
            c += 1
        else:
            items.append("-%d" % rng.randint(0, c))
    program = ",".join(items)
    return case(ostep + ["-A", program], ours + ["--ops=" + program], program)


def error_cases():
    bad = [
        (["-A", "+200,+5,-0"], ["--ops=+200,+5,-0"]),
        (["-A", "+0,+0"], ["--ops=+0,+0"]),
        (["-A", "+0,+5"], ["--ops=+0,+5"]),
        (["-a", "0"], ["--align", "0"]),
        (["-a", "-2"], ["--align=-2"]),
        (["-P", "0"], ["--percent-alloc", "0"]),
        (["-P", "-5"], ["--percent-alloc=-5"]),
        (["-P", "0", "-A", "+3"], ["--percent-alloc", "0", "--ops=+3"]),
        (["-p", "NEXT"], ["--policy", "next"]),
        (["-l", "SIZESORT"], ["--list-order", "sizesort"]),
        (["-A", "+x"], ["--ops=+x"]),
        (["-A", "+"], ["--ops=+"]),
        (["-A", "+3,,+4"], ["--ops=+3,,+4"]),
        (["-A", "+3,*2"], ["--ops=+3,*2"]),
        (["-A", "+3,-"], ["--ops=+3,-"]),
    ]
    return [case(o, a) for o, a in bad]


def main():
    rng = random.Random(2026)
    cases = [case(["-s", "0"], ["--seed", "0"]), case(["-s", "0", "-A", "+10,-0,+5"], ["--seed", "0", "--ops=+10,-0,+5"], "+10,-0,+5"),
             case(["-A", "+200,+5,-1"], ["--ops=+200,+5,-1"], "+200,+5,-1"),
             case(["-A", "+0,-0,+3", "-H", "2"], ["--ops=+0,-0,+3", "--header-size", "2"], "+0,-0,+3")]
    cases += [random_mode(rng) for _ in range(220)]
    cases += [explicit_mode(rng) for _ in range(220)]
    cases += error_cases()
    note = ("What OSTEP's malloc.py (remzi-arpacidusseau/ostep-homework, vm-freespace) prints with -c "
            "under python3, recorded by scripts/ostep-vm/malloc-fixtures.py. ops: [kind, ptr, size, "
            "returned, searched, free list]. error: OSTEP died (ours must exit 2). No OSTEP source here.")
    json.dump({"note": note, "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
