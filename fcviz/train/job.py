"""One training job, wherever it runs: what is sent (`Job`), what it publishes while it trains
(`Update`) and what comes back (`Outcome`). `run_job` is the whole loop; the engines
(`fcviz.train.engine`) only decide where it runs and how its updates and Stop travel.

A job carries weights and optimizer state, never the data: the process that runs it holds each
data set once (`resident`) and a job only indexes it.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import astuple, dataclass, field
from typing import Callable, Protocol

import numpy as np

from fcviz.cache import Bounded
from fcviz.data.loading import Dataset
from fcviz.net.robustness import shift_accuracy
from fcviz.net.scores import Scores, scores
from fcviz.net.snapshots import EARLY, Snapshot, layers_at, most_kept, take, thin
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.history import BatchPoint, EpochStats, best_epoch
from fcviz.train.state import TrainingState

log = logging.getLogger("fcviz")

POINTS_PER_EPOCH = 40  # train-curve points published per epoch: the batches between two are one graph call
STOP_WAIT_SECONDS = 1.0  # a job's Stop is waited for in turns of this long (a turn ends at once when Stop is asked, and
# when the job ends): polled every 50 ms, each running job sent the scheduler (in the page server) 20 requests a second
PUBLISH_SECONDS = 0.2  # curve points are sent at most this often (and with every epoch's end): a wide network's graph
# calls take one batch each (~13 ms for 784-512-512-10), and two trainings sent the page server ~150 updates a second
RESIDENT_KEPT = 3  # data sets a process keeps as tensors
SCORING_THREADS = 2  # a job's numpy passes over the test set run beside its graph calls, on a core left idle


@dataclass(frozen=True)
class Job:
    """What is sent to train: the network and its weights, the settings, the rates, the data by name."""

    id: str  # unique: names its updates and its Stop
    spec: NetworkSpec
    config: TrainConfig
    weights: list[np.ndarray]
    optimizer_state: list[np.ndarray] | None  # None: a fresh optimizer
    first_epoch: int  # epochs the run already has: Continue counts on, and decay with it
    rates: tuple[float, ...]  # the learning rate of each epoch of this job
    source: str  # the data set, by name (`fcviz.data.loading.load_dataset`) or an upload's digest
    gradients: bool = True  # measure each layer's gradient size (off only to measure what that costs)

    @property
    def epochs(self) -> int:
        """How many epochs this job trains."""
        return len(self.rates)


@dataclass(frozen=True)
class Update:
    """Published between graph calls: new curve points, and an epoch's stats when one ends."""

    job: str
    batches: tuple[BatchPoint, ...]
    epoch: EpochStats | None
    seen: int  # samples of the current epoch done

    def to_message(self) -> dict:
        """Plain values only: Dask's event log carries msgpack."""
        return {"job": self.job, "batches": [b.row() for b in self.batches],
                "epoch": None if self.epoch is None else astuple(self.epoch), "seen": self.seen}

    @classmethod
    def from_message(cls, msg: dict) -> "Update":
        """Inverse of `to_message`."""
        epoch = msg["epoch"]
        return cls(msg["job"], tuple(BatchPoint.of_row(b) for b in msg["batches"]),
                   None if epoch is None else EpochStats(*epoch), msg["seen"])


@dataclass(frozen=True)
class Outcome:
    """What comes back when a job ends: its state, weights and optimizer state, and its own record."""

    state: TrainingState  # FINISHED, STOPPED or DIVERGED
    weights: list[np.ndarray]
    optimizer_state: list[np.ndarray] | None  # None after a blow-up: Continue starts a fresh optimizer
    epochs: list[EpochStats]  # this job's
    batches: list[BatchPoint]  # this job's, without those of an epoch that blew up
    predictions: np.ndarray | None  # on the test set, with the weights returned (None: unchanged)
    diverged_at: int | None = None  # 1-based epoch of the run
    seconds: float = 0.0
    n_train: int = 0
    notes: list[str] = field(default_factory=list)
    snapshots: tuple[Snapshot, ...] = ()  # the weights along the way (`fcviz.net.snapshots`), thinned to the budget
    moved: dict[int, float] | None = None  # accuracy with the test digits moved (`fcviz.net.robustness`)


def training_size(config: TrainConfig, n_available: int) -> int:
    """How many samples a run trains on in each epoch: its setting, or every sample the data set has when fewer."""
    return min(config.train_size, n_available)


