"""The forward pass in plain numpy, from a Keras model's own weights.

This is the lecture's `h = relu(X @ W + b)` written out: no Keras, no TensorFlow (the weights
come from `fcviz.net.reader.dense_weights`). It is what the Draw page runs for every stroke (about 0.01 ms, against ~70 ms for `predict()`),
and the Inside page shows this very source and compares it with Keras.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK = 2048  # images per forward pass over a test set: bounds the memory of the widest network's activations


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z): positive sums pass, the rest become 0."""
    return np.maximum(z, 0.0)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e⁻ᶻ): every sum squashed into (0, 1)."""
    return 1.0 / (1.0 + np.exp(-z))


def tanh(z: np.ndarray) -> np.ndarray:
    """Every sum squashed into (-1, 1), centred on 0."""
    return np.tanh(z)


def linear(z: np.ndarray) -> np.ndarray:
    """No activation: z itself, as Keras' "linear"."""
    return z


def softmax(z: np.ndarray) -> np.ndarray:
    """Each row's exponentials shared out to sum to 1: the output layer's class probabilities."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # subtracting the max changes nothing but avoids overflow
    return e / e.sum(axis=-1, keepdims=True)


ACTIVATIONS = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh, "linear": linear, "softmax": softmax}


@dataclass(frozen=True)
class DenseWeights:
    """One Dense layer as numpy arrays (`fcviz.net.reader.dense_weights`): all the forward pass needs, without Keras."""

    name: str
    kernel: np.ndarray  # W, shape (inputs, units)
    bias: np.ndarray  # b, shape (units,)
    activation: str


@dataclass(frozen=True)
class LayerOutput:
    """One layer's values for a batch, before (z) and after (h) its activation: the pages show both."""

    name: str
    pre: np.ndarray  # z = X @ W + b
    post: np.ndarray  # h = f(z)


def forward(layers: list[DenseWeights], x: np.ndarray) -> list[LayerOutput]:
    """Every layer's pre- and post-activation for a batch x of shape (batch, inputs)."""
    outputs = []
    h = np.asarray(x, dtype=np.float32)
    for layer in layers:
        z = np.dot(h, layer.kernel) + layer.bias  # (batch, in) @ (in, units) + (units,) broadcast over the batch
        h = ACTIVATIONS[layer.activation](z)
        outputs.append(LayerOutput(layer.name, z, h))
    return outputs


def predict_proba(layers: list[DenseWeights], x: np.ndarray) -> np.ndarray:
    """The output layer's class probabilities for a batch x: the prediction, without the layers in between."""
    return forward(layers, x)[-1].post
