"""Keras models from a `NetworkSpec`, and what the Build page shows of one.

The table is read back from the built model (`fcviz.net.reader`) rather than recomputed, so what
the app shows is exactly what Keras would report.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import keras

from fcviz.net.reader import LayerRow, layer_rows
from fcviz.settings.spec import NetworkSpec


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
def architecture(spec: NetworkSpec) -> Architecture:
    """What the Build page shows for `spec`. Builds it once and keeps only plain facts, so reruns cost a dict lookup."""
    model = build_model(spec)
    return Architecture(tuple(layer_rows(model)), int(model.count_params()), keras_summary(model))
