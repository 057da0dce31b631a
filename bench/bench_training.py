"""Training throughput: the app's engine against a bare `model.fit`, and a plain-numpy loop (the limit).

Three ways to do the same work: the default network (784-128-10, Adam, batch 32), the same
training subset, the same epochs, the test set scored after every epoch:
- `model.fit(verbose=0)` on a freshly built model, as the app trained before the engine;
- the app's path: `Trainer` → the embedded Dask cluster → `fcviz.train.steps` in a worker process,
  curves streamed back (a fresh model each time; the worker's compiled graph is reused, as it is
  for a class whose students train the same network; the first training is printed apart), with
  each layer's gradient size measured on one batch per curve point as the app does, and without (what that costs);
- a plain numpy loop with the same arithmetic (forward, backward, Adam; the test set scored after every epoch and,
  moved by 2-4 pixels, once at the end, as the engine's job scores it): what this CPU can do, with every core (numpy's
  BLAS runs its products on both) and on one core, as a training has it (one worker process of one thread per core, so
  that two students train side by side: a worker's TensorFlow is given one thread).

Cases: the bundled 4,000-digit sample for 10 epochs, 60,000 images (Debian's
`dataset-fashion-mnist`: the real Fashion-MNIST, by way of a data folder) for 3 epochs, and the sample again with
batch normalisation after the hidden layer (fit against the engine; the numpy loop is written for the default network).
Prints medians over interleaved repeats (`REPEATS` turns, the ways in a new order each turn, `fit` once a turn and the
others `TIMES_PER_TURN` times, a pause between ways) and the ratios (targets: engine >= 2.5x fit, with the gradients
measured; engine >= 0.8x the numpy loop).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from typing import Callable

import numpy as np

from fcviz.data.loading import DEBIAN_FASHION, IDX_FILES
from fcviz.data.sources import FASHION, SAMPLE

REPEATS = 5
SETTLE_SECONDS = 0.5  # between two timed runs (`settle`)
TIMES_PER_TURN = 3  # runs of a way (but `fit`'s) in each turn of a repeat


def bare_fit(ds, config, epochs: int, spec=None) -> float:
    from fcviz.settings.spec import NetworkSpec
    from fcviz.train.job import training_order
    from fcviz.train.steps import compiled

    model = compiled(spec or NetworkSpec(), config.optimizer, config.learning_rate, seed=config.seed)
    order = training_order(config, len(ds.y_train))
    t = time.perf_counter()
    model.fit(ds.x_train[order], ds.y_train[order], batch_size=config.batch_size, epochs=epochs, shuffle=True,
              validation_data=(ds.x_test, ds.y_test), verbose=0)
    return time.perf_counter() - t


def engine_path(ds, config, epochs: int, at_once: int = 1, gradients: bool = True, spec=None) -> tuple[float, float]:
    """`at_once` trainings side by side (each worker then gets one); the time of the last to end. `gradients`:
    whether the steps measure each layer's gradient size (the app always does)."""
    from fcviz.settings.spec import NetworkSpec
    from fcviz.train.state import TrainingState
    from fcviz.train.training import Run, Trainer

    runs = [Run(spec or NetworkSpec(), config, ds) for _ in range(at_once)]
    t = time.perf_counter()
    trainers = [Trainer(run, ds, epochs, gradients=gradients).start() for run in runs]
    for trainer in trainers:  # until the page server holds the result (not a poll's period later: that is the page's)
        trainer.join()
    elapsed = time.perf_counter() - t
    for trainer in trainers:
        assert trainer.progress().state == TrainingState.FINISHED, trainer.progress().message
    return elapsed, runs[0].epochs[-1].test_accuracy


