"""How a network reads test digits moved by a few pixels: a fully connected layer has one weight per
pixel and no idea that a digit two pixels to the left is the same digit, so its accuracy falls fast.
Augmentation (small shifts, rotations and zooms of the training images) is the remedy the notes'
successors teach; this measures it, in numpy, on the test set itself.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from fcviz.data.mnist import IMAGE_SIDE, N_PIXELS
from fcviz.net.forward import CHUNK, DenseWeights, predict_proba

SHIFTS = (2, 3, 4)  # pixels
DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0))  # right, left, down, up


def shifted(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Images (n, 784) moved by (dy, dx) pixels, the ink pushed off an edge lost and the gap left black."""
    grid = images.reshape(len(images), IMAGE_SIDE, IMAGE_SIDE)
    out = np.zeros_like(grid)
    ys, yd = (slice(0, IMAGE_SIDE - dy), slice(dy, None)) if dy >= 0 else (slice(-dy, None), slice(0, IMAGE_SIDE + dy))
    xs, xd = (slice(0, IMAGE_SIDE - dx), slice(dx, None)) if dx >= 0 else (slice(-dx, None), slice(0, IMAGE_SIDE + dx))
    out[:, yd, xd] = grid[:, ys, xs]
    return out.reshape(len(images), N_PIXELS)


def _accuracy(layers: Sequence[DenseWeights], x: np.ndarray, y: np.ndarray) -> float:
    right = sum(int((predict_proba(list(layers), x[i:i + CHUNK]).argmax(axis=1) == y[i:i + CHUNK]).sum())
                for i in range(0, len(y), CHUNK))
    return right / len(y)


def shift_accuracy(layers: Sequence[DenseWeights], x_test: np.ndarray, y_test: np.ndarray,
                   shifts: Sequence[int] = SHIFTS) -> dict[int, float]:
    """Test accuracy with every digit where it is (0) and moved by each of `shifts` pixels (the average
    over moving it right, left, down and up)."""
    result = {0: _accuracy(layers, x_test, y_test)}
    for s in shifts:
        result[s] = float(np.mean([_accuracy(layers, shifted(x_test, dy * s, dx * s), y_test)
                                   for dy, dx in DIRECTIONS]))
    return result
