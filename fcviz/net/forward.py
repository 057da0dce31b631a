"""The forward pass in plain numpy, from a Keras model's own weights.

This is the lecture's `h = relu(X @ W + b)` written out: no Keras, no TensorFlow (the weights
come from `fcviz.net.reader.dense_weights`), with batch normalisation between `X @ W + b` and the activation
and a skip connection (`+ h`) where a network has them. It is what the Draw page runs for every stroke (about 0.01 ms, against ~70 ms for `predict()`),
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


def batch_norm(z: np.ndarray, mean: np.ndarray, variance: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
               epsilon: float) -> np.ndarray:
    """(z − μ) / √(σ² + ε) · γ + β: every unit centred and scaled, then stretched and shifted by what it learned.
    Training uses the batch's own μ and σ²; prediction the moving averages kept while training."""
    return (z - mean) / np.sqrt(variance + epsilon) * gamma + beta


@dataclass(frozen=True)
class BatchNorm:
    """A BatchNormalization layer's four weights (γ, β learned; the moving μ and σ² averaged while training) and ε."""

    gamma: np.ndarray
    beta: np.ndarray
    mean: np.ndarray  # moving mean of z, used at prediction time
    variance: np.ndarray  # moving variance of z
    epsilon: float

    @property
    def weights(self) -> tuple[np.ndarray, ...]:
        """γ, β, μ, σ² in Keras' order (`get_weights()`)."""
        return self.gamma, self.beta, self.mean, self.variance


@dataclass(frozen=True)
class DenseWeights:
    """One Dense layer as numpy arrays (`fcviz.net.reader.dense_weights`): all the forward pass needs, without Keras;
    with the batch norm between its `X @ W + b` and its activation (`norm`), and whether its input is added to its
    output (`skip`)."""

    name: str
    kernel: np.ndarray  # W, shape (inputs, units)
    bias: np.ndarray  # b, shape (units,)
    activation: str
    norm: BatchNorm | None = None
    skip: bool = False

    @property
    def weights(self) -> tuple[np.ndarray, ...]:
        """Its arrays in Keras' order (`get_weights()`): W, b, then batch norm's γ, β, μ, σ²."""
        return (self.kernel, self.bias) + (self.norm.weights if self.norm is not None else ())


@dataclass(frozen=True)
class LayerOutput:
    """One layer's values for a batch, before (z) and after (h) its activation: the pages show both."""

    name: str
    pre: np.ndarray  # z = X @ W + b (batch-normalised where the layer has batch norm): the activation's input
    post: np.ndarray  # h = f(z) (+ the layer's input, with a skip connection)
    dense: np.ndarray | None = None  # X @ W + b before batch norm (None without it)


def forward(layers: list[DenseWeights], x: np.ndarray) -> list[LayerOutput]:
    """Every layer's pre- and post-activation for a batch x of shape (batch, inputs)."""
    outputs = []
    h = np.asarray(x, dtype=np.float32)
    for layer in layers:
        z = xwb = np.dot(h, layer.kernel) + layer.bias  # (batch, in) @ (in, units) + (units,) broadcast over the batch
        if layer.norm is not None:  # batch norm, with the moving averages: (z − μ) / √(σ² + ε) · γ + β
            n = layer.norm
            z = batch_norm(xwb, n.mean, n.variance, n.gamma, n.beta, n.epsilon)
        out = ACTIVATIONS[layer.activation](z)
        if layer.skip:  # a skip connection: the layer's input added to its output
            out = out + h
        outputs.append(LayerOutput(layer.name, z, out, xwb if layer.norm is not None else None))
        h = out
    return outputs


def predict_proba(layers: list[DenseWeights], x: np.ndarray) -> np.ndarray:
    """The output layer's class probabilities for a batch x: the prediction, without the layers in between."""
    return forward(layers, x)[-1].post
