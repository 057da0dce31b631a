"""Keras models from a `NetworkSpec`, and the per-layer facts read back off the built model.

The table is read from Keras itself (weights' shapes, `count_params`) rather than
recomputed, so what the app shows is exactly what Keras would report.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import keras

from fcviz.spec import NetworkSpec


def build_model(spec: NetworkSpec, seed: int | None = None, l2: float = 0.0) -> keras.Sequential:
    """A built Sequential: Input, then Dense (+ Dropout) per hidden layer, then the output Dense.

    `l2` adds an L2 penalty on every kernel (weight decay), one of the cures for overfitting.
    """

    def dense(units: int, activation: str, name: str, i: int) -> keras.layers.Dense:
        return keras.layers.Dense(
            units, activation=activation, name=name,
            kernel_initializer=keras.initializers.GlorotUniform(seed=None if seed is None else seed + i),
            kernel_regularizer=keras.regularizers.L2(l2) if l2 > 0 else None,
        )

    layers: list[keras.layers.Layer] = [keras.Input(shape=(spec.input_size,), name="input")]
    for i, h in enumerate(spec.hidden, 1):
        layers.append(dense(h.units, h.activation, f"hidden_{i}", i))
        if h.dropout > 0:
            layers.append(keras.layers.Dropout(h.dropout, seed=seed, name=f"dropout_{i}"))
    layers.append(dense(spec.output_units, spec.output_activation, "output", 0))
    return keras.Sequential(layers, name="fcviz")


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


def layer_rows(model: keras.Model) -> list[LayerRow]:
    """One row per layer of a built model, read from its variables."""
    rows = []
    for layer in model.layers:
        is_dense = isinstance(layer, keras.layers.Dense)
        rows.append(
            LayerRow(
                name=layer.name,
                kind=type(layer).__name__,
                activation=layer.activation.__name__ if is_dense else "—",
                input_shape=_shape(layer.input.shape),
                output_shape=_shape(layer.output.shape),
                kernel_shape=_shape(layer.kernel.shape) if is_dense else None,
                bias_shape=_shape(layer.bias.shape) if is_dense and layer.use_bias else None,
                params=int(layer.count_params()),
            )
        )
    return rows


def keras_summary(model: keras.Model) -> str:
    """Keras' own `summary()` text."""
    lines: list[str] = []
    model.summary(print_fn=lambda text, **_: lines.append(text))
    return "\n".join(lines)


@dataclass(frozen=True)
class Architecture:
    """What the Build page shows for a spec: rows, total and Keras' summary."""

    rows: tuple[LayerRow, ...]
    total_params: int
    summary: str


@functools.lru_cache(maxsize=128)
def describe(spec: NetworkSpec) -> Architecture:
    """Builds the spec once and keeps only plain facts, so reruns cost a dict lookup."""
    model = build_model(spec)
    return Architecture(tuple(layer_rows(model)), int(model.count_params()), keras_summary(model))
