"""Run the README's test command several times in a row on a fresh clone, optionally while another
process keeps cores busy, and say how each run ended. Browser tests that read once after an action
pass on an idle machine and fail on a busy one: this is how to catch them.

Usage: python scripts/repeat_tests.py [--runs 5] [--busy-cores 1] [--keep]
It clones the committed HEAD (not the work tree) into a temporary folder and runs `make test`
there, so it checks what CI will check. Exits non-zero if any run failed.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def spin() -> None:
    """Keep one core busy until killed."""
    while True:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy-cores", type=int, default=0, help="cores kept busy by other processes meanwhile")
    parser.add_argument("--keep", action="store_true", help="keep the clone (and its .venv) afterwards")
    args = parser.parse_args()
    clone = Path(tempfile.mkdtemp(prefix="fcviz-repeat-"))
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True).stdout
    print(f"fresh clone of {commit.strip()} in {clone}; {args.runs} runs, {args.busy_cores} busy core(s)", flush=True)
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.busy_cores)]
    for p in spinners:
        p.start()
    failed = 0
    try:
        for run in range(1, args.runs + 1):
            start = time.monotonic()
            done = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True,
                                  env={**os.environ, "CI": "true"})
            tail = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
            verdict = "passed" if done.returncode == 0 else "FAILED"
            failed += done.returncode != 0
            print(f"run {run}: {verdict} in {time.monotonic() - start:.0f} s: {tail[-1] if tail else '(no summary)'}",
                  flush=True)
            if done.returncode != 0:
                print("\n".join(line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))))
                log = clone / f"run-{run}.log"
                log.write_text(done.stdout + done.stderr)
                print(f"   log: {log}", flush=True)
    finally:
        for p in spinners:
            p.terminate()
        if not args.keep and not failed:
            shutil.rmtree(clone, ignore_errors=True)
    print(f"{args.runs - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
