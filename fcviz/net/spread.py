"""How widely each layer's outputs spread before any training: the weights a network starts from (`spec.init`), a
batch of real digits through them, and every Dense layer's pre-activation `z = h @ W + b` summed up per layer.

With a plain normal (σ = 1) the spread grows about √fan_in times per layer; Xavier and He keep it near the input's;
zeros make every z exactly 0. Computed with numpy on the weights Keras draws, once per network (cached).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from fcviz.data.loading import load_dataset
from fcviz.data.mnist import N_PIXELS
from fcviz.data.sources import SAMPLE
from fcviz.net.forward import DenseWeights, forward
from fcviz.net.model import fresh_model
from fcviz.net.reader import dense_weights
from fcviz.settings.spec import NetworkSpec

SPREAD_BATCH = 256  # digits sent through the fresh network: enough for steady percentiles, cheap for 8 × 1,024 units


@dataclass(frozen=True)
class LayerSpread:
    """One Dense layer's pre-activations z for the batch (all units together): their standard deviation, the five
    numbers of a box (smallest, quartiles, largest) and the spread of the kernel that made them."""

    name: str
    fan_in: int
    fan_out: int
    weight_std: float  # of the kernel W as drawn
    std: float  # of z over the batch and the layer's units
    low: float
    q1: float
    median: float
    q3: float
    high: float


@dataclass(frozen=True)
class Spread:
    """Every Dense layer's spread for one network as it starts; `digits`: the batch was real digits (a network of
    another input size gets standard-normal inputs)."""

    layers: tuple[LayerSpread, ...]
    digits: bool


def layer_spreads(layers: list[DenseWeights], x: np.ndarray) -> tuple[LayerSpread, ...]:
    """The spread of every layer's z for batch `x` (shape (batch, inputs)) through `layers`."""
    spreads = []
    for layer, out in zip(layers, forward(layers, x)):
        z = np.asarray(out.pre, dtype=np.float64).ravel()
        low, q1, median, q3, high = (float(v) for v in np.percentile(z, [0, 25, 50, 75, 100]))
        spreads.append(LayerSpread(layer.name, *map(int, layer.kernel.shape), float(np.std(layer.kernel)),
                                   float(np.std(z)), low, q1, median, q3, high))
    return tuple(spreads)


def spread_batch(input_size: int, n: int = SPREAD_BATCH) -> tuple[np.ndarray, bool]:
    """The batch a fresh network is shown: the bundled sample's first `n` test digits when it reads 784 pixels,
    else `n` standard-normal inputs (the lecture's small examples); and whether they are digits."""
    if input_size == N_PIXELS:
        return load_dataset(SAMPLE).x_test[:n], True
    return np.random.default_rng(0).standard_normal((n, input_size)).astype(np.float32), False


@functools.lru_cache(maxsize=64)
def initial_spread(spec: NetworkSpec, seed: int = 0) -> Spread:
    """The spread of every layer's z for `spec` as it starts training with `seed` (the same weights `build_model`
    draws). Cached: the Build page asks on every rerun."""
    x, digits = spread_batch(spec.input_size)
    return Spread(layer_spreads(dense_weights(fresh_model(spec, seed)), x), digits)