def numpy_loop(ds, config, epochs: int) -> float:
    """784-128-10 relu/softmax, cross-entropy, Adam: the same work with no framework at all (the test set's loss and
    accuracy after each epoch, the accuracy on moved test digits at the end, as the engine's job measures them)."""
    from fcviz.net.robustness import MOVES, shifted
    from fcviz.train.job import training_order

    rng = np.random.default_rng(config.seed)
    order = training_order(config, len(ds.y_train))
    x, y = ds.x_train[order], ds.y_train[order]
    sizes = [(784, 128), (128, 10)]
    params = []
    for fan_in, fan_out in sizes:
        limit = np.sqrt(6 / (fan_in + fan_out))
        params += [rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32), np.zeros(fan_out, np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps, step = config.learning_rate, 0.9, 0.999, 1e-7, 0
    bs = config.batch_size
    t = time.perf_counter()
    for _ in range(epochs):
        perm = rng.permutation(len(y))
        for i in range(0, len(y), bs):
            idx = perm[i:i + bs]
            xb, yb = x[idx], y[idx]
            h = np.maximum(xb @ params[0] + params[1], 0)
            z = h @ params[2] + params[3]
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1
            dz = p / len(yb)
            dh = (dz @ params[2].T) * (h > 0)
            grads = [xb.T @ dh, dh.sum(0), h.T @ dz, dz.sum(0)]
            step += 1
            for j, g in enumerate(grads):
                m[j] = b1 * m[j] + (1 - b1) * g
                v[j] = b2 * v[j] + (1 - b2) * g * g
                params[j] -= lr * (m[j] / (1 - b1 ** step)) / (np.sqrt(v[j] / (1 - b2 ** step)) + eps)
        h = np.maximum(ds.x_test @ params[0] + params[1], 0)  # the test set, scored as the others do: loss, accuracy
        z = h @ params[2] + params[3]
        log_p = z - z.max(axis=1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
        _ = -log_p[np.arange(len(ds.y_test)), ds.y_test].mean(), (z.argmax(axis=1) == ds.y_test).mean()
    for dy, dx in MOVES:  # and once at the end, as the engine's outcome brings it: the test digits moved
        h = np.maximum(shifted(ds.x_test, dy, dx) @ params[0] + params[1], 0)
        _ = ((h @ params[2] + params[3]).argmax(axis=1) == ds.y_test).sum()
    return time.perf_counter() - t


def numpy_loop_on_one_core(source: str, epochs: int, train_size: int, times: int = 1) -> list[float]:
    """`numpy_loop` `times` over in a process started with the environment a training worker gets (its BLAS one
    thread; read as numpy loads, so in a process of its own)."""
    from fcviz.train.engine import worker_environment

    worker = {name: str(value) for name, value in worker_environment().items()}
    done = subprocess.run([sys.executable, __file__, "--numpy-on-one-core", source, str(epochs), str(train_size),
                           str(times)], env={**os.environ, **worker}, capture_output=True, text=True, check=True)
    return [float(t) for t in done.stdout.split()[-times:]]


def settle(seconds: float = SETTLE_SECONDS) -> None:
    """A pause between two timed ways: the thread pools of the one before (TensorFlow's for `fit`, OpenBLAS' for the
    numpy loop) spin on after their last work, at this process's priority, and can take a core from the next way's
    workers (which run at the lowest). The ways also take turns in a new order each repeat (`case`): a way run
    right after `fit`'s seconds on both cores ran ~10 % slower (the cores' caches and clocks), and it was always the
    engine."""
    time.sleep(seconds)


def repeated(way: Callable[[], float], times: int = TIMES_PER_TURN) -> list[float]:
    """`way`'s times, `times` over."""
    return [way() for _ in range(times)]


def xla_compiled(timeout: float = 300) -> None:
    """Wait until no worker is compiling a graph with XLA (in the background, after a network's second training):
    the timed trainings then all run compiled graphs."""
    import threading

    from fcviz.train import engine

    def compiling() -> bool:
        return any(t.name == "fcviz-xla-compile" for t in threading.enumerate())
    deadline = time.monotonic() + timeout
    while any(engine.engine().client.run(compiling).values()) and time.monotonic() < deadline:
        time.sleep(0.5)


def case(title: str, source: str, epochs: int, train_size: int, spec=None) -> None:
    """Fit against the engine (with and without the gradient sizes) on `spec` (the default network when None);
    the numpy loop, written for the default network, only for it."""
    from fcviz.data.loading import load_dataset
    from fcviz.settings.train_config import TrainConfig

    ds = load_dataset(source)
    config = TrainConfig(train_size=min(train_size, len(ds.y_train)))
    from fcviz.train import engine

    first, _ = engine_path(ds, config, epochs, spec=spec)
    engine_path(ds, config, epochs, at_once=engine.engine().capacity, spec=spec)  # every worker has trained it once
    for _ in range(2):  # without the gradients: another graph, traced and (from its second training) compiled
        engine_path(ds, config, epochs, at_once=engine.engine().capacity, gradients=False, spec=spec)
    xla_compiled()
    fits, engines, plain, loops, single, accs = [], [], [], [], [], []

    def engine_timed() -> float:
        t, acc = engine_path(ds, config, epochs, spec=spec)
        accs.append(acc)
        return t
    # (what is timed, how): `fit` once a turn, the others (a tenth of its time) `TIMES_PER_TURN` times, so that their
    # medians are of as many runs as the bench's time allows
    ways = [(fits, lambda: [bare_fit(ds, config, epochs, spec)]),
            (engines, lambda: repeated(engine_timed)),
            (plain, lambda: repeated(lambda: engine_path(ds, config, epochs, gradients=False, spec=spec)[0]))]
    if spec is None:  # the numpy loop is written for the default network
        ways += [(loops, lambda: repeated(lambda: numpy_loop(ds, config, epochs))),
                 (single, lambda: numpy_loop_on_one_core(source, epochs, config.train_size, TIMES_PER_TURN))]
    for repeat in range(REPEATS):
        for times, way in ways[repeat % len(ways):] + ways[:repeat % len(ways)]:  # each way after each of the others
            settle()
            times += way()
    t_fit, t_engine, t_plain, t_loop, t_single = (statistics.median(v) if v else float("nan")
                                                  for v in (fits, engines, plain, loops, single))
    samples = epochs * config.train_size
    print(f"== {title}: {config.train_size:,} images x {epochs} epochs, test accuracy {statistics.median(accs):.1%}")
    print(f"bare model.fit:  median {t_fit:.2f} s ({samples / t_fit:,.0f} samples/s)")
    print(f"fcviz engine:    median {t_engine:.2f} s ({samples / t_engine:,.0f} samples/s); "
          f"the first training ({'as the workers start' if source == SAMPLE else 'a new data set'}): {first:.2f} s")
    print(f"  without the layers' gradient sizes: median {t_plain:.2f} s ({samples / t_plain:,.0f} samples/s)")
    if spec is None:
        print(f"numpy loop:      median {t_loop:.2f} s ({samples / t_loop:,.0f} samples/s) on every core, "
              f"{t_single:.2f} s on one core ({samples / t_single:,.0f} samples/s)")
    ratio = t_fit / t_engine
    print(f"engine / fit throughput: {ratio:.2f}x with the gradients measured "
          f"({'met' if ratio >= 2.5 else 'MISSED'} >= 2.5x), {t_fit / t_plain:.2f}x without "
          f"(the gradients cost {t_engine / t_plain - 1:+.0%})"
          + (f"; engine / numpy: {t_loop / t_engine:.2f}x against numpy on every core "
             f"({'met' if t_loop / t_engine >= 0.8 else 'MISSED'} >= 0.8x), {t_single / t_engine:.2f}x on one core, "
             f"as a training has it ({'met' if t_single / t_engine >= 0.8 else 'MISSED'} >= 0.8x)"
             if spec is None else ""))


def main() -> None:
    if sys.argv[1:2] == ["--numpy-on-one-core"]:  # `numpy_loop_on_one_core`'s process
        from fcviz.data.loading import load_dataset
        from fcviz.settings.train_config import TrainConfig

        source, epochs, train_size, times = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        ds = load_dataset(source)
        print(*repeated(lambda: numpy_loop(ds, TrainConfig(train_size=train_size), epochs), times))
        return
    if not all((DEBIAN_FASHION / name).is_file() for name in IDX_FILES.values()):
        sys.exit(f"Fashion-MNIST not found under {DEBIAN_FASHION}: `make fashion-mnist` (apt-get install dataset-fashion-mnist)")
    from fcviz.settings.train_config import TrainConfig

    case("bundled MNIST sample", SAMPLE, 10, TrainConfig().train_size)
    case("Fashion-MNIST (Debian's dataset-fashion-mnist)", FASHION, 3, 60_000)
    from fcviz.settings.spec import LayerSpec, NetworkSpec

    case("bundled MNIST sample, 784-128-10 with batch norm", SAMPLE, 10, TrainConfig().train_size,
         NetworkSpec(hidden=(LayerSpec(128, batchnorm=True),)))
    from fcviz.train import engine
    engine.engine().close()


if __name__ == "__main__":
    main()
