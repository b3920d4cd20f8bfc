#!/usr/bin/env python3
"""Records the answers of OSTEP's four address-translation homework scripts as JSON fixtures.

Usage (python3; OSTEP's scripts are read from a checkout, never copied into this repository):

    python3 scripts/ostep-vm/generate-fixtures.py OSTEP_HOMEWORK_DIR [OUT]

OSTEP_HOMEWORK_DIR is a checkout of remzi-arpacidusseau/ostep-homework (vm-mechanism/relocation.py,
vm-segmentation/segmentation.py, vm-paging/paging-linear-translate.py,
vm-smalltables/paging-multilevel-translate.py). OUT defaults to
test/models/memory/ostep-vm-fixtures.json. The cases are drawn from a fixed seed, so a rerun on the
same scripts writes the same file. Each case holds OSTEP's command line, ours (argv for our sim),
and what OSTEP did: `answer` (the numbers it printed with -c, in the shape of our JSON metrics),
`error` (it printed Error, failed an assertion or crashed) or `hang` (still running after the
timeout). `deviation` marks the inputs OSTEP answers and ours refuses on purpose (docs/memory.md).
"""
import hashlib
import json
import os
import random
import re
import subprocess
import sys

HANG_SECONDS = 3
CASE_SEED = 20261207

SCRIPTS = {
    "relocation": "vm-mechanism/relocation.py",
    "segmentation": "vm-segmentation/segmentation.py",
    "pagingTranslate": "vm-paging/paging-linear-translate.py",
    "multilevelPaging": "vm-smalltables/paging-multilevel-translate.py",
}


