"""The Inside page's "Layer by layer": each Dense layer's `X @ W + b` with its real shapes and first numbers,
then softmax and argmax on the output."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from fcviz.i18n import _
from fcviz.lessons.equations import batch_norm_lines, layer_equation, layer_names
from fcviz.net.forward import DenseWeights, LayerOutput
from fcviz.plots.charts import probability_bars
from fcviz.plots.style import STATIC
from ui import keys
from ui.chart import chart

ROWS_SHOWN, UNITS_SHOWN = 4, 3  # of each table of numbers


def layer_by_layer(layers: list[DenseWeights], outputs: list[LayerOutput], x: np.ndarray, trained: bool) -> None:
    """Every layer's equation, and its steps (`X @ W`, `+ b`, `= z`, with batch norm `bn(z)`, `f(z)`, with a skip
    connection `+ X`) as tables of numbers; batch norm's formula with its real numbers."""
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
        titles = [f"{names[i][0]} @ W{i + 1}", f"+ b{i + 1} " + _("(broadcast)"), "= z"]
        values = [xw, np.broadcast_to(layer.bias, xw.shape), out.pre if out.dense is None else out.dense]
        z = "z"
        if layer.norm is not None:
            titles.append(f"→ bn{i + 1}(z) = ẑ")
            values.append(out.pre)
            z = "ẑ"
        skip = f" + {names[i][0]}" if layer.skip else ""
        titles.append(f"→ {layer.activation}({z}){skip} = {names[i][1]}")
        values.append(out.post)
        for part, title, value in zip(st.columns(len(titles)), titles, values):
            part.markdown(f"**`{title}`**")
            part.table(_grid(value, n_rows, n_show))
        if layer.norm is not None:
            _batch_norm(i, out.dense, layer, batch)
        if layer.skip:
            st.caption(_("Skip connection: `{x}` has the same width as the layer's output ({n}), so it is added to "
                         "it, element by element. The gradient flows back along this `+` unchanged.").format(
                x=names[i][0], n=layer.kernel.shape[1]))
        if not trained and i == 0:
            st.caption(_("Keras starts every bias at 0, so `+ b` adds nothing yet: train the network and look "
                         "again."))
        h = out.post


def _batch_norm(i: int, z: np.ndarray, layer: DenseWeights, batch: int) -> None:
    """The formula of batch norm for unit 0 of row 0, with the real numbers: in training (this batch's mean and
    variance) and at prediction time (the moving averages, what the table above used)."""
    training, inference = batch_norm_lines(i, z, layer.norm)
    st.markdown(_("**Batch norm** `bn{i}` centres and scales each unit's `z`, then stretches it by `γ` and shifts it "
                  "by `β` (learned). For unit 0 of row 0:").format(i=i + 1))
    st.code(_("training, with this batch's own μ and σ² ({batch} rows):").format(batch=batch) + f"\n  {training}\n"
            + _("prediction, with the moving averages kept while training:") + f"\n  {inference}",
            language=None, wrap_lines=True)
    if batch == 1:
        st.caption(_("With one row the batch's variance is 0: training needs batches of several rows."))


def _grid(values: np.ndarray, n_rows: int, n_show: int):
    table = pd.DataFrame(values[:n_rows, :n_show], columns=[_("unit {n}").format(n=u) for u in range(n_show)])
    return table.rename_axis(_("row")).style.format("{:+.3f}")  # (two decimals: 1.13 + 0.00 read as 1.14)


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
