"""The app's training path (worker thread, callbacks, live publishing) against a bare
`model.fit(verbose=0)` on the identical network, data, batch size, epochs and seed.

Prints medians over interleaved repeats and the throughput ratio (target >= 1.0: streaming
the curves must cost nothing measurable), then the wall time and test accuracy of 10 epochs
of the default network on the bundled sample (targets: <= 3 s, >= 90 %).
"""
from __future__ import annotations

import statistics
import threading
import time

import fcviz  # noqa: F401
from fcviz.data import load_dataset
from fcviz.spec import NetworkSpec
from fcviz.train_config import TrainConfig
from fcviz.training import Run, Trainer

REPEATS = 3
EPOCHS = 10


def app_path(ds, config) -> tuple[float, float]:
    run = Run(NetworkSpec(), config, ds)
    t = time.perf_counter()
    trainer = Trainer(run, ds, EPOCHS).start()
    poller = threading.Thread(target=poll, args=(trainer,))  # the page polls like this, twice a second
    poller.start()
    trainer.join()
    elapsed = time.perf_counter() - t
    poller.join()
    return elapsed, run.epochs[-1].test_accuracy


def poll(trainer: Trainer) -> None:
    while trainer.progress().active:
        time.sleep(0.5)


def bare_fit(ds, config) -> tuple[float, float]:
    run = Run(NetworkSpec(), config, ds)  # same build, compile and seed; plain fit, no callbacks
    trainer = Trainer(run, ds, EPOCHS)  # only to take the identical training subset
    t = time.perf_counter()
    hist = run.model.fit(trainer._x, trainer._y, batch_size=config.batch_size, epochs=EPOCHS, shuffle=True,
                         validation_data=(ds.x_test, ds.y_test), verbose=0)
    return time.perf_counter() - t, hist.history["val_accuracy"][-1]


def main() -> None:
    ds = load_dataset("sample")
    config = TrainConfig()
    app, bare = [], []
    for _ in range(REPEATS):
        bare.append(bare_fit(ds, config))
        app.append(app_path(ds, config))
    t_app = statistics.median(t for t, _ in app)
    t_bare = statistics.median(t for t, _ in bare)
    samples = EPOCHS * config.train_size
    print(f"bare model.fit:    median {t_bare:.2f} s  ({samples / t_bare:,.0f} samples/s)")
    print(f"fcviz Trainer:     median {t_app:.2f} s  ({samples / t_app:,.0f} samples/s)")
    print(f"throughput ratio (fcviz / bare): {t_bare / t_app:.2f}x  (target >= 1.0)")
    acc = statistics.median(a for _, a in app)
    print(f"10 epochs of 784-128-10 on the bundled sample: {t_app:.2f} s wall "
          f"({'met' if t_app <= 3 else 'MISSED'} <= 3 s), test accuracy {acc:.1%} "
          f"({'met' if acc >= 0.9 else 'MISSED'} >= 90 %)")


if __name__ == "__main__":
    main()
