"""How a network reads test digits moved by a few pixels: a fully connected layer has one weight per
pixel and no idea that a digit two pixels to the left is the same digit, so its accuracy falls fast.
Augmentation (small shifts, rotations and zooms of the training images) is the remedy the notes'
successors teach; this measures it, in numpy, on the test set itself.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from fcviz.data.mnist import IMAGE_SIDE, N_PIXELS
from fcviz.net.forward import CHUNK, DenseWeights, predict_proba

SHIFTS = (2, 3, 4)  # pixels
DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0))  # right, left, down, up
MOVES = ((0, 0), *((dy * s, dx * s) for s in SHIFTS for dy, dx in DIRECTIONS))  # (dy, dx): unmoved, then each shift


def shifted(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Images (n, 784) moved by (dy, dx) pixels, the ink pushed off an edge lost and the gap left black."""
    grid = images.reshape(len(images), IMAGE_SIDE, IMAGE_SIDE)
    out = np.zeros_like(grid)
    ys, yd = (slice(0, IMAGE_SIDE - dy), slice(dy, None)) if dy >= 0 else (slice(-dy, None), slice(0, IMAGE_SIDE + dy))
    xs, xd = (slice(0, IMAGE_SIDE - dx), slice(dx, None)) if dx >= 0 else (slice(-dx, None), slice(0, IMAGE_SIDE + dx))
    out[:, yd, xd] = grid[:, ys, xs]
    return out.reshape(len(images), N_PIXELS)


def by_shift(right, n: int) -> dict[int, float]:
    """Accuracy unmoved and per shift (the mean over its directions), from the digits right after each of `MOVES`."""
    per_move = np.asarray(right, np.float64) / n
    return {0: float(per_move[0]), **{s: float(np.mean(per_move[1 + i * len(DIRECTIONS):1 + (i + 1) * len(DIRECTIONS)]))
                                      for i, s in enumerate(SHIFTS)}}


def _right(layers: Sequence[DenseWeights], x: np.ndarray, y: np.ndarray) -> int:
    return sum(int((predict_proba(list(layers), x[i:i + CHUNK]).argmax(axis=1) == y[i:i + CHUNK]).sum())
               for i in range(0, len(y), CHUNK))


def shift_accuracy(layers: Sequence[DenseWeights], x_test: np.ndarray, y_test: np.ndarray,
                   mapped: Callable[[Callable, Iterable], Iterator] = map) -> dict[int, float]:
    """Test accuracy with every digit where it is (0) and moved by each of `SHIFTS` pixels (the average
    over moving it right, left, down and up). `mapped` runs the 13 passes (`map`; a thread pool's `map` shares them
    out between cores: numpy's products let go of the interpreter). A training's worker measures it after the last
    epoch (`fcviz.train.job`); the Train page for a run that came without it."""
    rights = mapped(lambda move: _right(layers, shifted(x_test, *move), y_test), MOVES)
    return by_shift(list(rights), len(y_test))