def run(root, key, args):
    """OSTEP's -c output for args, or ('error', text) or ('hang', None)."""
    path = os.path.join(root, SCRIPTS[key])
    try:
        done = subprocess.run([sys.executable, path, *args, "-c"], capture_output=True, text=True, timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        return "hang", None
    text = done.stdout + done.stderr
    error = re.search(r"^(Error.*|AssertionError.*|\w+Error: .*)$", text, re.M)
    if done.returncode != 0 or error:
        return "error", error.group(1) if error else text.strip().splitlines()[-1]
    return "ok", done.stdout


def ints(pattern, text):
    return [int(m) for m in re.findall(pattern, text, re.M)]


def parse_relocation(out):
    base = ints(r"Base\s+: 0x\S+ \(decimal (-?\d+)\)", out)[0]
    limit = ints(r"Limit\s+: (-?\d+)", out)[0]
    translations = []
    for m in re.finditer(r"VA\s+\d+: \S+ \(decimal:\s*(\d+)\) --> (?:VALID: \S+ \(decimal:\s*(-?\d+)\)|SEGMENTATION VIOLATION)", out):
        physical = None if m.group(2) is None else int(m.group(2))
        translations.append({"virtual": int(m.group(1)), "valid": physical is not None, "physical": physical})
    violations = sum(1 for t in translations if not t["valid"])
    return {"base": base, "limit": limit, "translations": translations, "violations": violations}


def parse_segmentation(out):
    bases = ints(r"Segment \d base\s+\(grows \w+\) : \S+ \(decimal (-?\d+)\)", out)
    limits = ints(r"Segment \d limit\s+: (-?\d+)", out)
    translations = []
    pattern = r"VA\s+\d+: \S+ \(decimal:\s*(\d+)\) --> (?:VALID in SEG(\d): \S+ \(decimal:\s*(-?\d+)\)|SEGMENTATION VIOLATION \(SEG(\d)\))"
    for m in re.finditer(pattern, out):
        valid = m.group(2) is not None
        translations.append({
            "virtual": int(m.group(1)),
            "segment": int(m.group(2) if valid else m.group(4)),
            "valid": valid,
            "physical": int(m.group(3)) if valid else None,
        })
    segments = [{"base": bases[0], "limit": limits[0]}, {"base": bases[1], "limit": limits[1]}]
    violations = sum(1 for t in translations if not t["valid"])
    return {"segments": segments, "translations": translations, "violations": violations}


def parse_paging_translate(out, page_size):
    table_text = out.split("Page Table (from entry 0 down to the max size)\n")[1].split("\n\n")[0]
    table = []
    for word in re.findall(r"0x([0-9a-f]{8})", table_text):
        entry = int(word, 16)
        table.append(entry & 0x7FFFFFFF if entry & 0x80000000 else None)
    translations = []
    pattern = r"VA 0x\S+ \(decimal:\s*(\d+)\) --> (?:\S+ \(decimal\s+(\d+)\) \[VPN (\d+)\]|\s*Invalid \(VPN (\d+) not valid\))"
    for m in re.finditer(pattern, out):
        virtual = int(m.group(1))
        valid = m.group(2) is not None
        translations.append({
            "virtual": virtual,
            "vpn": int(m.group(3) if valid else m.group(4)),
            "offset": virtual % page_size,
            "valid": valid,
            "physical": int(m.group(2)) if valid else None,
        })
    invalid = sum(1 for t in translations if not t["valid"])
    return {"pageTable": table, "translations": translations, "invalid": invalid}


def parse_multilevel(out):
    memory = re.findall(r"^page\s+\d+:([0-9a-f]{64})$", out, re.M)
    pdbr = ints(r"^PDBR: (\d+)", out)[0]
    translations = []
    for block in re.split(r"^Virtual Address ", out, flags=re.M)[1:]:
        virtual = int(block.split(":")[0], 16)
        pde = re.search(r"pde index:0x\w+ \[decimal (\d+)\] pde contents:0x(\w+) \(valid (\d)", block)
        pte = re.search(r"pte index:0x\w+ \[decimal (\d+)\] pte contents:0x(\w+) \(valid (\d)", block)
        hit = re.search(r"Translates to Physical Address 0x(\w+) --> Value: 0x(\w+)", block)
        fault = "pde" if "page directory entry not valid" in block else "pte" if "page table entry not valid" in block else None
        translations.append({
            "virtual": virtual,
            "pdeIndex": int(pde.group(1)),
            "pde": int(pde.group(2), 16),
            "pdeValid": pde.group(3) == "1",
            "pteIndex": int(pte.group(1)) if pte else None,
            "pte": int(pte.group(2), 16) if pte else None,
            "pteValid": (pte.group(3) == "1") if pte else None,
            "physical": int(hit.group(1), 16) if hit else None,
            "value": int(hit.group(2), 16) if hit else None,
            "fault": fault,
        })
    faults = sum(1 for t in translations if t["fault"] is not None)
    return {"pdbr": pdbr, "memory": memory, "translations": translations, "faults": faults}


def size_text(rng, value):
    """value written as OSTEP and ours both read it: k/m suffix when exact, sometimes upper case."""
    for suffix, unit in (("m", 1024 * 1024), ("k", 1024)):
        if value >= unit and value % unit == 0 and rng.random() < 0.7:
            return "%d%s" % (value // unit, suffix.upper() if rng.random() < 0.2 else suffix)
    return str(value)


# ---- cases: (OSTEP args, our argv, note) per script


def relocation_cases(rng):
    cases = [([], [], None)]  # seed 0, all defaults
    for seed in range(1, 61):
        cases.append((["-s", str(seed)], [], None))
    for _ in range(160):
        asize = rng.choice([1, 2, 3, 7, 16, 100, 256, 1000, 1024, 4096, 16384, 65536, 1 << 20])
        psize = asize * rng.choice([1, 2, 3, 4, 16, 64]) + rng.choice([0, 0, 1, 5, -1])
        n = rng.choice([0, 1, 5, 10, 30])
        o, ours = ["-a", size_text(rng, asize), "-p", size_text(rng, max(psize, 0)), "-n", str(n)], []
        ours += ["--address-space", o[1], "--physical-memory", o[3], "--num-addresses", str(n)]
        if rng.random() < 0.35:
            limit = rng.choice([0, 1, asize // 3, asize, asize * 2, psize, psize + 1, max(psize - 1, 0)])
            o += ["-l", str(limit)]
            ours += ["--limit", str(limit)]
        if rng.random() < 0.35:
            base = rng.choice([0, 1, psize // 2, max(psize - asize, 0), psize, max(psize - asize // 2, 0)])
            o += ["-b", str(base)]
            ours += ["--base", str(base)]
        cases.append((o, ours, None))
    for args in (["-p", "1", "-a", "0"], ["-a", "0"], ["-p", "1k", "-a", "1k"], ["-p", "1k", "-a", "2k"], ["-p", "0"]):
        cases.append((args, ["--physical-memory" if a == "-p" else "--address-space" if a == "-a" else a for a in args], None))
    return cases


def segmentation_cases(rng):
    cases = [([], [], None)]
    for seed in range(1, 61):
        cases.append((["-s", str(seed)], [], None))
    names = {"-b": "--base0", "-l": "--limit0", "-B": "--base1", "-L": "--limit1"}
    for _ in range(200):
        asize = rng.choice([5, 7, 16, 100, 128, 1000, 1001, 1024, 4096, 16384])
        psize = asize * rng.choice([1, 2, 3, 4, 16]) + rng.choice([0, 0, 1, 3])
        o = ["-a", size_text(rng, asize), "-p", size_text(rng, psize)]
        ours = ["--address-space", o[1], "--physical-memory", o[3]]
        for flag in ("-l", "-L"):
            if rng.random() < 0.4:
                value = rng.choice([0, 1, asize // 4, asize // 2, asize // 2 + 1, asize])
                o += [flag, str(value)]
                ours += [names[flag], str(value)]
        for flag in ("-b", "-B"):
            if rng.random() < 0.35:
                value = rng.choice([0, 1, asize // 2, asize, psize // 2, psize - 1, psize, psize + asize // 4])
                o += [flag, str(value)]
                ours += [names[flag], str(value)]
        if rng.random() < 0.35:
            addresses = [rng.randrange(asize) for _ in range(rng.randint(1, 8))]
            if rng.random() < 0.1:
                addresses.append(asize + rng.randrange(3))
            text = ",".join(map(str, addresses))
            o += ["-A", text]
            ours += ["--addresses", text]
        else:
            n = rng.choice([0, 1, 5, 12])
            o += ["-n", str(n)]
            ours += ["--num-addresses", str(n)]
        cases.append((o, ours, None))
    cases.append((["-a", "1k", "-p", "16k", "-B", "100", "-L", "200"], ["--address-space", "1k", "--physical-memory", "16k", "--base1", "100", "--limit1", "200"], "a segment-1 base below its limit: OSTEP answers with negative physical addresses, ours refuses"))
    cases.append((["-a", "1k", "-p", "16k", "-b", "0", "-l", "300", "-B", "250", "-L", "300", "-A", "0,1000"], ["--address-space", "1k", "--physical-memory", "16k", "--base0", "0", "--limit0", "300", "--base1", "250", "--limit1", "300", "--addresses", "0,1000"], "a segment-1 base below its limit: OSTEP answers with negative physical addresses, ours refuses"))
    no_room = ["-a", "1k", "-p", "2049", "-b", "400", "-l", "1200", "-L", "512"]
    cases.append((no_room, ["--address-space", "1k", "--physical-memory", "2049", "--base0", "400", "--limit0", "1200", "--limit1", "512"], None))
    for args in (["-p", "4"], ["-a", "0"], ["-p", "1k", "-a", "1k"], ["-p", "2k", "-a", "1k"]):
        cases.append((args, ["--physical-memory" if a == "-p" else "--address-space" if a == "-a" else a for a in args], None))
    return cases


def paging_translate_cases(rng):
    cases = [([], [], None)]
    for seed in range(1, 61):
        cases.append((["-s", str(seed)], [], None))
    for _ in range(200):
        page = rng.choice([1, 2, 16, 64, 256, 1024, 4096])
        asize = page * rng.choice([1, 2, 4, 8, 16, 32, 64])
        psize = asize * rng.choice([1, 2, 4]) + page * rng.choice([0, 0, 1, 3])
        used = rng.choice([0, 10, 50, 75, 90, 100])
        o = ["-a", size_text(rng, asize), "-p", size_text(rng, psize), "-P", size_text(rng, page), "-u", str(used)]
        ours = ["--address-space", o[1], "--physical-memory", o[3], "--page-size", o[5], "--used", str(used)]
        if rng.random() < 0.3:
            addresses = [rng.randrange(asize) for _ in range(rng.randint(1, 8))]
            text = ",".join(map(str, addresses))
            o += ["-A", text]
            ours += ["--addresses", text]
        else:
            n = rng.choice([0, 1, 5, 12])
            o += ["-n", str(n)]
            ours += ["--num-addresses", str(n)]
        cases.append((o, ours, None))
    errors = [["-p", "1"], ["-a", "0"], ["-a", "16k", "-p", "16k"], ["-a", "12k", "-p", "64k"], ["-a", "16k", "-p", "62k"],
              ["-a", "16k", "-p", "64k", "-P", "3k"], ["-a", "2g", "-p", "4g"], ["-a", "16k", "-p", "1g"],
              ["-a", "16k", "-p", "48k"], ["-a", "16k", "-p", "64k", "-P", "6"]]
    for args in errors:
        ours = []
        for a in args:
            ours.append({"-p": "--physical-memory", "-a": "--address-space", "-P": "--page-size"}.get(a, a))
        cases.append((args, ours, None))
    for used in (101, 150, -5):
        note = "--used outside 0-100: OSTEP takes it, ours refuses"
        cases.append((["-u", str(used), "-s", "3"], ["--used", str(used), "--seed", "3"], note))
    return cases


def multilevel_cases(rng):
    cases = [([], [], None)]
    for seed in range(1, 101):
        cases.append((["-s", str(seed)], [], None))
    for _ in range(120):
        allocated = rng.choice([0, 1, 5, 30, 64, 90, 95, 96, 100, 126, 127, 200])
        n = rng.choice([0, 1, 10, 25, 40])
        o = ["-a", str(allocated), "-n", str(n)]
        cases.append((o, ["--allocated", str(allocated), "--num-addresses", str(n)], None))
    return cases


def seeded(o, ours, rng):
    """Every case passes a seed to both (ours defaults to 1, OSTEP to 0)."""
    if "-s" in o:
        return o, ours
    seed = str(rng.choice([0, rng.randrange(1000)]))
    return ["-s", seed, *o], ["--seed", seed, *ours]


def record(root, key, generated, parse, rng, keep_memory=0):
    cases = []
    for o, ours, note in generated:
        o, ours = seeded(o, ours, rng)
        if "--seed" not in ours:
            ours = ["--seed", o[o.index("-s") + 1], *ours]
        script = os.path.basename(SCRIPTS[key])
        case = {"ostep": " ".join([script, *o]), "argv": ours}
        outcome, out = run(root, key, o)
        if outcome == "ok":
            answer = parse(out, o)
            if "memory" in answer and len([c for c in cases if "answer" in c]) >= keep_memory:
                answer["memorySha256"] = hashlib.sha256("\n".join(answer.pop("memory")).encode()).hexdigest()
            case["answer"] = answer
        elif outcome == "error":
            case["error"] = out
        else:
            case["hang"] = True
        if note is None and key == "segmentation" and "answer" in case:
            top1 = case["answer"]["segments"][1]
            if top1["base"] < top1["limit"]:
                note = "a segment-1 base below its limit: OSTEP answers with physical addresses below 0, ours refuses"
        if note:
            case["deviation"] = note
        cases.append(case)
    return cases


def page_size_of(args):
    text = args[args.index("-P") + 1] if "-P" in args else "4k"
    return int(text[:-1]) * {"k": 1024, "m": 1 << 20}[text[-1].lower()] if text[-1] in "kKmM" else int(text)


def main():
    root = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "test/models/memory/ostep-vm-fixtures.json"
    rng = random.Random(CASE_SEED)
    fixtures = {
        "relocation": record(root, "relocation", relocation_cases(rng), lambda out, o: parse_relocation(out), rng),
        "segmentation": record(root, "segmentation", segmentation_cases(rng), lambda out, o: parse_segmentation(out), rng),
        "pagingTranslate": record(root, "pagingTranslate", paging_translate_cases(rng), lambda out, o: parse_paging_translate(out, page_size_of(o)), rng),
        "multilevelPaging": record(root, "multilevelPaging", multilevel_cases(rng), lambda out, o: parse_multilevel(out), rng, keep_memory=12),
    }
    with open(out, "w") as f:
        json.dump(fixtures, f, indent=None, separators=(",", ":"))
        f.write("\n")
    for key, cases in fixtures.items():
        kinds = [("answer" in c and "answer") or ("error" in c and "error") or "hang" for c in cases]
        print(key, len(cases), {k: kinds.count(k) for k in set(kinds)})


if __name__ == "__main__":
    main()
