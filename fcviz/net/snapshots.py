"""Time travel through a training: the weights after every epoch, and a few times inside the first one
(where most of the change happens), kept within a memory budget per run.

A snapshot is named by where it was taken on the curves' x axis: 0 before training, 0.125 after an
eighth of the first epoch, 3 after the third epoch. A long run or a wide network keeps fewer:
`thin` drops epochs evenly, never the first, the last or the best test-loss one.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from fcviz.net.forward import DenseWeights

BUDGET_BYTES = 24 * 2**20  # per run: 60 snapshots of 784-128-10; a network too wide for 2 still keeps 2
EARLY = (0.125, 0.25, 0.5)  # points inside the first epoch (fractions of it)


@dataclass(frozen=True)
class Snapshot:
    """The model's weights at one point of a training, to go back to (time travel, early stopping)."""

    x: float  # epochs trained when it was taken
    weights: tuple[np.ndarray, ...]  # the model's get_weights()

    @property
    def nbytes(self) -> int:
        """Its size: what the memory budget (`most_kept`) counts."""
        return sum(w.nbytes for w in self.weights)

    @property
    def epoch(self) -> int | None:
        """The epoch it ends (1-based), or None for the start and the points inside the first epoch."""
        return int(self.x) if self.x >= 1 and self.x == int(self.x) else None


def take(x: float, weights: Sequence[np.ndarray]) -> Snapshot:
    """A snapshot of `weights` at `x`: float32 copies, so later training steps cannot change it."""
    return Snapshot(float(x), tuple(np.array(w, dtype=np.float32, copy=True) for w in weights))


def most_kept(snapshot_bytes: int, budget: int = BUDGET_BYTES) -> int:
    """How many snapshots of this size fit the budget (at least the start and the end)."""
    return max(2, budget // max(1, snapshot_bytes))


def thin(snapshots: Sequence[Snapshot], keep: int, best_x: float | None = None) -> list[Snapshot]:
    """At most `keep` snapshots, spread evenly over the run: the last and the best (`best_x`) always stay,
    and the first while there is room for it."""
    snapshots = sorted(snapshots, key=lambda s: s.x)
    if len(snapshots) <= keep:
        return list(snapshots)
    best = {i for i, s in enumerate(snapshots) if best_x is not None and s.x == best_x}
    fixed = {len(snapshots) - 1} | best | ({0} if len(best | {len(snapshots) - 1}) < keep else set())
    free = max(0, keep - len(fixed))
    rest = [i for i in range(len(snapshots)) if i not in fixed]
    chosen = {rest[round(k * (len(rest) - 1) / max(1, free - 1))] for k in range(free)} if free and rest else set()
    return [snapshots[i] for i in sorted(fixed | chosen)]


def layers_at(layers: Sequence[DenseWeights], weights: Sequence[np.ndarray]) -> list[DenseWeights]:
    """The Dense layers (`fcviz.net.reader.dense_weights`) with these weights (a snapshot's, or any `get_weights()`
    of the network): Keras' get_weights() lists them in order, kernel then bias, then a batch norm's γ, β and moving
    mean and variance (its moving statistics are weights too); Dropout, Activation and Add have none."""
    arrays = iter(weights)
    at = []
    for layer in layers:
        kernel, bias = next(arrays), next(arrays)
        norm = None if layer.norm is None else replace(layer.norm, gamma=next(arrays), beta=next(arrays),
                                                      mean=next(arrays), variance=next(arrays))
        at.append(replace(layer, kernel=kernel, bias=bias, norm=norm))
    return at
