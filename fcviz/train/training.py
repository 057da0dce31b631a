"""A session's run and its training, as the pages see them.

In Streamlit every widget change reruns the page script, and a `fit()` inside the script
dies with the rerun. So `Trainer` sends the training to the engine (`fcviz.train.engine`: Dask
worker processes by default) from a thread of its own, folds the train metrics published
several times per epoch and the test metrics after each epoch (`fcviz.train.history`) into the run,
and the page polls `Trainer.progress()`. The server's `TrainingSlots` (`fcviz.train.slots`) cap how
many runs train at once and show the others their place in the queue.
"""
from __future__ import annotations

import itertools
import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Sequence

import keras
import numpy as np

from fcviz.data.loading import Dataset
from fcviz.data.mnist import N_CLASSES, classes_of
from fcviz.i18n import N_, later
from fcviz.net.forward import CHUNK
from fcviz.net.reader import check_mnist, spec_of
from fcviz.net.snapshots import Snapshot, most_kept, thin
from fcviz.settings import fields
from fcviz.settings.described import run_label
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train import engine as engines
from fcviz.train.diagnosis import Setup
from fcviz.train.engine import Engine, WorkerLost, new_job_id
from fcviz.train.history import BatchPoint, EpochStats, best_epoch
from fcviz.train.job import Job, Outcome, Update, training_size
from fcviz.train.slots import SLOTS, TrainingSlots
from fcviz.train.state import TrainingState
from fcviz.train.steps import compile_for_training, compiled

log = logging.getLogger("fcviz")

STARTING = N_("Starting the training workers (once, after the server starts): a few seconds…")
PACE_SECONDS = (0.5, 2.0)  # the speed and the time left: said once updates have come for the first, over the last
WAIT_SECONDS = 0.1  # how often a training's page-server thread folds in updates and checks for Stop

_run_ids = itertools.count(1)


