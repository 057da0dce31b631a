"""A network's loss and accuracy on a whole set, in numpy: what a training measures on the test set after every epoch.

In the model's TensorFlow graph this pass took a few milliseconds, but its graph (and the moved digits' one) was traced
and optimised once per architecture: ~0.5 s of the first training of every network a student builds, on a worker two
classes share. Here it is the forward pass the Draw page runs (`fcviz.net.forward`), on a copy of the weights, so a
training's worker scores one epoch on its spare core while the next epoch trains (`fcviz.train.job`). The numbers are
Keras' own: `fit`'s `val_loss` and `val_accuracy` (a test holds them equal).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from fcviz.net.forward import CHUNK, DenseWeights, LayerOutput, forward

EPSILON = 1e-7  # Keras' `backend.epsilon()`: probabilities are clipped to [ε, 1 − ε] before their log
LOGITS_KEPT = ("softmax", "sigmoid")  # Keras keeps these activations' input beside their output, and its cross-entropy
# reads that input (the logits) instead of the probabilities: no clipping, no rounding to 0


@dataclass(frozen=True)
class Scores:
    """A model's loss, accuracy and predicted classes on a whole set: the test set after each epoch."""

    loss: float
    accuracy: float
    predictions: np.ndarray


def cross_entropy(out: LayerOutput, activation: str, y: np.ndarray) -> np.ndarray:
    """Each sample's −log p(its class) as Keras' sparse categorical cross-entropy computes it from the output layer's
    values: a softmax over the logits where Keras reads them (`LOGITS_KEPT`), else over the log of the outputs clipped
    to [ε, 1 − ε] (so outputs that do not sum to 1 are normalised, as Keras does)."""
    if activation in LOGITS_KEPT:
        logits = np.asarray(out.pre, np.float64)
    else:
        logits = np.log(np.clip(np.asarray(out.post, np.float64), EPSILON, 1 - EPSILON))
    top = logits.max(axis=1, keepdims=True)
    log_total = np.log(np.exp(logits - top).sum(axis=1)) + top[:, 0]
    return log_total - logits[np.arange(len(y)), y]


def l2_penalty(layers: Sequence[DenseWeights], l2: float) -> float:
    """The L2 term Keras adds to the loss (`l2` × the sum of every kernel's squared weights): weight decay."""
    return float(l2 * sum(np.square(layer.kernel, dtype=np.float64).sum() for layer in layers)) if l2 else 0.0


def scores(layers: Sequence[DenseWeights], x: np.ndarray, y: np.ndarray, l2: float = 0.0) -> Scores:
    """Loss (mean cross-entropy plus the L2 penalty, as `fit` reports `val_loss`), accuracy and predictions of the
    network `layers` on `x`, `y`, `CHUNK` samples at a time (the widest network's activations stay small)."""
    layers = list(layers)
    total, right, predictions = 0.0, 0, []
    for i in range(0, len(y), CHUNK):
        out, labels = forward(layers, x[i:i + CHUNK])[-1], np.asarray(y[i:i + CHUNK], np.int64)
        total += float(cross_entropy(out, layers[-1].activation, labels).sum())
        predicted = out.post.argmax(axis=1)
        right += int((predicted == labels).sum())
        predictions.append(predicted)
    n = max(len(y), 1)
    return Scores(total / n + l2_penalty(layers, l2), right / n,
                  np.concatenate(predictions) if predictions else np.zeros(0, np.int64))
