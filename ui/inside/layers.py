"""The Inside page's "Layer by layer": each Dense layer's `X @ W + b` with its real shapes and first numbers,
then softmax and argmax on the output."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from fcviz.i18n import _
from fcviz.lessons.equations import layer_equation, layer_names
from fcviz.net.forward import DenseWeights, LayerOutput
from fcviz.plots.charts import probability_bars
from fcviz.plots.style import STATIC
from ui import keys
from ui.chart import chart

ROWS_SHOWN, UNITS_SHOWN = 4, 3  # of each table of numbers


def layer_by_layer(layers: list[DenseWeights], outputs: list[LayerOutput], x: np.ndarray, trained: bool) -> None:
    """Every layer's equation, and its four steps (`X @ W`, `+ b`, `= z`, `f(z)`) as tables of numbers."""
    st.header(_("Layer by layer"))
    batch, names = len(x), layer_names(len(layers))
    h = x
    for i, (layer, out) in enumerate(zip(layers, outputs)):
        st.code(layer_equation(i, layer, batch, len(layers)), language=None)
        xw = np.dot(h, layer.kernel)
        n_show, n_rows = min(UNITS_SHOWN, layer.kernel.shape[1]), min(batch, ROWS_SHOWN)
        st.markdown(_("`{x} @ W{i}` has shape `{xw}` and `b{i}` has shape `{b}`: adding them **broadcasts** `b{i}` "
                      "over the batch, the same bias row is added to each of the {batch} rows. First {rows} rows and "
                      "{units} units:").format(x=names[i][0], i=i + 1, xw=xw.shape, b=layer.bias.shape, batch=batch,
                                               rows=n_rows, units=n_show))
        parts = st.columns(4)
        for part, title, values in zip(parts, (
                f"{names[i][0]} @ W{i + 1}", f"+ b{i + 1} " + _("(broadcast)"), "= z",
                f"→ {layer.activation}(z) = {names[i][1]}"),
                (xw, np.broadcast_to(layer.bias, xw.shape), out.pre, out.post)):
            part.markdown(f"**`{title}`**")
            part.table(_grid(values, n_rows, n_show))
        if not trained and i == 0:
            st.caption(_("Keras starts every bias at 0, so `+ b` adds nothing yet: train the network and look "
                         "again."))
        h = out.post


def _grid(values: np.ndarray, n_rows: int, n_show: int):
    table = pd.DataFrame(values[:n_rows, :n_show], columns=[_("unit {n}").format(n=u) for u in range(n_show)])
    return table.rename_axis(_("row")).style.format("{:+.2f}")


def softmax_and_argmax(layers: list[DenseWeights], outputs: list[LayerOutput], labels: np.ndarray | None,
                       classes: tuple[str, ...]) -> None:
    """For a softmax output: the formula, row 0's probabilities and the prediction (with the true label)."""
    if layers[-1].activation != "softmax":
        return
    probs = outputs[-1].post[0]
    st.subheader(_("softmax and argmax"))
    st.latex(r"\mathrm{softmax}(z)_j = \frac{e^{z_j}}{\sum_{k} e^{z_k}}")
    pred = int(np.argmax(probs))
    sums = _("Probabilities for row 0 sum to {total:.4f}; **argmax → {pred}** is the prediction").format(
        total=probs.sum(), pred=pred)
    truth = _(" (the true label is **{label}**)").format(label=labels[0]) if labels is not None else ""
    st.markdown(sums + truth + _("."))
    chart(probability_bars(probs, classes), config=STATIC, key=keys.INSIDE_PROBS)
