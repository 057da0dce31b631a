"""Keras models from a `NetworkSpec`, and what the Build page shows of one.

The table is read back from the built model (`fcviz.net.reader`) rather than recomputed, so what
the app shows is exactly what Keras would report.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import keras

from fcviz.i18n import N_, _
from fcviz.net.reader import LayerRow, layer_rows
from fcviz.settings import initializers
from fcviz.settings.initializers import Init
from fcviz.settings.spec import NetworkSpec

# The layers' names in the Keras model; in English a page shows them as Keras does, in another language as words
LAYER_NAMES = {"input": N_("input"), "hidden": N_("hidden_{n}"), "dropout": N_("dropout_{n}"), "output": N_("output")}


def layer_title(name: str) -> str:
    """A layer's Keras name as a reader of the page's language reads it: `hidden_1` stays `hidden_1` in English
    (the name Keras prints) and is "隐藏层 1" in Chinese; a name fcviz did not give stays as it is."""
    kind, _sep, n = name.rpartition("_") if name[-1:].isdigit() else (name, "", "")
    if kind in LAYER_NAMES and (n.isdigit() or not n):
        return _(LAYER_NAMES[kind]).format(n=n)
    return name


def kernel_initializer(init: Init, seed: int | None = None) -> keras.initializers.Initializer:
    """The Keras initialiser of choice `init` (`fcviz.settings.initializers`), seeded with `seed` when it draws."""
    chosen = initializers.BY_NAME[init]
    seeded = {"seed": seed} if chosen.seeded else {}
    return getattr(keras.initializers, chosen.keras_class)(**dict(chosen.options), **seeded)


def build_model(spec: NetworkSpec, seed: int | None = None, l2: float = 0.0) -> keras.Sequential:
    """A built Sequential: Input, then Dense (+ Dropout) per hidden layer, then the output Dense.

    Every kernel starts as `spec.init` says, hidden layer i seeded with `seed + i` and the output with `seed`, so a
    seed gives the same weights every time. `l2` adds an L2 penalty on every kernel (weight decay), one of the cures
    for overfitting.
    """

    def dense(units: int, activation: str, name: str, i: int) -> keras.layers.Dense:
        return keras.layers.Dense(
            units, activation=activation, name=name,
            kernel_initializer=kernel_initializer(spec.init, None if seed is None else seed + i),
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
