"""The teacher's board with a full class, against an empty board, in the same run.

A class of 30 students × 5 runs each (784-128-10 networks with 10 epochs of history; their weights
are random numbers, this measures the board, not learning) and 300 drawings (MNIST sample test
digits standing in for the class's handwriting), in a SQLite store. The Class page is run through
Streamlit's AppTest with the teacher's access: the first run (every run tested on the drawings)
and the median of later runs (what every poll costs). Target: the full board renders in <= 1 s.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["FCVIZ_ENGINE"] = "inline"  # nothing trains here: no worker processes
os.environ["FCVIZ_DB"] = f"sqlite:///{tempfile.mkdtemp(prefix='fcviz-bench-board-')}/board.db"

import numpy as np  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from fcviz.data.loading import load_dataset  # noqa: E402
from fcviz.net.forward import DenseWeights  # noqa: E402
from fcviz.store import handwriting  # noqa: E402
from fcviz.store.runs import NewRun  # noqa: E402
from ui import keys  # noqa: E402
from ui import store as ui_store  # noqa: E402

STUDENTS, RUNS_EACH, DRAWINGS, REPEATS = 30, 5, 300, 5


def a_run(rng: np.random.Generator, units: int) -> NewRun:
    layers = [DenseWeights("h", rng.normal(0, 0.05, (784, units)).astype(np.float32), np.zeros(units, np.float32),
                           "relu"),
              DenseWeights("out", rng.normal(0, 0.05, (units, 10)).astype(np.float32), np.zeros(10, np.float32),
                           "softmax")]
    test = rng.uniform(0.8, 0.97)
    epochs = [{"epoch": e + 1, "loss": 1 / (e + 1), "accuracy": test + 0.02, "test_loss": 1.2 / (e + 1),
               "test_accuracy": test, "seconds": 1.0, "learning_rate": 1e-3} for e in range(10)]
    return NewRun(label=f"784-{units}-10 relu, adam lr 0.001, 4,000 train", network=f"784-{units}-10",
                  params=785 * units + (units + 1) * 10, data="sample", state="finished", settings={}, epochs=epochs,
                  batches=[[e + k / 8, 1 / (e + 1), test] for e in range(10) for k in range(1, 9)], train_accuracy=test + 0.02, test_accuracy=test, test_loss=0.3,
                  confusion=np.eye(10, dtype=int).tolist(), predictions=np.zeros(1000, np.uint8), model=b"-",
                  weights=handwriting.pack(layers))


def board_times(code: str, key: str) -> tuple[float, float]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.session_state[keys.TEACHER] = (code, key)
    at.switch_page("pages/class.py")
    times = []
    for _ in range(REPEATS + 1):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times[0], statistics.median(times[1:])


def main() -> None:
    store, rng = ui_store.store(), np.random.default_rng(0)
    empty = store.create_class("empty")
    full = store.create_class("full")
    for s in range(STUDENTS):
        for r in range(RUNS_EACH):
            store.save_run(a_run(rng, int(rng.choice([32, 64, 128, 256]))), f"device-{s}", class_code=full[0],
                           nickname=f"student {s}")
    ds = load_dataset("sample")
    for i in range(DRAWINGS):
        store.add_drawing(full[0], f"device-{i}", int(ds.y_test[i]), ds.x_test[i].reshape(28, 28))
    empty_first, empty_poll = board_times(*empty)
    full_first, full_poll = board_times(*full)
    print(f"board of an empty class:  first run {empty_first:.2f} s, then {empty_poll:.2f} s per run (median)")
    print(f"board of {STUDENTS} students × {RUNS_EACH} runs, {DRAWINGS} drawings: first run {full_first:.2f} s "
          f"(every run tested on the drawings), then {full_poll:.2f} s per run")
    verdict = "met" if max(full_first, full_poll) <= 1.0 else "MISSED"
    print(f"full / empty: {full_poll / empty_poll:.1f}x per run; slowest full run {max(full_first, full_poll):.2f} s "
          f"({verdict} <= 1 s)")


if __name__ == "__main__":
    main()
