"""The notes' tensor operations on any two shapes (Chollet 2.3): element-wise `+` and `*` with
broadcasting, `np.dot`'s rule, and the naive Python loops against numpy.

Shapes come from a text field, so they are parsed with hard limits, and numpy is asked about
them through zero-stride views (`np.broadcast_to`): its own verdict and error message, without
allocating the arrays. Results are only computed when they are small.
"""
from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from fcviz.i18n import later

MAX_NDIM = 6
MAX_DIM = 10_000
MAX_ELEMENTS = 10**12  # per shape: numpy can describe it (nothing of that size is ever made)
MAX_WORK = 10**6  # multiply-adds numpy may actually do on a verdict (its copies stay under 8 MB)
SHOWN = 60  # arrays up to this many elements are shown with their numbers
SHAPE_TEXT = re.compile(r"^\s*[\(\[]?\s*(\d+\s*(?:[,x×*]\s*\d+\s*)*)?[,]?\s*[\)\]]?\s*$")
OPERATIONS = ("+", "*", "dot")


class ShapeError(ValueError):
    """The text is not a shape this lab takes; the message says what is."""


def parse_shape(text: str) -> tuple[int, ...]:
    """`(2, 3, 4)`, `2,3,4`, `2x3x4`, `(10,)` → a tuple of positive ints, within the lab's limits."""
    text = str(text)[:200]
    match = SHAPE_TEXT.match(text)
    if not match or not match.group(1):
        raise ShapeError(later("write a shape as numbers in brackets, like (2, 3) or (10,); got {text!r}",
                               text=text[:40]))
    dims = tuple(int(d) for d in re.split(r"[,x×*]", match.group(1)) if d.strip())
    if len(dims) > MAX_NDIM:
        raise ShapeError(later("at most {n} axes here; got {got}", n=MAX_NDIM, got=len(dims)))
    if any(not 1 <= d <= MAX_DIM for d in dims):
        raise ShapeError(later("each axis takes 1 to {high:,} elements here", high=MAX_DIM))
    if math.prod(dims) > MAX_ELEMENTS:
        raise ShapeError(later("at most {n:,} elements in all here", n=MAX_ELEMENTS))
    return dims


def _view(shape: tuple[int, ...]) -> np.ndarray:
    """An array of any shape that takes no memory: numpy checks shapes on it as on a real one."""
    return np.broadcast_to(np.float64(0), shape)


@dataclass(frozen=True)
class Axis:
    """One column of the aligned axes: a's size, b's size (None: the axis is missing), and what happens."""

    a: int | None
    b: int | None
    role: str  # "same", "stretched" (a 1 or a missing axis repeated), "mismatch", "summed", "kept-a", "kept-b"


@dataclass(frozen=True)
class Outcome:
    """numpy's verdict on one operation for two shapes: the result's shape or numpy's own error message, the aligned
    axes that explain it, and the result itself when it is small enough to show."""

    operation: str
    shape: tuple[int, ...] | None  # None: numpy refuses
    error: str | None  # numpy's own message
    axes: tuple[Axis, ...]
    result: np.ndarray | None = None  # computed on small example arrays


def broadcast_axes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[Axis, ...]:
    """Axes aligned from the right, as broadcasting aligns them."""
    n = max(len(a), len(b))
    pa, pb = (None,) * (n - len(a)) + a, (None,) * (n - len(b)) + b
    axes = []
    for x, y in zip(pa, pb):
        if x == y:
            role = "same"
        elif x is None or y is None or x == 1 or y == 1:
            role = "stretched"
        else:
            role = "mismatch"
        axes.append(Axis(x, y, role))
    return tuple(axes)


def dot_axes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[Axis, ...]:
    """np.dot sums over a's last axis and b's second-to-last one (its only one if b is a vector);
    a's other axes, then b's other axes, make the result."""
    if not a or not b:
        return ()
    summed_b = len(b) - 2 if len(b) >= 2 else 0
    kept_a = [Axis(d, None, "kept-a") for d in a[:-1]]
    kept_b = [Axis(None, d, "kept-b") for i, d in enumerate(b) if i != summed_b]
    ok = a[-1] == b[summed_b]
    return (*kept_a, Axis(a[-1], b[summed_b], "summed" if ok else "mismatch"), *kept_b)


def examples(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray] | None:
    """Small arrays with real numbers (0, 1, 2, … and 1, 2, 3, …) when both are small enough to read."""
    if math.prod(a) > SHOWN or math.prod(b) > SHOWN:
        return None
    return np.arange(math.prod(a)).reshape(a), np.arange(1, math.prod(b) + 1).reshape(b)


