"""What a training leaves behind, epoch by epoch and batch by batch: plain records, no TensorFlow,
so the charts, the curve reading and the files can use them without loading Keras."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class EpochStats:
    """One epoch of the curves: train and test loss and accuracy, how long it took and the rate it used."""

    epoch: int  # 1-based over the whole run: Continue carries on counting
    loss: float
    accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float
    learning_rate: float = float("nan")  # the rate used in this epoch (files from before decay lack it)


@dataclass(frozen=True)
class BatchPoint:
    """A point of the training curve between epochs, so the curve moves before an epoch ends; with the size of each
    layer's kernel gradient over its batches (the mean absolute value of ∂loss/∂w, first hidden layer first,
    output last), so vanishing gradients show as they happen. Runs saved before they were measured have none."""

    x: float  # position in epochs: 2.5 is half-way through epoch 3
    loss: float
    accuracy: float
    grads: tuple[float, ...] = ()

    def row(self) -> list[float]:
        """The point as one flat list of plain numbers, [x, loss, accuracy, *grads]: messages and the class store."""
        return [self.x, self.loss, self.accuracy, *self.grads]

    @classmethod
    def of_row(cls, row: Sequence[float]) -> "BatchPoint":
        """Inverse of `row`; a row of three (saved before the gradients were measured) has no gradients."""
        return cls(float(row[0]), float(row[1]), float(row[2]), tuple(float(g) for g in row[3:]))


def best_epoch(epochs: Sequence[EpochStats]) -> int | None:
    """The epoch (1-based) with the lowest test loss: where early stopping would have stopped."""
    return min(epochs, key=lambda e: e.test_loss).epoch if epochs else None
