"""Training that runs beside the UI: a worker thread per run publishes its progress.

In Streamlit every widget change reruns the page script, and a `fit()` inside the script
dies with the rerun. So `Trainer` runs Keras' `fit` in its own thread, records train
metrics several times per epoch and test metrics after each epoch (`fcviz.history`), and the
page polls `Trainer.progress()`. The server's `TrainingSlots` (`fcviz.slots`) cap how many runs
train at once.
"""
from __future__ import annotations

import itertools
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import keras
import numpy as np

from fcviz import fields, patches
from fcviz.data import Dataset
from fcviz.diagnosis import Setup
from fcviz.history import BatchPoint, EpochStats
from fcviz.mnist import N_CLASSES
from fcviz.model import build_model
from fcviz.reader import check_mnist, spec_of
from fcviz.slots import SLOTS, TrainingSlots
from fcviz.spec import NetworkSpec
from fcviz.train_config import TrainConfig

POINTS_PER_EPOCH = 40  # train-curve points published per epoch (batches are averaged into them)
OPTIMIZERS = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD, "rmsprop": keras.optimizers.RMSprop}


def make_optimizer(name: str, learning_rate: float) -> keras.optimizers.Optimizer:
    optimizer = OPTIMIZERS[name](learning_rate=learning_rate)
    patches.skip_replica_sum(optimizer)  # otherwise every training leaks its traced graph
    return optimizer


_run_ids = itertools.count(1)