def outcome(operation: str, a: tuple[int, ...], b: tuple[int, ...]) -> Outcome:
    """What numpy says of `a + b`, `a * b` or `np.dot(a, b)` for arrays of these shapes."""
    apply: Callable[[np.ndarray, np.ndarray], np.ndarray] = {"+": np.add, "*": np.multiply, "dot": np.dot}[operation]
    axes = dot_axes(a, b) if operation == "dot" else broadcast_axes(a, b)
    try:
        if operation == "dot":
            shape = _dot_shape(a, b)
        else:
            shape = np.broadcast_shapes(a, b)
    except ValueError:
        shape = None
    if shape is None and operation == "dot" and max(math.prod(a), math.prod(b)) > MAX_WORK:
        return Outcome(operation, None, _dot_refusal(a, b), axes)  # numpy copies its inputs before it checks
    work = math.prod(shape) * (a[-1] if operation == "dot" else 1) if shape is not None else 0
    if shape is None or work <= MAX_WORK:  # numpy's own verdict: its message, or its result
        try:
            shape = apply(_view(a), _view(b)).shape
        except ValueError as e:
            return Outcome(operation, None, str(e), axes)
    small = examples(a, b)
    return Outcome(operation, tuple(shape), None, axes, apply(*small) if small else None)


def _dot_refusal(a: tuple[int, ...], b: tuple[int, ...]) -> str:
    """numpy's message for a dot of shapes that do not line up, in its words (tested against numpy's own)."""
    summed_b = len(b) - 2 if len(b) >= 2 else 0
    text = ",".join(map(str, a)) + ("," if len(a) == 1 else ""), ",".join(map(str, b)) + ("," if len(b) == 1 else "")
    return (f"shapes ({text[0]}) and ({text[1]}) not aligned: {a[-1]} (dim {len(a) - 1}) != {b[summed_b]} "
            f"(dim {summed_b})")


def _dot_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    summed_b = len(b) - 2 if len(b) >= 2 else 0
    if a[-1] != b[summed_b]:
        return None
    return a[:-1] + tuple(d for i, d in enumerate(b) if i != summed_b)


# ---- the notes' naive loops, run as they are written ------------------------------------------------

def naive_relu(x):
    """The notes' element-wise relu as Python loops, run as written and timed against numpy (`time_naive`)."""
    assert len(x.shape) == 2  # x is a 2D tensor
    x = x.copy()  # do not overwrite the input
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = max(x[i, j], 0)
    return x


def naive_add(x, y):
    """The notes' element-wise addition as Python loops, timed against `np.add`."""
    assert len(x.shape) == 2 and x.shape == y.shape
    x = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] += y[i, j]
    return x


def naive_vector_dot(x, y):
    """The notes' dot product of two vectors as one Python loop: the inner step of `naive_matrix_dot`."""
    assert len(x.shape) == 1 and len(y.shape) == 1 and x.shape[0] == y.shape[0]
    z = 0.0
    for i in range(x.shape[0]):
        z += x[i] * y[i]
    return z


def naive_matrix_dot(x, y):
    """The notes' matrix product as Python loops (a vector dot per result element), timed against `np.dot`."""
    assert len(x.shape) == 2 and len(y.shape) == 2 and x.shape[1] == y.shape[0]
    z = np.zeros((x.shape[0], y.shape[1]))
    for i in range(x.shape[0]):
        for j in range(y.shape[1]):
            z[i, j] = naive_vector_dot(x[i, :], y[:, j])
    return z


NAIVE = {"relu": (naive_relu, lambda x, y: np.maximum(x, 0.0)), "add": (naive_add, np.add),
         "dot": (naive_matrix_dot, np.dot)}
TIMED_SIDES = (16, 32, 64)  # n×n matrices: 64 is about 0.1 s of Python loops for the dot
_one_at_a_time = threading.Lock()  # a class pressing "Time them" together queues: the clock stays honest


@dataclass(frozen=True)
class Timing:
    """One of the notes' naive loops against numpy on the same matrices: both times, and whether their numbers agree."""

    name: str
    naive_seconds: float
    numpy_seconds: float
    same: bool  # the two gave the same numbers

    @property
    def ratio(self) -> float:
        """How many times faster numpy was (infinite when its time read as 0)."""
        return self.naive_seconds / self.numpy_seconds if self.numpy_seconds > 0 else float("inf")


def _seconds(f: Callable[[], object], at_least: float = 0.005) -> float:
    """Seconds per call, repeating fast calls until they add up to `at_least` (one call of numpy is too
    short for the clock)."""
    calls, start = 0, time.perf_counter()
    while True:
        f()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= at_least:
            return elapsed / calls


def time_naive(side: int, seed: int = 0) -> list[Timing]:
    """Each naive loop against numpy on random side×side matrices, timed here and now."""
    if side not in TIMED_SIDES:
        raise ShapeError(later("the loops are timed on {sides} matrices", sides=", ".join(f"{s}×{s}" for s in TIMED_SIDES)))
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(side, side)), rng.normal(size=(side, side))
    with _one_at_a_time:
        return [_timed(name, naive, fast, x, y) for name, (naive, fast) in NAIVE.items()]


def _timed(name: str, naive: Callable, fast: Callable, x: np.ndarray, y: np.ndarray) -> Timing:
    start = time.perf_counter()
    slow = naive(x) if name == "relu" else naive(x, y)  # once: the loops are slow enough for the clock
    seconds = time.perf_counter() - start
    return Timing(name, seconds, _seconds(lambda: fast(x, y)), bool(np.allclose(slow, fast(x, y))))
