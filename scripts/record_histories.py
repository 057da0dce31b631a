"""Record real training histories for the curve-reading tests (tests/data/histories.json).

Each entry trains one network on the bundled MNIST sample with fcviz's own Trainer and keeps its
per-epoch and per-batch records, how it was made, and what a teacher reading its curves should
say (`expect`: "healthy", "too high", "not learning" or "overfitting"). The tests read the
curves back with fcviz.train.diagnosis and compare. Run: python scripts/record_histories.py
(about two minutes on 2 cores; the seeds make the runs repeatable on one machine); with `--new`, only
the runs the file does not hold yet are trained, and the others kept as recorded.

With `--heroes`, it records the heroes lesson's steps instead (`fcviz.lessons.heroes`, tests/data/heroes.json):
each step's link and test curve, for the test that each hero helps.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from fcviz.data.loading import load_dataset
from fcviz.data.sources import SAMPLE
from fcviz.lessons.heroes import HEROES
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "histories.json"
HEROES_OUT = OUT.with_name("heroes.json")
WIDE = (LayerSpec(512),)

RUNS = [  # name, network, training, what the curves should say
    ("adam 1e-3, default", NetworkSpec(), TrainConfig(epochs=10), "healthy"),
    ("sgd 0.1", NetworkSpec(), TrainConfig(epochs=10, optimizer="sgd", learning_rate=0.1), "healthy"),
    ("rmsprop 1e-3", NetworkSpec(), TrainConfig(epochs=10, optimizer="rmsprop"), "healthy"),
    ("adam 1e-3, batch 8, 1,000 digits", NetworkSpec(), TrainConfig(epochs=8, batch_size=8, train_size=1000), "healthy"),
    ("adam 1e-3, 784-512-10, 500 digits, 40 epochs (the issue's false alarm)", NetworkSpec(hidden=WIDE),
     TrainConfig(epochs=40, train_size=500), "overfitting"),
    ("adam 1e-3, 100 digits, 30 epochs", NetworkSpec(), TrainConfig(epochs=30, train_size=100), "healthy"),
    ("adam 1e-3, 200 digits, batch 32, 25 epochs", NetworkSpec(), TrainConfig(epochs=25, train_size=200,
                                                                             batch_size=32), "healthy"),
    ("adam 1e-3, 2x512 with dropout 0.5, 500 digits, 40 epochs", NetworkSpec(hidden=WIDE * 2).with_dropout(0.5),
     TrainConfig(epochs=40, train_size=500), "healthy"),
    ("adam 0.3 (the issue's missed case)", NetworkSpec(), TrainConfig(epochs=10, learning_rate=0.3), "too high"),
    ("adam 0.1", NetworkSpec(), TrainConfig(epochs=10, learning_rate=0.1), "too high"),
    ("rmsprop 0.1", NetworkSpec(), TrainConfig(epochs=10, optimizer="rmsprop", learning_rate=0.1), "too high"),
    ("sgd 3 (the lecture's experiment)", NetworkSpec(), TrainConfig(epochs=10, optimizer="sgd", learning_rate=3.0),
     "too high"),
    ("adam 0.1 with decay 0.5", NetworkSpec(), TrainConfig(epochs=10, learning_rate=0.1, lr_decay=0.5), "healthy"),
    ("6 sigmoid layers, sgd 0.1 (vanishing gradients)", NetworkSpec(hidden=(LayerSpec(64, "sigmoid"),) * 6),
     TrainConfig(epochs=10, optimizer="sgd", learning_rate=0.1), "not learning"),
    ("sgd 1.0 (a noisy curve the page once missed)", NetworkSpec(),
     TrainConfig(epochs=10, optimizer="sgd", learning_rate=1.0), "too high"),
]


def main() -> None:
    ds = load_dataset(SAMPLE)
    kept = {r["name"]: r for r in json.loads(OUT.read_text())["runs"]} if "--new" in sys.argv and OUT.exists() else {}
    records = []
    for name, spec, config, expect in RUNS:
        if name in kept:
            records.append(kept[name])
            continue
        start = time.perf_counter()
        run = Run(spec, config, ds)
        progress = Trainer(run, ds, config.epochs).start()
        progress.join()
        p = progress.progress()
        records.append({
            "name": name, "expect": expect, "network": spec.name, "query": {**spec.to_query(), **config.to_query()},
            "state": p.state, "epochs": [asdict(e) for e in run.epochs],
            "batches": [[round(b.x, 4), round(b.loss, 5), round(b.accuracy, 5)] for b in run.batches],
        })
        last = run.epochs[-1] if run.epochs else None
        print(f"{name}: {p.state}, {len(run.epochs)} epochs, "
              + (f"train loss {last.loss:.3f} acc {last.accuracy:.1%}, test acc {last.test_accuracy:.1%}" if last else "")
              + f" ({time.perf_counter() - start:.1f} s)", flush=True)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"made_by": "python scripts/record_histories.py", "data": "bundled MNIST sample",
                               "runs": records}, indent=None, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


def heroes() -> None:
    """Train every step of the heroes lesson as the app does and keep what the test reads."""
    ds = load_dataset(SAMPLE)
    records = []
    for hero in HEROES:
        network, training = hero.settings.network, hero.settings.training
        run = Run(network, training, ds)
        Trainer(run, ds, training.epochs).start().join()
        records.append({"hero": hero.name, "query": hero.settings.to_query(), "epochs": [asdict(e) for e in run.epochs],
                        "batches": [[round(b.x, 4), round(b.loss, 5), round(b.accuracy, 5)] for b in run.batches]})
        print(f"{hero.name}: test accuracy " + " ".join(f"{e.test_accuracy:.1%}" for e in run.epochs), flush=True)
    HEROES_OUT.write_text(json.dumps({"made_by": "python scripts/record_histories.py --heroes",
                                      "data": "bundled MNIST sample", "steps": records}, indent=1))
    print(f"wrote {HEROES_OUT}")


if __name__ == "__main__":
    heroes() if "--heroes" in sys.argv else main()
