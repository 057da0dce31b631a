"""Build: choose the layers and see every kernel, bias and parameter count as Keras reports them."""
import pandas as pd
import streamlit as st

from fcviz import fields
from fcviz.diagram import network_figure
from fcviz.mnist import IMAGE_SIDE, N_CLASSES, N_PIXELS
from fcviz.model import architecture
from fcviz.spec import LayerSpec, SpecError
from fcviz.style import STATIC
from ui.frame import frame
from ui.session import get_spec, set_spec
from ui.widgets import preset_buttons, setting

frame()  # first, on every run: settings from the link, classroom view, share box

spec = get_spec()
UNITS, ACT, DROPOUT = fields.field("units"), fields.field("act"), fields.field("dropout")

with st.sidebar:
    st.header("Layers")
    st.caption(f"Input: **{spec.input_size}** pixels (a {IMAGE_SIDE}×{IMAGE_SIDE} MNIST image, flattened)"
               if spec.input_size == N_PIXELS else f"Input: **{spec.input_size}** features (the lecture's example)")
    n_hidden = setting(fields.HIDDEN_LAYERS, len(spec.hidden))
    hidden = []
    for i in range(n_hidden):
        old = spec.hidden[i] if i < len(spec.hidden) else LayerSpec.added()
        st.markdown(f"**Hidden layer {i + 1}**")
        units = setting(UNITS, old.units, layer=i)
        left, right = st.columns(2)
        with left:
            act = setting(ACT, old.activation, layer=i)
        with right:
            dropout = setting(DROPOUT, old.dropout, layer=i)
        hidden.append((units, act, dropout))
    st.markdown(f"**Output layer**: {spec.output_units} units, {spec.output_activation}"
                + (" (one per digit)" if spec.output_units == N_CLASSES else ""))

try:
    spec = spec.with_hidden([LayerSpec(*layer) for layer in hidden])
    set_spec(spec)
except SpecError as e:
    st.error(f"That network can't be built: {e}. Still showing the last valid one.")

arch = architecture(spec)
if spec.output_activation == "softmax" and spec.output_units == 1:
    st.warning("A softmax over a single output unit always gives 1.0, whatever the input: use at least two "
               "outputs (one per class), or a sigmoid for a yes/no answer.")

st.title("Build a fully connected network")
st.markdown(
    "Every Dense layer computes **`out = f(X @ W + b)`**: the input `X` has shape `(batch, in)`, "
    "the kernel `W` is `(in, out)`, the bias `b` is `(out,)` and is broadcast over the batch. "
    "`None` in a shape is the batch size: any number of images fits, and the weights never depend on it."
)

st.markdown(f"**Network** `{spec.name}`: {spec.input_size} inputs, "
            + "".join(f"{h.units} {h.activation}" + (f" (dropout {h.dropout:g})" if h.dropout else "") + ", "
                      for h in spec.hidden)
            + f"{spec.output_units} {spec.output_activation} outputs")
c1, c2, c3 = st.columns(3)
c1.metric("Total params", f"{arch.total_params:,}")
c2.metric(fields.HIDDEN_LAYERS.label, len(spec.hidden))
c3.metric("Memory", f"{arch.total_params * 4 / 1024:,.1f} KB", help="The weights as float32: 4 bytes per parameter")

st.plotly_chart(network_figure(spec), config=STATIC, key="build_diagram")

st.subheader("Layers as Keras builds them")
table = pd.DataFrame(
    {
        "Layer": [r.name for r in arch.rows],
        "Type": [r.kind for r in arch.rows],
        ACT.label: [r.activation for r in arch.rows],
        "Input shape": [str(r.input_shape) for r in arch.rows],
        "Output shape": [str(r.output_shape) for r in arch.rows],
        "Kernel W": [str(r.kernel_shape) if r.kernel_shape else "—" for r in arch.rows],
        "Bias b": [str(r.bias_shape) if r.bias_shape else "—" for r in arch.rows],
        "Params": [f"{r.params:,}" for r in arch.rows],
        "in × out + out": [r.arithmetic for r in arch.rows],
    }
)
st.table(table.set_index("Layer"))
st.markdown(f"#### Total params: {arch.total_params:,}")

st.markdown("**Networks from the lecture**")
preset_buttons("build", spec)

with st.expander("Keras' own `model.summary()`"):
    st.code(arch.summary, language=None)
