"""Fine-tuning on my handwriting: a few more epochs on MNIST digits the run learned from plus a student's own
labelled drawings, with some drawings held out by a fixed rule, so "before → after" on the held-out ones says
whether the network learned the student's handwriting or only memorised the drawings it saw.

The MNIST digits stay in (a fifth of the data is the student's): without them the network would forget MNIST
for a few drawings. The rule is fixed so that the same drawings are held out every time: of each digit's
drawings the 2nd, 5th, 8th, … (a third of them) are held out.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace

import numpy as np

from fcviz.data.loading import Dataset
from fcviz.data.mnist import N_PIXELS
from fcviz.data.sources import MEMORY, SAMPLE, travels_by_name
from fcviz.net.forward import DenseWeights
from fcviz.settings.train_config import TrainConfig
from fcviz.store import handwriting
from fcviz.train.job import training_order
from fcviz.train.training import Run

EPOCHS = 5
MNIST_DIGITS = 2000  # at most, of the run's own training digits
DRAWING_SHARE = 0.2  # of the fine-tune's samples: each training drawing repeated to make it up
HELD_EVERY, HELD_AT = 3, 1  # of each digit's drawings, those at positions 1, 4, 7, … (0-based) are held out


def held_out(labels: np.ndarray) -> np.ndarray:
    """True for the drawings the fine-tune never trains on: a third of each digit's, by the order they were added."""
    labels = np.asarray(labels)
    held = np.zeros(len(labels), bool)
    for digit in np.unique(labels):
        where = np.flatnonzero(labels == digit)
        held[where[HELD_AT::HELD_EVERY]] = True
    return held


def can_tune(labels: np.ndarray) -> bool:
    """At least one drawing to learn from and one held out to judge by."""
    held = held_out(labels)
    return bool(held.any() and (~held).any())


def base_source(run: Run) -> str:
    """The MNIST digits to tune with: the run's own data set when any process can load it by name, else the
    bundled sample (an upload's run, a file's)."""
    source = run.data_source
    return source if source and travels_by_name(source) else SAMPLE


def mnist_digits(config: TrainConfig, n_available: int) -> np.ndarray:
    """Which MNIST digits the fine-tune keeps: the first `MNIST_DIGITS` of the run's own training order."""
    return training_order(config, n_available)[:MNIST_DIGITS]


def tuning_set(base: Dataset, config: TrainConfig, images: np.ndarray, labels: np.ndarray) -> Dataset:
    """MNIST digits the run trained on (at most `MNIST_DIGITS`) plus the drawings not held out, repeated to make
    up `DRAWING_SHARE` of the samples; tested on the base data's test set (did it forget MNIST?)."""
    learn = ~held_out(labels)
    mine_x = np.asarray(images, np.float32).reshape(len(labels), N_PIXELS)[learn]
    mine_y = np.asarray(labels, np.int64)[learn]
    digits = mnist_digits(config, len(base.y_train))
    repeat = max(1, math.ceil(DRAWING_SHARE / (1 - DRAWING_SHARE) * len(digits) / len(mine_y)))
    digest = hashlib.sha256(mine_x.tobytes() + mine_y.tobytes() + base.source.encode()).hexdigest()[:16]
    return Dataset(f"{base.name} + {len(mine_y)} drawings",
                   np.concatenate([base.x_train[digits], np.tile(mine_x, (repeat, 1))]),
                   np.concatenate([base.y_train[digits], np.tile(mine_y, repeat)]),
                   base.x_test, base.y_test, source=f"{MEMORY}tune-{digest}")


def tuned_copy(run: Run, drawings: int) -> Run:
    """A copy of `run` to fine-tune (the original stays as it is): same network, weights, history and settings,
    so the copy, once used, Continues on MNIST like the original would."""
    copy = Run(run.spec, run.config, run.dataset_name, model=None)
    copy.data_source, copy.classes = run.data_source, run.classes
    copy.model.set_weights(run.model.get_weights())
    copy.epochs, copy.batches, copy.snapshots = list(run.epochs), list(run.batches), list(run.snapshots)
    copy.optimizer_state = run.optimizer_state
    copy.learning_rate, copy.lr_decay, copy.loaded = run.learning_rate, run.lr_decay, run.loaded
    copy.evaluation = run.evaluation
    copy.tuned_on = run.tuned_on + drawings
    return copy


def training_config(run: Run, data: Dataset) -> TrainConfig:
    """The fine-tune's own settings: the run's, on every sample of `data`."""
    return replace(run.config, train_size=len(data.y_train))


@dataclass(frozen=True)
class BeforeAfter:
    """How many of the held-out drawings (and of those learned from) the network reads right, before and after."""

    held: int
    held_before: int
    held_after: int
    learned: int
    learned_before: int
    learned_after: int
    read_before: np.ndarray  # what each held-out drawing was read as
    read_after: np.ndarray


def before_after(before: list[DenseWeights], after: list[DenseWeights], images: np.ndarray,
                 labels: np.ndarray) -> BeforeAfter:
    """The fine-tune's verdict: how many drawings the network reads right `before` and `after`, the held-out ones apart
    from those it learned from (only the held-out ones say whether it learned the handwriting)."""
    held = held_out(labels)
    read = [handwriting.predictions(layers, images) for layers in (before, after)]
    right = [(r == labels) for r in read]
    return BeforeAfter(int(held.sum()), int(right[0][held].sum()), int(right[1][held].sum()),
                       int((~held).sum()), int(right[0][~held].sum()), int(right[1][~held].sum()),
                       read[0][held], read[1][held])
