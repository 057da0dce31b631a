"""The class's own handwriting as a test set: a run's Dense weights kept beside its model (so the
board can test every run without loading Keras), and its accuracy on the class's drawings.

A Dense net trained on centred MNIST digits reads real handwriting worse than MNIST's test set:
"MNIST test 92 % · our class's handwriting 71 %" shows it, measured on the class's own drawings.
"""
from __future__ import annotations

import io

import numpy as np

from fcviz.data.mnist import N_PIXELS
from fcviz.net.forward import BatchNorm, DenseWeights, predict_proba

MAX_OWN = 200  # drawings one session keeps as its own test set (200 × 3 KB)


NORM = ("gamma", "beta", "mean", "variance")  # a batch norm's arrays, stored as gamma_i, …, with epsilon_i


def pack(layers: list[DenseWeights]) -> bytes:
    """The weights as an `.npz`: kernel_i, bias_i, a batch norm's gamma_i, beta_i, mean_i, variance_i and epsilon_i,
    the activations and the skip connections (no pickled objects)."""
    arrays = {}
    for i, layer in enumerate(layers):
        arrays[f"kernel_{i}"], arrays[f"bias_{i}"] = layer.kernel.astype(np.float32), layer.bias.astype(np.float32)
        if layer.norm is not None:
            for name, values in zip(NORM, layer.norm.weights):
                arrays[f"{name}_{i}"] = values.astype(np.float32)
            arrays[f"epsilon_{i}"] = np.float64(layer.norm.epsilon)
    arrays["activations"] = np.array([layer.activation for layer in layers])
    arrays["skips"] = np.array([layer.skip for layer in layers], dtype=bool)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def unpack(data: bytes) -> list[DenseWeights]:
    """The layers `pack` stored, for the numpy forward pass (nothing is unpickled; weights packed before batch norm
    and skip connections existed read as layers without them)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        acts = [str(a) for a in z["activations"]]
        skips = [bool(s) for s in z["skips"]] if "skips" in z.files else [False] * len(acts)

        def norm(i: int) -> BatchNorm | None:
            if f"gamma_{i}" not in z.files:
                return None
            return BatchNorm(*(z[f"{name}_{i}"] for name in NORM), float(z[f"epsilon_{i}"]))

        return [DenseWeights(f"dense_{i}", z[f"kernel_{i}"], z[f"bias_{i}"], a, norm(i), skip)
                for i, (a, skip) in enumerate(zip(acts, skips))]


def predictions(layers: list[DenseWeights], images: np.ndarray) -> np.ndarray:
    """What the network reads in each of `images` (n×28×28 in 0..1)."""
    return predict_proba(layers, images.reshape(len(images), N_PIXELS)).argmax(axis=1)


def accuracy(layers: list[DenseWeights], images: np.ndarray, labels: np.ndarray) -> float | None:
    """The share of `images` (n×28×28 in 0..1) read as their `labels`; None with no drawings."""
    if len(labels) == 0:
        return None
    return float((predictions(layers, images) == labels).mean())
