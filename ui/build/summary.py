"""The Build page's main part: the network in one line and three numbers, its clickable diagram, its layers as
Keras builds them, the lecture's networks and Keras' own summary."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from fcviz.i18n import _, data_size, number
from fcviz.net.model import Architecture, layer_title, summary_of
from fcviz.plots.diagram import network_figure
from fcviz.plots.style import STATIC
from fcviz.settings import fields
from fcviz.settings.spec import NetworkSpec
from ui import keys
from ui.build.layers import ACT, skip_lines
from ui.chart import FAINT_BOX, chart
from ui.first_paint import later
from ui.folds import folded
from ui.navigation import DRAW
from ui.picks import pick_from_diagram


def softmax_warning(spec: NetworkSpec) -> None:
    """A softmax over one output unit is always 1.0: say so."""
    if spec.output_activation == "softmax" and spec.output_units == 1:
        st.warning(_("A softmax over a single output unit always gives 1.0, whatever the input: use at least two "
                     "outputs (one per class), or a sigmoid for a yes/no answer."))


def network_line(spec: NetworkSpec, arch: Architecture) -> None:
    """The network in one line, and its parameters, depth and memory as numbers."""
    layers = [_("{n} {activation}").format(n=h.units, activation=h.activation)
              + (_(" with batch norm") if h.batchnorm else "")
              + (_(" (dropout {rate:g})").format(rate=h.dropout) if h.dropout else "") for h in spec.hidden]
    st.markdown(_("**Network** `{name}`: {inputs} inputs, {layers}{outputs} {activation} outputs").format(
        name=spec.name, inputs=spec.input_size, layers="".join(layer + _(", ") for layer in layers),
        outputs=spec.output_units, activation=spec.output_activation)
        + (_("; skip connections on {n} of {total} hidden layers").format(
            n=sum(s.fits for s in spec.skips()), total=len(spec.hidden)) if spec.skip else ""))
    with st.container(horizontal=True, wrap=True, gap="medium"):  # side by side on a phone too: one screen
        st.metric(_("Total params"), number(arch.total_params), width="content")
        st.metric(fields.HIDDEN_LAYERS.caption, len(spec.hidden), width="content")
        st.metric(_("Memory"), data_size(arch.total_params * 4), width="content",
                  help=_("The weights as float32: 4 bytes per parameter"))


def diagram(spec: NetworkSpec) -> None:
    """The network's diagram; a click on a unit goes to the Draw page to show that unit's own sum."""
    chart(network_figure(spec), config=STATIC, key=keys.BUILD_DIAGRAM, on_select=pick_from_diagram,
                    selection_mode="points")
    st.caption(_("Click a unit of a hidden or output layer to see its own sum for a drawing, on the Draw page."))
    if st.session_state.pop(keys.BUILD_GO, False):
        st.switch_page(DRAW.script)


# On a phone the table keeps what the lesson reads (layer, output shape, kernel, bias, parameters) and drops type,
# activation, input shape and the arithmetic (the diagram and the line above say them); names never break.
PHONE_TABLE_CSS = f"""<style>
.st-key-{keys.BUILD_TABLE} th:first-child {{ white-space: nowrap; }}
@media (max-width: 640px) {{
  .st-key-{keys.BUILD_TABLE} tr > :nth-child(2), .st-key-{keys.BUILD_TABLE} tr > :nth-child(3),
  .st-key-{keys.BUILD_TABLE} tr > :nth-child(4), .st-key-{keys.BUILD_TABLE} tr > :nth-child(9) {{ display: none; }}
}}
</style>"""


def keras_table(arch: Architecture) -> None:
    """Every layer's shapes and parameters as Keras reports them, and the total."""
    st.subheader(_("Layers as Keras builds them"))
    table = pd.DataFrame(
        {
            _("Layer"): [layer_title(r.name) for r in arch.rows],
            _("Type"): [r.kind for r in arch.rows],
            ACT.caption: [r.activation for r in arch.rows],
            _("Input shape"): [str(r.input_shape) for r in arch.rows],
            _("Output shape"): [str(r.output_shape) for r in arch.rows],
            _("Kernel W"): [str(r.kernel_shape) if r.kernel_shape else "—" for r in arch.rows],
            _("Bias b"): [str(r.bias_shape) if r.bias_shape else "—" for r in arch.rows],
            _("Params"): [number(r.params) for r in arch.rows],
            _("in × out + out"): [r.arithmetic for r in arch.rows],
        }
    )
    st.html(PHONE_TABLE_CSS)
    with st.container(key=keys.BUILD_TABLE):
        st.table(table.set_index(_("Layer")))
    st.markdown(_("#### Total params: {n}").format(n=number(arch.total_params)))
    if arch.non_trainable:
        st.markdown(_("Trainable: **{trained}** · non-trainable: **{fixed}**, batch norm's moving mean μ and variance "
                      "σ²: averaged over the batches while training, never changed by gradient descent, and used "
                      "instead of a batch's own μ and σ² at prediction time.").format(
            trained=number(arch.trainable_params), fixed=number(arch.non_trainable)))


def skip_summary(spec: NetworkSpec) -> None:
    """With skip connections on: where each hidden layer's input is added to its output, and where it cannot be."""
    if spec.skip:
        st.markdown(_("**Skip connections** (ResNet's idea): `h₂ = relu(h₁ @ W + b) + h₁`, where the widths match."))
        st.caption("  \n".join(skip_lines([h.units for h in spec.hidden], spec.input_size)))


SUMMARY_STYLE = f"line-height: 1.2; font-size: 0.8rem; overflow-x: auto; padding: 0.75rem; margin: 0; {FAINT_BOX}; " \
                "color: inherit"


def keras_summary_box(spec: NetworkSpec) -> None:
    """Keras' own `model.summary()`, folded away, and printed only once opened (a new width need not print it). Its
    table is drawn with box characters, so its lines are set close enough to touch (a code block's line spacing broke
    the table between rows), scrolling when narrow. Below the first screen: on a new visitor's first run it comes with
    the next."""
    if later():
        return
    box = folded(_("Keras' own `model.summary()`"), keys.BUILD_SUMMARY_OPEN, on_change="rerun")
    if box.open:
        box.html(f'<pre style="{SUMMARY_STYLE}">{html.escape(summary_of(spec))}</pre>')
