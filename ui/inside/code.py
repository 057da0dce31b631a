"""The Inside page's code: the same forward pass in plain numpy (the app's own, against Keras), and how Keras
creates `W` and `b` only once it knows the input size."""
from __future__ import annotations

import inspect

import numpy as np
import streamlit as st

from fcviz.i18n import _
from fcviz.lessons.lazy_build import INPUTS, UNITS, lazy_build_demo
from fcviz.net import forward as numpy_forward
from fcviz.net.forward import LayerOutput
from ui import keys


def numpy_vs_keras(outputs: list[LayerOutput], keras_out: np.ndarray) -> None:
    """How far numpy's output is from Keras' on this input, and the numpy code itself."""
    st.header(_("The same forward pass in plain numpy"))
    diff = float(np.abs(outputs[-1].post - keras_out).max())
    st.metric(_("Largest difference, numpy vs Keras, on this input"), f"{diff:.2e}",
              help=_("float32 rounding: the two compute the same thing in a different order"))
    source = "\n\n".join(inspect.getsource(f) for f in (numpy_forward.relu, numpy_forward.sigmoid,
                                                         numpy_forward.softmax, numpy_forward.batch_norm,
                                                         numpy_forward.forward))
    st.code(source, language="python", wrap_lines=True)
    st.caption(_("This is the code the app runs (read from `fcviz/net/forward.py`), not a copy. The Draw page uses it "
                 "too: about 0.02 ms per digit, against ~70 ms for Keras' `model.predict()`."))


def lazy_build() -> None:
    """A Dense layer before and after `build()`, with the real messages Keras and TensorFlow give."""
    st.header(_("Keras creates W and b only when it knows the input size"))
    l1, l2 = st.columns(2)
    units = l1.number_input(_("units in Dense(units)"), *UNITS, 10, key=keys.INSIDE_UNITS)
    n = l2.number_input(_("n: input size"), *INPUTS, 20, key=keys.INSIDE_N)
    report = lazy_build_demo(int(units), int(n))
    st.code(
        f"net = tf.keras.layers.Dense({units})\n"
        f"net.kernel         # {report.kernel_error}\n"
        f"net.bias           # {report.bias_error}\n"
        f"net.get_weights()  # {report.weights_before}\n"
        + "".join(f"Dense({units}).build(input_shape={shape}) → kernel {k}, bias {b}\n"
                  for shape, (k, b) in report.built_shapes.items())
        + f"net(x of shape (4, {n})).shape  # {report.call_output_shape}\n"
        f"net(x of shape {report.wrong_input})\n"
        f"# {report.keras_error}\n"
        f"tf.matmul(x of shape {report.wrong_input}, net.kernel)\n"
        f"# {report.matmul_error}",
        language="python", wrap_lines=True,
    )
    st.caption(_("The batch size (None, 2, 32) never changes the weights: only the number of input features does. "
                 "Real messages from the installed Keras and TensorFlow."))
