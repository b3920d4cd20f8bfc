"""Records SimPy's output of every program in python/ into out/<name>.out.

Run from the repository root, with SimPy 4.1.2 importable:

    PYTHONPATH=/path/to/simpy/src python3 test/kernel/simpy/record.py          # rewrite out/
    PYTHONPATH=/path/to/simpy/src python3 test/kernel/simpy/record.py --check  # compare only

The programs are SimPy's own examples (docs/examples/code, copied unchanged) and the doctests of
SimPy's documentation, extracted with doctest's parser into one script per page (see
extract_doctests below; the extracted scripts are committed as run). Each program runs in a fresh
interpreter; stdout is recorded byte for byte, and a program that fails or writes to stderr
stops the recording.
"""

import pathlib
import subprocess
import sys

import simpy

HERE = pathlib.Path(__file__).resolve().parent
EXPECTED_SIMPY = "4.1.2"


def record(check: bool) -> int:
    # A source checkout has no package metadata, hence no __version__: say which SimPy ran.
    print(f"SimPy {getattr(simpy, '__version__', EXPECTED_SIMPY + ' (source, unversioned)')} from {simpy.__file__}")
    changed = 0
    for program in sorted((HERE / "python").glob("*.py")):
        run = subprocess.run(
            [sys.executable, str(program)], capture_output=True, text=True, timeout=120, cwd=HERE
        )
        if run.returncode != 0 or run.stderr:
            sys.exit(f"{program.name} failed (exit {run.returncode}):\n{run.stderr}")
        out = HERE / "out" / (program.stem + ".out")
        if out.exists() and out.read_text() == run.stdout:
            print(f"same     {out.name}")
            continue
        changed += 1
        print(f"{'differs' if check else 'recorded'} {out.name}")
        if not check:
            out.write_text(run.stdout)
    return 1 if check and changed else 0


def extract_doctests(rst: pathlib.Path, target: pathlib.Path) -> None:
    """Writes the source of every doctest example of `rst`, in order, as one script."""
    import doctest

    examples = doctest.DocTestParser().get_examples(rst.read_text())
    target.write_text("".join(example.source for example in examples))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--extract":
        extract_doctests(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]))
        sys.exit(0)
    sys.exit(record("--check" in sys.argv[1:]))
