"""Keras models from a `NetworkSpec`, and what the Build page shows of one.

The table is read back from the built model (`fcviz.net.reader`) rather than recomputed, so what
the app shows is exactly what Keras would report.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import keras
import numpy as np

from fcviz.i18n import N_, _
from fcviz.net.reader import LayerRow, layer_rows
from fcviz.settings import fields, initializers
from fcviz.settings.initializers import Init
from fcviz.settings.spec import NetworkSpec

# The layers' names in the Keras model; in English a page shows them as Keras does, in another language as words
LAYER_NAMES = {"input": N_("input"), "hidden": N_("hidden_{n}"), "dropout": N_("dropout_{n}"), "output": N_("output"),
               "batchnorm": N_("batchnorm_{n}"), "activation": N_("activation_{n}"), "skip": N_("skip_{n}")}


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


def build_model(spec: NetworkSpec, seed: int | None = None, l2: float = 0.0) -> keras.Model:
    """A built model: Input, then per hidden layer a Dense (with BatchNormalization and an Activation after it when
    the layer has batch norm), its Dropout, and with skip connections an Add of the layer's input where the widths
    match; then the output Dense.

    Without skip connections it is a Sequential (the layers, names and weights fcviz always built, so old files
    still load); with them the same layers wired with the functional API, each Add joining a layer's output to
    its input. Every kernel starts as `spec.init` says, hidden layer i seeded with `seed + i` and the output with
    `seed`, so a seed gives the same weights every time. `l2` adds an L2 penalty on every kernel (weight decay),
    one of the cures for overfitting.
    """

    def dense(units: int, activation: str, name: str, i: int) -> keras.layers.Dense:
        return keras.layers.Dense(
            units, activation=activation, name=name,
            kernel_initializer=kernel_initializer(spec.init, None if seed is None else seed + i),
            kernel_regularizer=keras.regularizers.L2(l2) if l2 > 0 else None,
        )

    blocks: list[list[keras.layers.Layer]] = []  # each hidden layer's chain of layers
    for i, h in enumerate(spec.hidden, 1):
        if h.batchnorm:  # z = X @ W + b, normalised, then the activation
            block = [dense(h.units, "linear", f"hidden_{i}", i), keras.layers.BatchNormalization(name=f"batchnorm_{i}"),
                     keras.layers.Activation(h.activation, name=f"activation_{i}")]
        else:
            block = [dense(h.units, h.activation, f"hidden_{i}", i)]
        if h.dropout > 0:
            block.append(keras.layers.Dropout(h.dropout, seed=seed, name=f"dropout_{i}"))
        blocks.append(block)
    inputs = keras.Input(shape=(spec.input_size,), name="input")
    output = dense(spec.output_units, spec.output_activation, "output", 0)
    if not spec.skip:
        return keras.Sequential([inputs, *(layer for block in blocks for layer in block), output], name="fcviz")
    h = inputs
    for i, block in enumerate(blocks, 1):
        out = h
        for layer in block:
            out = layer(out)
        h = keras.layers.Add(name=f"skip_{i}")([out, h]) if spec.skip_at(i) else out  # h₂ = f(h₁ @ W + b) + h₁
    return keras.Model(inputs, output(h), name="fcviz")


def keras_summary(model: keras.Model) -> str:
    """Keras' own `summary()` text."""
    lines: list[str] = []
    model.summary(print_fn=lambda text, **_: lines.append(text))
    return "\n".join(lines)


@dataclass(frozen=True)
class Architecture:
    """What the Build page shows for a spec: rows and totals (Keras' own summary is `summary_of`, read when asked)."""

    rows: tuple[LayerRow, ...]
    total_params: int
    trainable_params: int = -1  # -1: all of them (batch norm's moving mean and variance are not trainable)

    @property
    def non_trainable(self) -> int:
        """The parameters gradient descent never changes: batch norm's moving mean and variance."""
        return 0 if self.trainable_params < 0 else self.total_params - self.trainable_params


@functools.lru_cache(maxsize=4)
def fresh_model(spec: NetworkSpec, seed: int) -> keras.Model:
    """`spec` as it starts training with `seed`, built once for what the Build page reads of a new network (its
    table and its weights' spread): a new width is one Keras build, not two. Shared between sessions: read it,
    never train or change it."""
    return build_model(spec, seed=seed)


@functools.lru_cache(maxsize=128)
def architecture(spec: NetworkSpec) -> Architecture:
    """What the Build page shows for `spec`. Builds it once and keeps only plain facts, so reruns cost a dict lookup.
    The shapes and counts do not depend on the seed: read from the training's default start."""
    model = default_start(spec)
    trainable = sum(int(np.prod(v.shape)) for v in model.trainable_weights)
    return Architecture(tuple(layer_rows(model)), int(model.count_params()), trainable)


@functools.lru_cache(maxsize=16)
def summary_of(spec: NetworkSpec) -> str:
    """Keras' own `summary()` of `spec`, for the Build page's folded box once it is opened: printing it was a fifth
    of what a new width cost the page server, for a box few open."""
    return keras_summary(default_start(spec))


def default_start(spec: NetworkSpec) -> keras.Model:
    """`spec` as a training with the default seed starts it: what the Build page's table and Keras' summary read."""
    return fresh_model(spec, fields.field("seed").default)