def training_order(config: TrainConfig, n_available: int) -> np.ndarray:
    """Which samples this run trains on: the same subset for every job of a run (it depends on the seed only)."""
    return np.random.default_rng(config.seed).permutation(n_available)[:training_size(config, n_available)]


def last_batch(config: TrainConfig, n_available: int) -> int:
    """The size of an epoch's last batch when it is smaller than the others (0: every batch is whole): its graph call
    is compiled ahead as the full calls are (`fcviz.train.steps.Stepper.compile_xla`)."""
    return training_size(config, n_available) % config.batch_size


_resident: Bounded[str, tuple] = Bounded(RESIDENT_KEPT)


def resident(source: str, load: Callable[[], Dataset]) -> tuple:
    """This process's copy of a data set, made once: the training set as tensors (x_train, y_train: the graph indexes
    them), the test set as numpy arrays (x_test, y_test: it is scored in numpy, `fcviz.net.scores`)."""
    import tensorflow as tf

    def make() -> tuple:
        ds = load()
        return (tf.constant(ds.x_train, tf.float32), tf.constant(ds.y_train, tf.int64),
                np.asarray(ds.x_test, np.float32), np.asarray(ds.y_test, np.int64))
    return _resident.get_or_make(source, make)


class StopSignal(Protocol):
    """A job's Stop: a `threading.Event` (inline) or a Dask `Event` (in a worker), set by the page server, and by the
    job itself as it ends (to wake its watcher)."""

    def wait(self, timeout: float) -> bool:
        """Whether Stop was asked, within `timeout` seconds (at once when it is)."""

    def set(self) -> None:
        """Ask for Stop."""


def run_job(job: Job, data: tuple, publish: Callable[[Update], None], stop: StopSignal) -> Outcome:
    """Train `job` on `data` (`resident` tensors); `publish` gets every Update; a thread of the job waits on `stop`."""
    from fcviz.train.steps import borrowed

    config = job.config
    with borrowed(job.spec, config.optimizer, config.l2, data, config.batch_size, augment=config.augment,
                  gradients=job.gradients, tail=last_batch(config, int(data[1].shape[0]))) as stepper:
        stepper.load(job.weights, job.optimizer_state, job.rates[0], config.seed + job.first_epoch)
        training = _Training(job, data, stepper, publish)
        done = threading.Event()
        watcher = threading.Thread(target=_watch, args=(stop, done, stepper), daemon=True, name="fcviz-stop-watch")
        watcher.start()
        try:
            for k, rate in enumerate(job.rates):
                ended = training.epoch(k, rate)
                if ended is not None:
                    return ended
            return training.scored() or training.outcome(TrainingState.FINISHED, training.last_scores)
        finally:
            training.close()
            done.set()
            try:
                stop.set()  # wakes the watcher, which then ends without touching the stepper the next job borrows
            except Exception:  # the scheduler gone (a worker closing): the watcher's wait fails the same way
                log.warning("job %s: its watcher could not be woken", job.id)
            watcher.join(2 * STOP_WAIT_SECONDS)  # never holds the outcome back longer


@dataclass
class _Trained:
    """An epoch trained, its test scores still being computed on another thread (`_Training.scored` ends it)."""

    epoch: int  # 0-based, of the run
    rate: float
    losses: list[float]
    accs: list[float]
    seconds: float
    weights: list[np.ndarray]  # at its end: what the scores are of, and what a later blow-up goes back to
    scores: Future


