"""The Build page's sidebar: the input, one block of controls per hidden layer, the output layer and how the
weights start."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from fcviz.data.mnist import IMAGE_SIDE, N_CLASSES, N_PIXELS
from fcviz.i18n import _, reason
from fcviz.net.model import layer_title
from fcviz.settings import fields
from fcviz.settings.spec import LayerSpec, NetworkSpec, SpecError
from ui.session import set_spec
from ui.widgets import setting

UNITS, ACT, DROPOUT = fields.field("units"), fields.field("act"), fields.field("dropout")
INIT = fields.field("init")
BN, SKIP = fields.field("bn"), fields.field("skip")


def layer_controls(spec: NetworkSpec) -> NetworkSpec:
    """The sidebar's layers and initialisation, started at `spec`; the network they make, kept as the session's. A
    network that can't be built is refused with the reason, and `spec` stays."""
    with st.sidebar:
        st.header(_("Layers"))
        st.caption(_("Input: **{n}** pixels (a {side}×{side} MNIST image, flattened)").format(n=spec.input_size,
                                                                                              side=IMAGE_SIDE)
                   if spec.input_size == N_PIXELS else
                   _("Input: **{n}** features (the lecture's example)").format(n=spec.input_size))
        hidden = [_hidden_layer(spec, i) for i in range(setting(fields.HIDDEN_LAYERS, len(spec.hidden)))]
        st.markdown((_("**Output layer**: {n} units, {activation} (one per digit)") if spec.output_units == N_CLASSES
                     else _("**Output layer**: {n} units, {activation}")).format(n=spec.output_units,
                                                                                activation=spec.output_activation))
        init = setting(INIT, spec.init)  # one start for every kernel (the spread plot under the table shows it)
        skip = setting(SKIP, spec.skip)  # ResNet's idea, network-wide: where the widths match
        if skip:
            st.caption("  \n".join(skip_lines([h[0] for h in hidden], spec.input_size)))
    try:
        spec = replace(spec.with_hidden([LayerSpec(*layer) for layer in hidden]), init=init, skip=skip)
        set_spec(spec)
    except SpecError as e:
        st.error(_("That network can't be built: {reason}. Still showing the last valid one.").format(
            reason=reason(e)))
    return spec


def skip_lines(units: list[int], input_size: int) -> list[str]:
    """Where each hidden layer's input can be added to its output, in words: "hidden_1 → hidden_2: 256 = 256,
    added", "input → hidden_1: 784 ≠ 128, no skip"."""
    names = ["input", *(f"hidden_{i}" for i in range(1, len(units) + 1))]
    widths = [input_size, *units]
    return [(_("`{a}` → `{b}`: {n_in:,} = {n_out:,}, added") if n_in == n_out
             else _("`{a}` → `{b}`: {n_in:,} ≠ {n_out:,}, no skip")).format(a=a, b=b, n_in=n_in, n_out=n_out)
            for a, b, n_in, n_out in zip(map(layer_title, names), map(layer_title, names[1:]), widths, widths[1:])
            ] or [_("No hidden layer: nothing to skip.")]


def _hidden_layer(spec: NetworkSpec, i: int) -> tuple:
    """Hidden layer `i`'s (units, activation, dropout, batch norm); a new layer starts as `LayerSpec.added()`."""
    old = spec.hidden[i] if i < len(spec.hidden) else LayerSpec.added()
    st.markdown(_("**Hidden layer {i}**").format(i=i + 1))
    units = setting(UNITS, old.units, layer=i)
    left, right = st.columns(2)
    with left:
        act = setting(ACT, old.activation, layer=i)
    with right:
        dropout = setting(DROPOUT, old.dropout, layer=i)
    batchnorm = setting(BN, old.batchnorm, layer=i)  # between X @ W + b and the activation
    return units, act, dropout, batchnorm
