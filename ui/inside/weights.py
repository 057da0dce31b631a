"""The Inside page's weights (the first layer's patterns, every kernel's histogram) and activation functions."""
from __future__ import annotations

import streamlit as st

from fcviz.data.mnist import N_PIXELS
from fcviz.i18n import _
from fcviz.net.forward import DenseWeights, LayerOutput
from fcviz.net.model import layer_title
from fcviz.plots.charts import activation_functions, kernel_images, weight_histograms
from fcviz.plots.style import STATIC
from ui import keys
from ui.chart import chart


def weights(layers: list[DenseWeights]) -> None:
    """The first layer's units as 28×28 patterns (for an MNIST network) and every kernel's histogram."""
    st.header(_("The weights"))
    first = layers[0]
    if first.kernel.shape[0] == N_PIXELS:
        st.markdown(_("Each column of `W1` {shape} is one unit's pattern over the 28×28 image (red raises the unit's "
                      "output, blue lowers it). Random before training; digit-like strokes after.").format(
            shape=first.kernel.shape))
        chart(kernel_images(first.kernel), config=STATIC, key=keys.INSIDE_KERNELS)
    chart(weight_histograms([(f"W{i + 1} {layer.kernel.shape}", layer.kernel)
                                       for i, layer in enumerate(layers)]), config=STATIC, key=keys.INSIDE_HIST)


def activations(layers: list[DenseWeights], outputs: list[LayerOutput]) -> None:
    """The activation functions' curves, with the first hidden layer's `z` for row 0 marked, and what each is for."""
    st.header(_("Activation functions"))
    hidden_acts = [(i, layer.activation) for i, layer in enumerate(layers[:-1])]
    i0, act0 = hidden_acts[0] if hidden_acts else (None, None)
    chart(activation_functions(outputs[i0].pre[0] if i0 is not None else None, act0),
                    config=STATIC, key=keys.INSIDE_ACTS)
    st.markdown(_(
        "- **sigmoid** squashes to 0..1 and was the usual hidden activation; its slope is at most 0.25 and "
        "almost 0 for large |z|, so in deep stacks the gradient fades layer by layer and training stalls.\n"
        "- **relu** = max(0, z): simple, slope 1 for every positive z, so deep networks converge faster and more "
        "sharply — one of the 'heroes' of deep learning, with big data, dropout, batch norm, ResNet and Xavier "
        "initialisation.\n"
        "- **softmax** on the output turns 10 scores into probabilities that sum to 1; training minimises the "
        "cross-entropy `−Σ y_true · log(y)`.\n"
        "- Networks of the 1980s had 3–5 layers; deep networks today stack hundreds.")
        + ("\n" + _("- Marked: the pre-activations `z` of **{layer}** ({activation}) for row 0.").format(
            layer=layer_title(layers[i0].name), activation=act0) if act0 else "")
    )