class _Training:
    """One job's loop, as it goes: the samples it trains on, the curve points, epochs and snapshots so far,
    and the last weights that were good (a blow-up goes back to them)."""

    def __init__(self, job: Job, data: tuple, stepper, publish: Callable[[Update], None]) -> None:
        self.job, self.stepper, self._publish = job, stepper, publish
        self._pending: list[BatchPoint] = []  # curve points not sent yet
        self._sent = time.perf_counter()
        self.x, self.y, self.x_test, self.y_test = data
        self.bs = job.config.batch_size
        self.subset = training_order(job.config, int(self.y.shape[0]))
        self.n = len(self.subset)
        self.steps = math.ceil(self.n / self.bs)
        self.group = max(1, self.steps // POINTS_PER_EPOCH)  # batches per curve point
        self.rows = stepper.rows_per_call(self.bs)  # one shape for every call: compiled once
        self.started = time.perf_counter()
        self.epochs: list[EpochStats] = []
        self.batches: list[BatchPoint] = []
        self.keep = most_kept(sum(np.asarray(w).nbytes for w in job.weights))
        first = job.first_epoch == 0
        self.snapshots: list[Snapshot] = [take(0, job.weights)] if first else []
        # inside a run's first epoch, calls end at these sample counts, so the weights there can be kept
        early = sorted({math.ceil(f * self.steps) * self.bs for f in EARLY} - {0}) if first else []
        self.early = [b for b in early if b < self.n]
        self.good = job.weights
        self.structure = stepper.layers()  # its layers, read once: the weights at any point fit them (`layers_at`)
        self.last_scores: Scores | None = None
        self.trained: _Trained | None = None  # the last epoch, while its test scores are computed
        self.scoring = ThreadPoolExecutor(SCORING_THREADS, thread_name_prefix="fcviz-test-scores")

    def epoch(self, k: int, rate: float) -> Outcome | None:
        """Train the job's `k`-th epoch at `rate`, its test set scored on a thread of its own while the next epoch's
        first call trains (`scored`); the Outcome if the training ended inside it."""
        epoch = self.job.first_epoch + k
        self.stepper.optimizer.learning_rate.assign(rate)
        order = self.subset[np.random.default_rng((self.job.config.seed, epoch)).permutation(self.n)]
        t0 = time.perf_counter()
        losses: list[float] = []
        accs: list[float] = []
        grads: list[np.ndarray] = []  # per batch: each layer's gradient size
        start = 0
        points_before = len(self.batches)  # the curve points of the epochs before this one
        while start < self.n:
            end = next((b for b in self.early if b > start), self.n) if k == 0 else self.n
            call = self._call(order, start, end)
            # the gradients' sizes of one batch per curve point: its group's first
            loss, acc, sizes = self.stepper.train(self.x, self.y, call, self.bs, self.rows, first=len(losses),
                                                  every=self.group)
            ended = self.scored()  # the epoch before, scored meanwhile: its stats go before this call's points
            if ended is not None:
                return ended
            start += min(len(call), len(loss) * self.bs)
            losses += loss.tolist()
            accs += acc.tolist()
            grads += list(sizes)
            if not np.all(np.isfinite(loss)):
                return self.outcome(TrainingState.DIVERGED, None, weights=self.good, diverged_at=epoch + 1)
            if k == 0 and start in self.early and len(loss) * self.bs == len(call):
                self.snapshots.append(take(start / self.bs / self.steps, self.stepper.weights()))
            new = _points(epoch, losses, accs, grads, self.group, self.steps, len(self.batches) - points_before)
            self.batches += new
            self.publish(new, None, min(start, self.n))
            if self.stepper.halt.numpy():
                weights = self.stepper.weights()
                return self.outcome(TrainingState.STOPPED, self.score(weights), weights=weights)
        weights = self.stepper.weights()
        self.trained = _Trained(epoch, rate, losses, accs, time.perf_counter() - t0, weights,
                                self.scoring.submit(self.score, weights))
        return None

    def score(self, weights: list[np.ndarray]) -> Scores:
        """The test set's loss, accuracy and predictions with these weights (numpy: any thread)."""
        return scores(layers_at(self.structure, weights), self.x_test, self.y_test, self.job.config.l2)

    def scored(self) -> Outcome | None:
        """End the epoch whose test scores were being computed, once they are (waiting for them): its stats recorded
        and published; or the Outcome, back at the weights before it, when its test loss is not finite."""
        trained, self.trained = self.trained, None
        if trained is None:
            return None
        test = trained.scores.result()
        if not (math.isfinite(test.loss) and math.isfinite(test.accuracy)):
            return self.outcome(TrainingState.DIVERGED, None, weights=self.good, diverged_at=trained.epoch + 1)
        self._end_epoch(trained, test)
        return None

    def close(self) -> None:
        """Let the scoring threads go (a pass under way ends on its own copy of the weights)."""
        self.scoring.shutdown(wait=False, cancel_futures=True)

    def _call(self, order: np.ndarray, start: int, end: int) -> np.ndarray:
        """The samples of the next graph call: whole batches up to `rows` of them, or the epoch's last batch."""
        bs = self.bs
        call = order[start:min(start + self.rows * bs, end)] if end - start >= bs else order[start:end]
        return call[:len(call) // bs * bs] if len(call) >= bs else call

    def _end_epoch(self, trained: _Trained, test: Scores) -> None:
        """Record the epoch (train numbers averaged by batch size, as `fit` does), keep its weights, publish it."""
        losses = trained.losses
        sizes = np.full(len(losses), self.bs, np.float64)
        sizes[-1] = self.n - self.bs * (len(losses) - 1)
        stats = EpochStats(trained.epoch + 1, float(np.average(losses, weights=sizes)),
                           float(np.average(trained.accs, weights=sizes)), test.loss, test.accuracy,
                           seconds=trained.seconds, learning_rate=trained.rate)
        self.epochs.append(stats)
        self.good = trained.weights
        self.last_scores = test
        self.snapshots.append(take(trained.epoch + 1, self.good))
        if len(self.snapshots) > self.keep:
            self.snapshots[:] = thin(self.snapshots, self.keep, best_x=float(best_epoch(self.epochs)))
        self.publish([], stats, 0)

    def publish(self, points: list[BatchPoint], epoch: EpochStats | None, seen: int) -> None:
        """Send the new curve points (with those held back), an epoch's stats, how far the epoch is: at once when an
        epoch ended, else at most every `PUBLISH_SECONDS`. (What was held back when a job ends, its outcome brings.)"""
        self._pending += points
        now = time.perf_counter()
        if epoch is not None or now - self._sent >= PUBLISH_SECONDS:
            self._publish(Update(self.job.id, tuple(self._pending), epoch, seen))
            self._pending, self._sent = [], now

    def outcome(self, state: TrainingState, test: Scores | None, weights: list[np.ndarray] | None = None,
                diverged_at: int | None = None) -> Outcome:
        """What goes back: the weights (`weights`: the last good ones after a blow-up; None: the stepper's), this job's
        record, and with `test` the test predictions and the accuracy on moved digits with those weights (measured
        here, not by the page server: 13 passes over the test set once per training, shared out between the scoring
        threads)."""
        batches, snapshots = self.batches, self.snapshots
        if diverged_at is not None:  # the points of the epoch that blew up go with it
            batches = [b for b in batches if b.x <= diverged_at - 1]
            snapshots = [s for s in snapshots if s.x <= diverged_at - 1]
        weights = self.stepper.weights() if weights is None else weights
        moved = None if test is None else shift_accuracy(layers_at(self.structure, weights), self.x_test, self.y_test,
                                                         mapped=self.scoring.map)
        optimizer_state = None if diverged_at is not None else self.stepper.optimizer_state()  # NaN moments: afresh
        return Outcome(state, weights, optimizer_state, self.epochs, batches,
                       None if test is None else test.predictions, diverged_at,
                       time.perf_counter() - self.started, self.n, snapshots=tuple(snapshots), moved=moved)


def _points(epoch: int, losses: list[float], accs: list[float], grads: list[np.ndarray], group: int, steps: int,
            already: int) -> list[BatchPoint]:
    """Curve points of this epoch not yet made: one per `group` batches, and the epoch's last batches; each with
    its batches' mean loss and accuracy, and the gradient sizes of those of its batches they were measured on.
    (Means of a few Python floats in Python: `np.mean` on each small list was ~5 % of a small network's job.)"""
    points = []
    for p in range(already, len(losses) // group + (len(losses) == steps and len(losses) % group > 0)):
        lo, hi = p * group, min((p + 1) * group, len(losses))
        measured = [g for g in grads[lo:hi] if len(g) and not np.isnan(g[0])]
        sizes = tuple(float(g) for g in (measured[0] if len(measured) == 1 else np.mean(measured, axis=0))) \
            if measured else ()
        points.append(BatchPoint(epoch + hi / steps, sum(losses[lo:hi]) / (hi - lo), sum(accs[lo:hi]) / (hi - lo),
                                 sizes))
    return points


def _watch(stop: StopSignal, done: threading.Event, stepper) -> None:
    """Sets the graph's halt flag as soon as Stop is asked for (the running call ends after its batch), until the job
    is done."""
    while not done.is_set():
        try:
            asked = stop.wait(STOP_WAIT_SECONDS)
        except Exception:  # the scheduler gone: no Stop can come
            return
        if asked:
            if not done.is_set():
                stepper.halt.assign(True)
            return