class Run:
    """A model and what is known about it: what a session keeps and the other pages use."""

    def __init__(self, spec: NetworkSpec, config: TrainConfig, dataset: Dataset | str,
                 model: keras.Model | None = None) -> None:
        check_mnist(spec)
        self.id = next(_run_ids)  # unique in this server: what caches and the live chart tell runs apart by
        self.number: int | None = None  # what its reader calls it ("#2": the session's second run); None: its id
        self.spec, self.config = spec, config
        self.dataset_name = dataset if isinstance(dataset, str) else dataset.name
        self.data_source = "" if isinstance(dataset, str) else dataset.source  # what the run as code loads
        self.classes = classes_of(dataset) if isinstance(dataset, str) else dataset.classes  # digits, or clothes
        self.model = compiled(spec, config.optimizer, config.learning_rate, seed=config.seed, l2=config.l2) \
            if model is None else compile_for_training(model, config.optimizer, config.learning_rate)
        self.optimizer_state: list[np.ndarray] | None = None  # the engine's, after a job: Continue goes on with it
        self.epochs: list[EpochStats] = []
        self.batches: list[BatchPoint] = []
        self.snapshots: list[Snapshot] = []  # its weights along the way, for time travel (`fcviz.net.snapshots`)
        self.evaluation: Evaluation | None = None
        self.moved: tuple[int, dict[int, float]] | None = None  # (epochs, accuracy with moved test digits)
        self.learning_rate, self.lr_decay = config.learning_rate, config.lr_decay
        self.loaded = model is not None  # came from a file: it knows things its history does not show
        self.token: str | None = None  # its link in the class store, once saved
        self.save_error: str | None = None  # why its last save failed
        self.tuned_on = 0  # drawings of a student's it was fine-tuned on (`fcviz.lessons.finetune`)

    def trained_as(self, spec: NetworkSpec, train_size: int, dataset_name: str) -> bool:
        """Whether this run has this network and data: Continue needs them, and the Train page says when the results
        it shows are of another setting than the one chosen."""
        return self.spec == spec and self.config.train_size == train_size and self.dataset_name == dataset_name

    @property
    def has_learned(self) -> bool:
        """Trained here for at least an epoch, or loaded from a file: worth predicting with."""
        return bool(self.epochs) or self.loaded

    @property
    def shown_number(self) -> int:
        """Its number in lists: the session's count (`number`, #1 for a student's first run), else the server's."""
        return self.id if self.number is None else self.number

    @property
    def label(self) -> str:
        """One line for lists and legends, in the reader's language ("#3 784-128-10 relu, adam lr 0.001, 4,000
        train"); a saved run keeps the line as it was made (the board makes it again: `settings_line`)."""
        return run_label(self.shown_number, self.spec, self.config, self.learning_rate, self.lr_decay, self.tuned_on)

    @classmethod
    def from_model(cls, model: keras.Model, dataset: Dataset | str, config: TrainConfig | None = None,
                   epochs: list[EpochStats] | None = None, with_evaluation: bool = True) -> "Run":
        """Wrap a loaded model (e.g. an uploaded .keras file) so every page can use it and Continue it."""
        run = cls(spec_of(model), config or TrainConfig(), dataset, model=model)
        run.epochs = list(epochs or [])
        if with_evaluation:  # its results show without training
            run.evaluation = evaluate(model, dataset.x_test, dataset.y_test)
        return run

    def set_learning_rate(self, lr: float, decay: float | None = None) -> None:
        """Changing the rate (or its decay) keeps the weights (as TensorFlow Playground does)."""
        self.model.optimizer.learning_rate.assign(lr)
        self.learning_rate = lr
        self.lr_decay = self.lr_decay if decay is None else decay

    def setup(self) -> Setup:
        """What reading this run's curves needs besides the curves (`fcviz.train.diagnosis`)."""
        return Setup(self.config.optimizer, self.learning_rate, self.lr_decay,
                     math.ceil(self.config.train_size / self.config.batch_size),
                     tuple(h.activation for h in self.spec.hidden))

    def keep_snapshots(self, new: Sequence[Snapshot]) -> None:
        """Add a job's snapshots, thinned with the run's own: the best test-loss epoch stays."""
        if not new:
            return
        best = best_epoch(self.epochs)
        before = [s for s in self.snapshots if s.x < min(n.x for n in new)]
        self.snapshots = thin([*before, *new], most_kept(new[0].nbytes), best_x=None if best is None else float(best))

    def use_snapshot(self, snapshot: Snapshot, dataset: Dataset) -> None:
        """Go back to the network at `snapshot` (early stopping): later epochs, points and snapshots are
        dropped, the test results are those of that network, and Continue starts a fresh optimizer (its
        state then was not kept)."""
        self.model.set_weights(list(snapshot.weights))
        self.epochs = [e for e in self.epochs if e.epoch <= snapshot.x]
        self.batches = [b for b in self.batches if b.x <= snapshot.x]
        self.snapshots = [s for s in self.snapshots if s.x <= snapshot.x]
        self.optimizer_state = None
        self.evaluation = evaluate(self.model, dataset.x_test, dataset.y_test)

    def rate_for(self, epoch: int) -> float:
        """The learning rate of epoch `epoch` (0-based over the whole run): decay counts from the first."""
        return self.learning_rate * self.lr_decay ** epoch


def number_in(label: str) -> int | None:
    """The number a run's `label` starts with ("#3 784-128-10 …" → 3): a saved run reopened keeps the one it had."""
    head = label.split(" ", 1)[0]
    return int(head[1:]) if head[:1] == "#" and head[1:].isdecimal() and len(head) <= 10 else None


@dataclass(frozen=True)
class Evaluation:
    """How the model does on the test set, per class."""

    predictions: np.ndarray
    confusion: np.ndarray  # [true, predicted]
    accuracy: float

    @property
    def per_class_accuracy(self) -> np.ndarray:
        """Accuracy per true class (0 for a class with no test samples): which digits the model finds hard."""
        totals = self.confusion.sum(axis=1)
        return np.divide(np.diag(self.confusion), totals, out=np.zeros(len(totals)), where=totals > 0)


def probabilities(model: keras.Model, x: np.ndarray, chunk: int = CHUNK) -> np.ndarray:
    """Direct calls, not `predict()` (which costs ~70 ms of overhead per call here)."""
    return np.concatenate([np.asarray(model(x[i:i + chunk], training=False)) for i in range(0, len(x), chunk)])


def evaluate(model: keras.Model, x: np.ndarray, y: np.ndarray) -> Evaluation:
    """How `model` does on `x`, `y` (the test set): predictions, confusion and accuracy."""
    return evaluation_of(probabilities(model, x).argmax(axis=1), y)


def evaluation_of(pred: np.ndarray, y: np.ndarray) -> Evaluation:
    """Accuracy and confusion from the predicted classes of the test set."""
    confusion = np.bincount(y * N_CLASSES + pred, minlength=N_CLASSES ** 2).reshape(N_CLASSES, N_CLASSES)
    return Evaluation(pred, confusion, float((pred == y).mean()))


