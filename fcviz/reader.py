"""Everything fcviz reads off a Keras model, read one way: the layer table, the Dense weights as
numpy arrays, the `NetworkSpec` it implements, and whether it fits MNIST.

Every page and file loader goes through here, so "a Dense layer" and "784 in, 10 softmax out"
mean the same thing everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from fcviz.forward import DenseWeights
from fcviz.mnist import N_CLASSES, N_PIXELS
from fcviz.spec import LayerSpec, NetworkSpec, SpecError

MNIST_OUTPUT = "softmax"


@dataclass(frozen=True)
class LayerRow:
    name: str
    kind: str
    activation: str
    input_shape: tuple
    output_shape: tuple
    kernel_shape: tuple | None
    bias_shape: tuple | None
    params: int

    @property
    def arithmetic(self) -> str:
        """`784×128 + 128 = 100,480`, the count as the lecture writes it."""
        if self.kernel_shape is None:
            return "0 (no weights)"
        n_in, n_out = self.kernel_shape
        return f"{n_in:,}×{n_out:,} + {n_out:,} = {self.params:,}"


def _shape(shape) -> tuple:
    return tuple(None if d is None else int(d) for d in shape)


def is_dense(layer: keras.layers.Layer) -> bool:
    return isinstance(layer, keras.layers.Dense)


def activation_name(layer: keras.layers.Layer) -> str:
    return layer.activation.__name__


def layer_rows(model: keras.Model) -> list[LayerRow]:
    """One row per layer of a built model, read from its variables (what Keras itself would report)."""
    return [
        LayerRow(
            name=layer.name,
            kind=type(layer).__name__,
            activation=activation_name(layer) if is_dense(layer) else "—",
            input_shape=_shape(layer.input.shape),
            output_shape=_shape(layer.output.shape),
            kernel_shape=_shape(layer.kernel.shape) if is_dense(layer) else None,
            bias_shape=_shape(layer.bias.shape) if is_dense(layer) and layer.use_bias else None,
            params=int(layer.count_params()),
        )
        for layer in model.layers
    ]


def dense_weights(model: keras.Model) -> list[DenseWeights]:
    """The Dense layers as plain arrays, for the numpy forward pass (Dropout does nothing at prediction time)."""
    return [DenseWeights(layer.name, *(np.asarray(w) for w in layer.get_weights()), activation_name(layer))
            for layer in model.layers if is_dense(layer)]


def spec_of(model: keras.Model) -> NetworkSpec:
    """The `NetworkSpec` of a Sequential Dense model, read from its layers (SpecError if it has none)."""
    layers = list(model.layers)
    dense = [layer for layer in layers if is_dense(layer)]
    if not dense:
        raise SpecError("the model has no Dense layer")
    hidden = []
    for i, layer in enumerate(layers):
        if is_dense(layer) and layer is not dense[-1]:
            after = layers[i + 1] if i + 1 < len(layers) else None
            rate = float(after.rate) if isinstance(after, keras.layers.Dropout) else 0.0
            hidden.append(LayerSpec(int(layer.units), activation_name(layer), rate))
    out = dense[-1]
    return NetworkSpec(input_size=int(model.input_shape[-1]), hidden=tuple(hidden), output_units=int(out.units),
                       output_activation=activation_name(out))


def fits_mnist(spec: NetworkSpec) -> bool:
    return spec.input_size == N_PIXELS and spec.output_units == N_CLASSES and spec.output_activation == MNIST_OUTPUT


def check_mnist(spec: NetworkSpec) -> None:
    """Training on or predicting digits needs 784 inputs and 10 softmax outputs: say so instead of failing in Keras."""
    if not fits_mnist(spec):
        raise SpecError(
            f"MNIST needs (None, {N_PIXELS}) to (None, {N_CLASSES}): {N_PIXELS} inputs and {N_CLASSES} {MNIST_OUTPUT} "
            f"outputs; this network has {spec.input_size} inputs and {spec.output_units} {spec.output_activation} "
            "outputs"
        )
