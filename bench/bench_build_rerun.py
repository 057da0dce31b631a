"""How long the Build page takes to rerun after a slider change, against a bare Keras build.

Prints medians in ms and their ratio, all measured in this run (machines here are noisy).
Target: Build-page rerun median <= 150 ms for a 3-hidden-layer net.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

import keras
from streamlit.testing.v1 import AppTest

N = 25


def bare_build(units: int) -> float:
    t = time.perf_counter()
    keras.Sequential([keras.Input((784,)), keras.layers.Dense(units, activation="relu"),
                      keras.layers.Dense(64, activation="relu"), keras.layers.Dense(64, activation="relu"),
                      keras.layers.Dense(10, activation="softmax")])
    return time.perf_counter() - t


def main() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.slider(key="build_n_hidden").set_value(3).run()
    fresh, cached, bare = [], [], []
    for i in range(N):
        units = 200 + i  # a width never seen before: the page must build a new Keras model
        at.slider(key="build_units_0").set_value(units)
        t = time.perf_counter()
        at.run()
        fresh.append(time.perf_counter() - t)
        assert not at.exception and f"(784, {units})" in at.table[0].value.to_string()
        at.slider(key="build_units_0").set_value(units - 1 if i else 128)  # seen before: cached facts
        t = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - t)
        bare.append(bare_build(units))
    m_fresh, m_cached, m_bare = (statistics.median(x) * 1000 for x in (fresh, cached, bare))
    print(f"bare keras.Sequential build (784-u-64-64-10): median {m_bare:.1f} ms")
    print(f"Build page rerun, new width:   median {m_fresh:.1f} ms  ratio {m_fresh / m_bare:.2f}x bare build"
          f"  (target <= 150 ms: {'met' if m_fresh <= 150 else 'MISSED'})")
    print(f"Build page rerun, cached width: median {m_cached:.1f} ms  ratio {m_cached / m_bare:.2f}x bare build")


if __name__ == "__main__":
    main()
