"""Read the curves the way the lecture does: where the test loss was best, whether the
network is overfitting, and whether the training curve is too noisy (learning rate too high).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from fcviz.training import BatchPoint, EpochStats

PATIENCE = 3  # epochs of rising test loss before we call it overfitting


@dataclass(frozen=True)
class Diagnosis:
    best_epoch: int | None  # epoch with the lowest test loss
    overfitting_since: int | None  # first epoch after the best one, when overfitting is clear
    noisy: bool
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
    noisy = _is_noisy(batches, epochs[-1].epoch)
    if noisy:
        messages.append(
            "The training curve is very noisy (it jumps up and down from batch to batch): "
            "the learning rate is probably too high. Try a smaller one."
        )
    return Diagnosis(epochs[best].epoch, since, noisy, tuple(messages))


def _is_noisy(batches: Sequence[BatchPoint], last_epoch: int) -> bool:
    """Loss in the last epoch swings by more than half its level from point to point."""
    losses = np.array([b.loss for b in batches if last_epoch - 1 < b.x <= last_epoch])
    if len(losses) < 8:
        return False
    swings = np.abs(np.diff(losses))
    return bool(np.median(swings) > 0.5 * max(np.median(losses), 1e-3))