class Run:
    """A model and what is known about it: what a session keeps and the other pages use."""

    def __init__(self, spec: NetworkSpec, config: TrainConfig, dataset: Dataset,
                 model: keras.Model | None = None) -> None:
        check_mnist(spec)
        self.id = next(_run_ids)
        self.spec, self.config, self.dataset_name = spec, config, dataset.name
        self.model = model if model is not None else build_model(spec, seed=config.seed, l2=config.l2)
        self.model.compile(optimizer=make_optimizer(config.optimizer, config.learning_rate),
                           loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        self.epochs: list[EpochStats] = []
        self.batches: list[BatchPoint] = []
        self.evaluation: Evaluation | None = None
        self.learning_rate, self.lr_decay = config.learning_rate, config.lr_decay
        self.loaded = model is not None  # came from a file: it knows things its history does not show

    @property
    def has_learned(self) -> bool:
        """Trained here for at least an epoch, or loaded from a file: worth predicting with."""
        return bool(self.epochs) or self.loaded

    @property
    def label(self) -> str:
        drop = max((h.dropout for h in self.spec.hidden), default=0.0)
        acts = "/".join(sorted({h.activation for h in self.spec.hidden})) or "no hidden"
        extra = f", dropout {drop:g}" if drop else ""
        extra += f", L2 {self.config.l2:g}" if self.config.l2 else ""
        extra += f", decay {self.lr_decay:g}/epoch" if self.lr_decay < 1 else ""
        return (f"#{self.id} {self.spec.name} {acts}, {self.config.optimizer} lr {self.learning_rate:g}, "
                f"{self.config.train_size:,} train{extra}")

    @classmethod
    def from_model(cls, model: keras.Model, dataset: Dataset, config: TrainConfig | None = None,
                   epochs: list[EpochStats] | None = None) -> "Run":
        """Wrap a loaded model (e.g. an uploaded .keras file) so every page can use it and Continue it."""
        run = cls(spec_of(model), config or TrainConfig(), dataset, model=model)
        run.epochs = list(epochs or [])
        run.evaluation = evaluate(model, dataset.x_test, dataset.y_test)  # its results show without training
        return run

    def set_learning_rate(self, lr: float, decay: float | None = None) -> None:
        """Changing the rate (or its decay) keeps the weights (as TensorFlow Playground does)."""
        self.model.optimizer.learning_rate.assign(lr)
        self.learning_rate = lr
        self.lr_decay = self.lr_decay if decay is None else decay

    def setup(self) -> Setup:
        """What reading this run's curves needs besides the curves (`fcviz.diagnosis`)."""
        return Setup(self.config.optimizer, self.learning_rate, self.lr_decay,
                     math.ceil(self.config.train_size / self.config.batch_size),
                     tuple(h.activation for h in self.spec.hidden))

    def rate_for(self, epoch: int) -> float:
        """The learning rate of epoch `epoch` (0-based over the whole run): decay counts from the first."""
        return self.learning_rate * self.lr_decay ** epoch


@dataclass(frozen=True)
class Evaluation:
    """How the model does on the test set, per class."""

    predictions: np.ndarray
    confusion: np.ndarray  # [true, predicted]
    accuracy: float

    @property
    def per_class_accuracy(self) -> np.ndarray:
        totals = self.confusion.sum(axis=1)
        return np.divide(np.diag(self.confusion), totals, out=np.zeros(len(totals)), where=totals > 0)


def probabilities(model: keras.Model, x: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Direct calls, not `predict()` (which costs ~70 ms of overhead per call here)."""
    return np.concatenate([np.asarray(model(x[i:i + chunk], training=False)) for i in range(0, len(x), chunk)])


def evaluate(model: keras.Model, x: np.ndarray, y: np.ndarray) -> Evaluation:
    pred = probabilities(model, x).argmax(axis=1)
    confusion = np.bincount(y * N_CLASSES + pred, minlength=N_CLASSES ** 2).reshape(N_CLASSES, N_CLASSES)
    return Evaluation(pred, confusion, float((pred == y).mean()))


@dataclass(frozen=True)
class Progress:
    state: str  # queued, running, finished, stopped, diverged, failed
    queue_position: int
    epoch: int  # epochs finished in this job
    epochs_planned: int
    fraction: float  # of this job's work, 0..1
    samples_per_second: float
    seconds_left: float | None
    epochs_done: list[EpochStats] = field(default_factory=list)  # the whole run's history
    batches: list[BatchPoint] = field(default_factory=list)
    message: str | None = None

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")


class _Publisher(keras.callbacks.Callback):
    """Turns Keras' running means into per-batch values and publishes them; honours Stop."""

    def __init__(self, trainer: "Trainer", steps: int, n_samples: int, batch_size: int) -> None:
        super().__init__()
        self.trainer, self.steps, self.n_samples, self.batch_size = trainer, steps, n_samples, batch_size
        self.group = max(1, steps // POINTS_PER_EPOCH)

    def on_epoch_begin(self, epoch, logs=None):
        self.rate = self.trainer.run.rate_for(epoch)
        self.model.optimizer.learning_rate.assign(self.rate)
        self.epoch, self.prev_mean, self.prev_acc, self.prev_seen = epoch, 0.0, 0.0, 0
        self.acc_loss, self.acc_acc, self.acc_n = 0.0, 0.0, 0
        self.epoch_start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        trainer = self.trainer
        seen = min((batch + 1) * self.batch_size, self.n_samples)
        mean, acc = float(logs["loss"]), float(logs["accuracy"])
        if not math.isfinite(mean):
            trainer._diverged_at = self.epoch + 1
            self.model.stop_training = True
            return
        k = seen - self.prev_seen  # Keras' loss is a sample-weighted running mean over the epoch
        batch_loss = (mean * seen - self.prev_mean * self.prev_seen) / k
        batch_acc = (acc * seen - self.prev_acc * self.prev_seen) / k
        self.prev_mean, self.prev_acc, self.prev_seen = mean, acc, seen
        self.acc_loss, self.acc_acc, self.acc_n = self.acc_loss + batch_loss, self.acc_acc + batch_acc, self.acc_n + 1
        if self.acc_n == self.group or batch + 1 == self.steps:
            point = BatchPoint(self.epoch + (batch + 1) / self.steps, self.acc_loss / self.acc_n, self.acc_acc / self.acc_n)
            with trainer._lock:
                trainer.run.batches.append(point)
                trainer._last_seen = seen
            self.acc_loss, self.acc_acc, self.acc_n = 0.0, 0.0, 0
        if trainer.cancelled():
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        values = [float(logs.get(k, float("nan"))) for k in ("loss", "accuracy", "val_loss", "val_accuracy")]
        if not all(math.isfinite(v) for v in values):
            self.trainer._diverged_at = epoch + 1
            self.model.stop_training = True
            return
        stats = EpochStats(epoch + 1, *values, seconds=time.perf_counter() - self.epoch_start, learning_rate=self.rate)
        weights = self.model.get_weights()
        with self.trainer._lock:
            self.trainer.run.epochs.append(stats)
            self.trainer._good_weights = weights
            self.trainer._epochs_done += 1
            self.trainer._last_seen = 0


class Trainer:
    """Trains `run` for `epochs` more epochs in a background thread. Never raises into the UI.

    `still_wanted` is asked while queued and between batches: when it says no (the browser tab
    that started the training has gone), the training stops and gives its slot to the next one.
    """

    def __init__(self, run: Run, dataset: Dataset, epochs: int, slots: TrainingSlots = SLOTS,
                 still_wanted: Callable[[], bool] | None = None) -> None:
        check_mnist(run.spec)
        fields.field("epochs").check(epochs)
        self.run, self.dataset, self.epochs, self.slots = run, dataset, epochs, slots
        self._still_wanted = still_wanted
        self._abandoned = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._state = "queued"
        self._message: str | None = None
        self._epochs_done = 0
        self._last_seen = 0
        self._train_seconds = 0.0
        self._started: float | None = None
        self._diverged_at: int | None = None
        self._good_weights = run.model.get_weights()
        n = min(run.config.train_size, len(dataset.y_train))
        order = np.random.default_rng(run.config.seed).permutation(len(dataset.y_train))[:n]
        self._x, self._y = dataset.x_train[order], dataset.y_train[order]
        self._thread = threading.Thread(target=self._work, name=f"fcviz-train-{run.id}", daemon=True)

    def start(self) -> "Trainer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def cancelled(self) -> bool:
        """Stop was pressed, or nobody is left to watch this training."""
        if not self._stop.is_set() and self._still_wanted is not None and not self._still_wanted():
            self._abandoned = True
            self._stop.set()
        return self._stop.is_set()

    def _stopped_message(self) -> str:
        when = "before it started" if self._started is None else f"after {self._epochs_done} of {self.epochs} epochs"
        return f"Stopped {when}" + (": the browser tab that started it was closed." if self._abandoned else ".")

    @property
    def n_train(self) -> int:
        return len(self._y)

    def _work(self) -> None:
        if not self.slots.acquire(self, self.cancelled):
            self._finish("stopped", self._stopped_message())
            return
        try:
            with self._lock:
                self._state, self._started = "running", time.perf_counter()
            self._fit()
        except Exception as e:  # a worker must report, never die silently
            self.run.model.set_weights(self._good_weights)
            self._finish("failed", f"Training failed: {e}. The model keeps its last good weights.")
        finally:
            self.slots.release(self)

    def _fit(self) -> None:
        run, bs = self.run, self.run.config.batch_size
        steps = math.ceil(self.n_train / bs)
        start = len(run.epochs)
        run.model.fit(
            self._x, self._y, batch_size=bs, epochs=start + self.epochs, initial_epoch=start,
            validation_data=(self.dataset.x_test, self.dataset.y_test), shuffle=True, verbose=0,
            callbacks=[_Publisher(self, steps, self.n_train, bs)],
        )
        if self._diverged_at is not None:
            run.model.set_weights(self._good_weights)
            with self._lock:  # drop the train points of the epoch that blew up
                run.batches[:] = [b for b in run.batches if b.x <= len(run.epochs)]
            restored = f"after epoch {len(run.epochs)}" if run.epochs else "from before training"
            self._finish("diverged", (
                f"The loss became NaN (infinite) in epoch {self._diverged_at}: the learning rate "
                f"{run.learning_rate:g} is too high for {run.config.optimizer}. Try {run.learning_rate / 10:g} or "
                f"smaller. The model keeps its last good weights ({restored})."))
            return
        if not self._abandoned:
            run.evaluation = evaluate(run.model, self.dataset.x_test, self.dataset.y_test)
        if self._stop.is_set():
            self._finish("stopped", self._stopped_message())
        else:
            self._finish("finished", None)

    def _finish(self, state: str, message: str | None) -> None:
        with self._lock:
            if self._started is not None:
                self._train_seconds = time.perf_counter() - self._started
            self._state, self._message = state, message

    def progress(self) -> Progress:
        with self._lock:
            elapsed = (time.perf_counter() - self._started) if self._started and self._state == "running" \
                else self._train_seconds
            planned = self.epochs * self.n_train
            done = self._epochs_done * self.n_train + self._last_seen
            rate = done / elapsed if elapsed > 0 else 0.0
            left = (planned - done) / rate if rate > 0 and self._state == "running" else None
            return Progress(
                state=self._state, queue_position=self.slots.position(self), epoch=self._epochs_done,
                epochs_planned=self.epochs, fraction=min(1.0, done / planned) if planned else 0.0,
                samples_per_second=rate, seconds_left=left, epochs_done=list(self.run.epochs),
                batches=list(self.run.batches), message=self._message,
            )
