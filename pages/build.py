"""Build: choose the layers and see every kernel, bias and parameter count as Keras reports them."""
import streamlit as st

from fcviz.i18n import _
from fcviz.net.model import architecture
from ui.build.layers import layer_controls
from ui.build.spread import spread_section
from ui.build.summary import diagram, keras_summary_box, keras_table, network_line, skip_summary, softmax_warning
from ui.frame import frame
from ui.session import get_settings, get_spec
from ui.widgets import preset_buttons

frame()  # first, on every run: settings from the link, classroom view, share box

spec = layer_controls(get_spec())
arch = architecture(spec)
softmax_warning(spec)

st.title(_("Build a fully connected network"))
st.markdown(_(
    "Every Dense layer computes **`out = f(X @ W + b)`**: the input `X` has shape `(batch, in)`, "
    "the kernel `W` is `(in, out)`, the bias `b` is `(out,)` and is broadcast over the batch. "
    "`None` in a shape is the batch size: any number of images fits, and the weights never depend on it."
))
network_line(spec, arch)
diagram(spec)
keras_table(arch)
skip_summary(spec)

st.markdown(_("**Networks from the lecture**"))
preset_buttons("build", spec)

spread_section(spec, get_settings().training.seed)
keras_summary_box(spec)