@dataclass(frozen=True)
class Progress:
    """A training as the page polls it: state, place in the queue, epochs, speed, time left and the curves so far."""

    state: TrainingState
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
        """Still queued or running: the page keeps polling."""
        return self.state.active


class Trainer:
    """Trains `run` for `epochs` more epochs on the training engine (`fcviz.train.engine`); never raises into the UI.

    A page-server thread per training waits for a slot, sends the job, and folds the updates it
    publishes into the run, so the page polls `progress()` as before. `still_wanted` is asked while
    queued and while training: when it says no (the browser tab that started the training has gone),
    the training stops and gives its slot to the next one. `config`: this training's own settings, when
    they are not the run's (a fine-tune trains on every sample of its data). `gradients=False` leaves out the
    layers' gradient sizes (only the benchmark does, to measure what they cost).
    """

    def __init__(self, run: Run, dataset: Dataset, epochs: int, slots: TrainingSlots = SLOTS,
                 still_wanted: Callable[[], bool] | None = None, engine: Engine | None = None,
                 on_end: Callable[[Run, TrainingState], None] | None = None, config: TrainConfig | None = None,
                 gradients: bool = True) -> None:
        check_mnist(run.spec)
        fields.field("epochs").check(epochs)
        self.run, self.dataset, self.epochs, self.slots = run, dataset, epochs, slots
        self.config = config or run.config
        self.gradients = gradients
        self._engine = engine
        self._on_end = on_end  # told how the training ended, in this thread (e.g. to save the run)
        self._still_wanted = still_wanted
        self._abandoned = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._state = TrainingState.QUEUED
        self._message: str | None = None
        self._epochs_done = 0
        self._last_seen = 0
        self._train_seconds = 0.0
        self._started: float | None = None
        self._heard: deque[tuple[float, int]] = deque()  # (when, samples done) at the last updates: the pace
        self.n_train = training_size(self.config, len(dataset.y_train))
        self.job_id: str | None = None  # the engine's name for it, once sent
        self._thread = threading.Thread(target=self._work, name=f"fcviz-train-{run.id}", daemon=True)

    def start(self) -> "Trainer":
        """Start the training's thread; returns the Trainer, for the session to keep."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """The Stop button: the job is asked to stop, and the run keeps what it has learned so far."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the training's thread to end (tests and scripts; a page polls `progress` instead)."""
        self._thread.join(timeout)

    def cancelled(self) -> bool:
        """Stop was pressed, or nobody is left to watch this training."""
        if not self._stop.is_set() and self._still_wanted is not None and not self._still_wanted():
            self._abandoned = True
            self._stop.set()
        return self._stop.is_set()

    def _stopped_message(self) -> str:
        closed = self._abandoned  # the tab that started it was closed
        if self._started is None:
            message = (N_("Stopped before it started: the browser tab that started it was closed.") if closed
                       else N_("Stopped before it started."))
        else:
            message = (N_("Stopped after {done} of {planned} epochs: the browser tab that started it was closed.")
                       if closed else N_("Stopped after {done} of {planned} epochs."))
        return later(message, done=self._epochs_done, planned=self.epochs)

    def _work(self) -> None:
        if not self.slots.acquire(self, self.cancelled):
            self._finish(TrainingState.STOPPED, self._stopped_message())
            return
        run = self.run
        kept = len(run.epochs), len(run.batches)  # what the run had before: a lost job leaves exactly this
        try:
            first = len(run.epochs)
            self.job_id = new_job_id()
            job = Job(self.job_id, run.spec, self.config, run.model.get_weights(), run.optimizer_state, first,
                      tuple(run.rate_for(first + k) for k in range(self.epochs)), self.dataset.source,
                      gradients=self.gradients)
            engine = self._engine or engines.started()
            if engine is None:
                with self._lock:
                    self._message = STARTING
                engine = engines.engine()
            with self._lock:
                self._state, self._started, self._message = TrainingState.RUNNING, time.perf_counter(), None
            handle = engine.submit(job, self.dataset)
            stopping = False
            while (outcome := handle.wait(WAIT_SECONDS)) is None:
                self._absorb(handle.updates())
                if not stopping and self.cancelled():
                    handle.stop()
                    stopping = True
            self._conclude(outcome, kept)
        except Exception as e:  # a lost worker, an unreachable cluster: report, never die silently
            with self._lock:
                del run.epochs[kept[0]:], run.batches[kept[1]:]
            message = str(e) if isinstance(e, WorkerLost) else later(
                "Training failed: {reason}. The model keeps its weights.", reason=str(e))
            self._finish(TrainingState.FAILED, message)
        finally:
            self.slots.release(self)

    def _absorb(self, updates: list[Update]) -> None:
        with self._lock:
            for u in updates:
                self.run.batches.extend(u.batches)
                if u.epoch is not None:
                    self.run.epochs.append(u.epoch)
                    self._epochs_done += 1
                self._last_seen = u.seen
            if updates:
                now = time.perf_counter()
                self._heard.append((now, self._epochs_done * self.n_train + self._last_seen))
                while len(self._heard) > 2 and now - self._heard[1][0] >= PACE_SECONDS[1]:
                    self._heard.popleft()

    def _conclude(self, outcome: Outcome, kept: tuple[int, int]) -> None:
        """The job's own record replaces what arrived on the way (an update may still be in flight)."""
        run = self.run
        run.model.set_weights(outcome.weights)
        if outcome.epochs:  # the page server's copy says the rate the run got to (a saved file keeps it)
            run.model.optimizer.learning_rate.assign(outcome.epochs[-1].learning_rate)
        with self._lock:
            run.epochs[kept[0]:] = outcome.epochs
            run.batches[kept[1]:] = outcome.batches
            run.keep_snapshots(outcome.snapshots)
            self._epochs_done, self._last_seen = len(outcome.epochs), 0
            run.optimizer_state = outcome.optimizer_state
        if outcome.state == TrainingState.DIVERGED:
            restored = later("after epoch {n}", n=len(run.epochs)) if run.epochs else later("from before training")
            self._finish(TrainingState.DIVERGED, later(
                "The loss became NaN (infinite) in epoch {epoch}: the learning rate {rate:g} is too high for "
                "{optimizer}. Try {smaller:g} or smaller. The model keeps its last good weights ({restored}).",
                epoch=outcome.diverged_at, rate=run.learning_rate, optimizer=run.config.optimizer,
                smaller=run.learning_rate / 10, restored=restored))
            return
        if outcome.predictions is not None and not self._abandoned:
            run.evaluation = evaluation_of(outcome.predictions, self.dataset.y_test)
            run.moved = None if outcome.moved is None else (len(run.epochs), outcome.moved)
        self._finish(outcome.state, self._stopped_message() if outcome.state == TrainingState.STOPPED else None)

    def _finish(self, state: TrainingState, message: str | None) -> None:
        """The training's end: `on_end` first (the page sees the end with the run saved), then the state."""
        if self._on_end is not None:
            try:
                self._on_end(self.run, state)
            except Exception:  # saving is the callback's business: a training never fails because of it
                log.exception("after the training of run %s", self.run.id)
        with self._lock:
            if self._started is not None:
                self._train_seconds = time.perf_counter() - self._started
            self._state, self._message = state, message

    def _running_pace(self) -> float:
        """Samples a second over the last updates (`PACE_SECONDS`; 0 until there is such a span). Counted from the
        training's start, it took in the worker's start and the graph's tracing, and then lagged behind a pace that
        grows as the graph warms up: early in a 60-epoch run the time left read 189 s where 27 s remained."""
        if len(self._heard) < 2 or self._heard[-1][0] - self._heard[0][0] < PACE_SECONDS[0]:
            return 0.0
        (first, done_first), (last, done_last) = self._heard[0], self._heard[-1]
        return (done_last - done_first) / (last - first)

    @property
    def active(self) -> bool:
        """Whether it waits for a slot or trains: what `progress().active` says, without copying the run's curves."""
        with self._lock:
            return self._state.active

    def progress(self) -> Progress:
        """The training as it is now, for the page to draw at each rerun."""
        with self._lock:
            elapsed = (time.perf_counter() - self._started) if self._started and self._state == TrainingState.RUNNING \
                else self._train_seconds
            planned = self.epochs * self.n_train
            done = self._epochs_done * self.n_train + self._last_seen
            running = self._state == TrainingState.RUNNING
            rate = self._running_pace() if running else done / elapsed if elapsed > 0 else 0.0
            left = (planned - done) / rate if rate > 0 and running else None
            return Progress(
                state=self._state, queue_position=self.slots.position(self), epoch=self._epochs_done,
                epochs_planned=self.epochs, fraction=min(1.0, done / planned) if planned else 0.0,
                samples_per_second=rate, seconds_left=left, epochs_done=list(self.run.epochs),
                batches=list(self.run.batches), message=self._message,
            )
