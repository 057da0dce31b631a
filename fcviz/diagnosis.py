"""Read the curves the way the lecture does: where the test loss was best, whether the
network is overfitting, and whether the training curve says the learning rate is too high.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from fcviz.history import BatchPoint, EpochStats
from fcviz.mnist import CHANCE_LOSS

PATIENCE = 3  # epochs of rising test loss before we call it overfitting


@dataclass(frozen=True)
class Diagnosis:
    best_epoch: int | None  # epoch with the lowest test loss
    overfitting_since: int | None  # first epoch after the best one, when overfitting is clear
    unstable: bool  # the curve says the learning rate is too high
    messages: tuple[str, ...]


def diagnose(epochs: Sequence[EpochStats], batches: Sequence[BatchPoint] = (), patience: int = PATIENCE) -> Diagnosis:
    if not epochs:
        return Diagnosis(None, None, False, ())
    test = np.array([e.test_loss for e in epochs])
    train = np.array([e.loss for e in epochs])
    best = int(test.argmin())
    messages = []
    since = None
    epochs_after_best = len(test) - 1 - best
    if epochs_after_best >= patience and test[-1] > test[best] and train[-1] < train[best]:
        since = epochs[best].epoch + 1
        messages.append(
            f"Overfitting since epoch {since}: the test loss was lowest at epoch {epochs[best].epoch} "
            f"({test[best]:.3f}) and has risen to {test[-1]:.3f} while the training loss kept falling "
            f"({train[best]:.3f} → {train[-1]:.3f}). Try dropout, fewer units, L2 or more training data."
        )
    unstable = _instability(epochs, batches)
    if unstable:
        messages.append(f"{unstable} The learning rate is probably too high: try a smaller one.")
    return Diagnosis(epochs[best].epoch, since, bool(unstable), tuple(messages))


def _instability(epochs: Sequence[EpochStats], batches: Sequence[BatchPoint]) -> str | None:
    """What a too-high learning rate does to the training curve, in words, or None."""
    train = [e.loss for e in epochs]
    if len(train) >= 2 and train[-1] >= 0.85 * CHANCE_LOSS:
        return (f"The training loss is stuck at {train[-1]:.2f}, near ln 10 = {CHANCE_LOSS:.2f}, the loss of "
                "guessing at random: the network has stopped learning.")
    for a, b in zip(epochs, epochs[1:]):
        if b.loss > 1.1 * a.loss:
            return f"The training loss went up from epoch {a.epoch} ({a.loss:.3f}) to epoch {b.epoch} ({b.loss:.3f})."
    late = [p.loss for p in batches if p.x > 1]
    if len(late) >= 8 and max(late) > 3 * float(np.median(late)) and max(late) > 1.0:
        return "The training curve has big spikes."
    return None
