"""One unit's own arithmetic for one input, and which input pixels would change a class's probability.

Both are read off the numpy forward pass (`fcviz.net.forward`) that the Draw page already runs, so what a
student sees is the very sum that made the prediction: `z = Σ xᵢ·wᵢ + b`, `h = f(z)`, and its
derivative taken back through every layer by the chain rule (checked against TensorFlow's own
gradient in the tests).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from fcviz.data.mnist import IMAGE_SIDE
from fcviz.data.preprocess import BOX
from fcviz.net.forward import ACTIVATIONS, DenseWeights, LayerOutput

# f'(z) of each element-wise activation, from z and h = f(z) (softmax mixes its units: see `input_gradient`)
DERIVATIVES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "relu": lambda z, h: (z > 0).astype(z.dtype),
    "sigmoid": lambda z, h: h * (1 - h),
    "tanh": lambda z, h: 1 - h * h,
    "linear": lambda z, h: np.ones_like(z),
}


@dataclass(frozen=True)
class UnitSum:
    """`output = f(Σ inputs·weights + bias)` for one unit of one layer, with every number in it."""

    layer: str
    unit: int
    activation: str
    inputs: np.ndarray  # what the layer reads: the 784 pixels, or the previous layer's outputs
    weights: np.ndarray  # the unit's column of the kernel W, one weight per input
    bias: float
    output: float  # f(z); for softmax this unit's share of all the layer's units (+ its input, with a skip)
    normed: float | None = None  # z after batch norm, (z − μ) / √(σ² + ε) · γ + β: the activation's input
    added: float | None = None  # the input added to f(…) by a skip connection

    @property
    def contributions(self) -> np.ndarray:
        """xᵢ·wᵢ: what each input adds to the sum (0 where the input is 0, however large its weight)."""
        return self.inputs * self.weights

    @property
    def total(self) -> float:
        """Σ xᵢ·wᵢ before the bias is added: the sum the page writes out (added in float64)."""
        return float(self.contributions.sum(dtype=np.float64))

    @property
    def z(self) -> float:
        """The weighted sum plus the bias: the activation's input."""
        return self.total + self.bias


def unit_sum(layers: list[DenseWeights], outputs: list[LayerOutput], x: np.ndarray, layer: int,
             unit: int) -> UnitSum:
    """Unit `unit` of Dense layer `layer` (0 = the first) for the one input x of shape (1, inputs)."""
    inputs = np.asarray(x, dtype=np.float32)[0] if layer == 0 else outputs[layer - 1].post[0]
    weights, out = layers[layer], outputs[layer]
    return UnitSum(weights.name, unit, weights.activation, inputs, weights.kernel[:, unit],
                   float(weights.bias[unit]), float(out.post[0, unit]),
                   normed=float(out.pre[0, unit]) if weights.norm is not None else None,
                   added=float(inputs[unit]) if weights.skip else None)


def input_gradient(layers: list[DenseWeights], outputs: list[LayerOutput], target: int) -> np.ndarray:
    """∂ output[target] / ∂ x for one input: how a little more ink on each pixel would move that class's
    probability (positive: more of it). Shape (inputs,). Backpropagation through the forward pass's
    own z and h, one layer at a time: through f by f'(z) (softmax by its Jacobian), through batch norm by
    γ / √(σ² + ε), through `X @ W + b` by `@ W.T`, and past the layer unchanged along a skip connection."""
    last = outputs[-1].post[0]
    grad = np.zeros_like(last, dtype=np.float64)
    grad[target] = 1.0
    for weights, out in zip(reversed(layers), reversed(outputs)):
        z = out.pre[0].astype(np.float64)
        h = ACTIVATIONS[weights.activation](z) if weights.skip else out.post[0].astype(np.float64)  # f(z) alone
        passed = grad  # a skip connection hands the gradient straight back to the layer's input
        if weights.activation == "softmax":  # ∂hⱼ/∂zₖ = hⱼ(δⱼₖ − hₖ)
            grad = h * (grad - np.dot(grad, h))
        else:
            grad = grad * DERIVATIVES[weights.activation](z, h)
        if weights.norm is not None:  # batch norm at prediction time scales each unit by γ / √(σ² + ε)
            grad = grad * weights.norm.gamma / np.sqrt(weights.norm.variance + weights.norm.epsilon)
        grad = weights.kernel.astype(np.float64) @ grad
        if weights.skip:
            grad = grad + passed
    return grad


def strongest_pixel(gradient: np.ndarray) -> tuple[int, int]:
    """(row, column) of the largest push towards the class inside the 20×20 box where MNIST puts its digits:
    outside it no training image has ink, so those weights keep their random start and mean nothing."""
    margin = (IMAGE_SIDE - BOX) // 2
    inner = gradient.reshape(IMAGE_SIDE, IMAGE_SIDE)[margin:IMAGE_SIDE - margin, margin:IMAGE_SIDE - margin]
    row, col = np.unravel_index(int(np.argmax(inner)), inner.shape)
    return int(row) + margin, int(col) + margin
