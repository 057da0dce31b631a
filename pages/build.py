"""Build: choose the layers and see every kernel, bias and parameter count as Keras reports them."""
import pandas as pd
import streamlit as st

from fcviz.data.mnist import IMAGE_SIDE, N_CLASSES, N_PIXELS
from fcviz.i18n import _, number, reason
from fcviz.net.model import architecture
from fcviz.plots.diagram import network_figure
from fcviz.plots.style import STATIC
from fcviz.settings import fields
from fcviz.settings.spec import LayerSpec, SpecError
from ui import keys
from ui.picks import pick_from_diagram
from ui.frame import frame
from ui.session import get_spec, set_spec
from ui.widgets import preset_buttons, setting

frame()  # first, on every run: settings from the link, classroom view, share box

spec = get_spec()
UNITS, ACT, DROPOUT = fields.field("units"), fields.field("act"), fields.field("dropout")

with st.sidebar:
    st.header(_("Layers"))
    st.caption(_("Input: **{n}** pixels (a {side}×{side} MNIST image, flattened)").format(n=spec.input_size,
                                                                                          side=IMAGE_SIDE)
               if spec.input_size == N_PIXELS else
               _("Input: **{n}** features (the lecture's example)").format(n=spec.input_size))
    n_hidden = setting(fields.HIDDEN_LAYERS, len(spec.hidden))
    hidden = []
    for i in range(n_hidden):
        old = spec.hidden[i] if i < len(spec.hidden) else LayerSpec.added()
        st.markdown(_("**Hidden layer {i}**").format(i=i + 1))
        units = setting(UNITS, old.units, layer=i)
        left, right = st.columns(2)
        with left:
            act = setting(ACT, old.activation, layer=i)
        with right:
            dropout = setting(DROPOUT, old.dropout, layer=i)
        hidden.append((units, act, dropout))
    st.markdown((_("**Output layer**: {n} units, {activation} (one per digit)") if spec.output_units == N_CLASSES
                 else _("**Output layer**: {n} units, {activation}")).format(n=spec.output_units,
                                                                            activation=spec.output_activation))

try:
    spec = spec.with_hidden([LayerSpec(*layer) for layer in hidden])
    set_spec(spec)
except SpecError as e:
    st.error(_("That network can't be built: {reason}. Still showing the last valid one.").format(reason=reason(e)))

arch = architecture(spec)
if spec.output_activation == "softmax" and spec.output_units == 1:
    st.warning(_("A softmax over a single output unit always gives 1.0, whatever the input: use at least two "
                 "outputs (one per class), or a sigmoid for a yes/no answer."))

st.title(_("Build a fully connected network"))
st.markdown(_(
    "Every Dense layer computes **`out = f(X @ W + b)`**: the input `X` has shape `(batch, in)`, "
    "the kernel `W` is `(in, out)`, the bias `b` is `(out,)` and is broadcast over the batch. "
    "`None` in a shape is the batch size: any number of images fits, and the weights never depend on it."
))

layers = [_("{n} {activation}").format(n=h.units, activation=h.activation)
          + (_(" (dropout {rate:g})").format(rate=h.dropout) if h.dropout else "") for h in spec.hidden]
st.markdown(_("**Network** `{name}`: {inputs} inputs, {layers}{outputs} {activation} outputs").format(
    name=spec.name, inputs=spec.input_size, layers="".join(layer + _(", ") for layer in layers),
    outputs=spec.output_units, activation=spec.output_activation))
c1, c2, c3 = st.columns(3)
c1.metric(_("Total params"), number(arch.total_params))
c2.metric(fields.HIDDEN_LAYERS.caption, len(spec.hidden))
c3.metric(_("Memory"), f"{number(arch.total_params * 4 / 1024, 1)} KB",
          help=_("The weights as float32: 4 bytes per parameter"))

st.plotly_chart(network_figure(spec), config=STATIC, key=keys.BUILD_DIAGRAM, on_select=pick_from_diagram,
                selection_mode="points")
st.caption(_("Click a unit of a hidden or output layer to see its own sum for a drawing, on the Draw page."))
if st.session_state.pop(keys.BUILD_GO, False):
    st.switch_page("pages/draw.py")

st.subheader(_("Layers as Keras builds them"))
table = pd.DataFrame(
    {
        _("Layer"): [r.name for r in arch.rows],
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
st.table(table.set_index(_("Layer")))
st.markdown(_("#### Total params: {n}").format(n=number(arch.total_params)))

st.markdown(_("**Networks from the lecture**"))
preset_buttons("build", spec)

with st.expander(_("Keras' own `model.summary()`")):
    st.code(arch.summary, language=None)
