"""The lecture's lazy-build experiment, run on real Keras objects with their real messages.

A `Dense(units)` has no weights until it knows its input size: `build()` (or the first
call) creates a kernel `(n, units)` and a bias `(units,)`. The batch size never enters the
weights' shapes. Feeding a differently sized input fails with a shape error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import keras
import numpy as np

from fcviz.settings import fields

UNITS = (1, fields.field("units").high)  # Dense(units): the Build page's bounds
INPUTS = (2, fields.field("input").high)  # n inputs: the lecture's wrong input has 8 fewer, at least 1


@dataclass(frozen=True)
class LazyBuildReport:
    """What the lazy-build experiment showed, in Keras' and TensorFlow's own words, for the page to lay out."""

    kernel_error: str  # accessing .kernel before build
    bias_error: str  # accessing .bias before build
    weights_before: list  # get_weights() before build: []
    built_shapes: dict[str, tuple[tuple, tuple]]  # input shape -> (kernel shape, bias shape)
    call_output_shape: tuple  # output of a correct call on a batch of 4
    keras_error: str  # Keras' check when called with the wrong size
    matmul_error: str  # TensorFlow's own MatMul error for the same shapes (the lecture's message)
    wrong_input: tuple


def _error_of(fn) -> str:
    try:
        fn()
    except Exception as e:  # the point is to show whatever Keras/TF says
        text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", str(e).strip().splitlines()[0])  # TF's op prefix
        return f"{type(e).__name__}: {text.removesuffix(' name:').strip()}"
    return "(no error)"


def lazy_build_demo(units: int = 10, n: int = 20) -> LazyBuildReport:
    """Run the lecture's experiment on a `Dense(units)` and inputs of size `n` (within the Build page's bounds,
    ValueError otherwise): the errors before `build()`, the weights' shapes for several batch sizes, a call of the right
    size and one with 8 inputs too few."""
    if not (UNITS[0] <= units <= UNITS[1] and INPUTS[0] <= n <= INPUTS[1]):
        raise ValueError(f"units must be {UNITS[0]}..{UNITS[1]} and n {INPUTS[0]}..{INPUTS[1]}, got units={units}, n={n}")
    layer = keras.layers.Dense(units, name="dense")
    kernel_error = _error_of(lambda: layer.kernel)
    bias_error = _error_of(lambda: layer.bias)
    weights_before = layer.get_weights()

    shapes = {}
    for batch in (None, 2, 32):
        fresh = keras.layers.Dense(units)
        fresh.build((batch, n))
        shapes[str((batch, n))] = (tuple(fresh.kernel.shape), tuple(fresh.bias.shape))

    layer.build((None, n))
    out = layer(np.random.default_rng(0).normal(size=(4, n)).astype("float32"))
    wrong = (4, max(1, n - 8))  # the lecture feeds [4, 12] into a layer built for 20 inputs
    x_wrong = np.zeros(wrong, dtype="float32")
    import tensorflow as tf

    return LazyBuildReport(
        kernel_error=kernel_error,
        bias_error=bias_error,
        weights_before=weights_before,
        built_shapes=shapes,
        call_output_shape=tuple(out.shape),
        keras_error=_error_of(lambda: layer(x_wrong)),
        matmul_error=_error_of(lambda: tf.matmul(x_wrong, layer.kernel)),
        wrong_input=wrong,
    )
