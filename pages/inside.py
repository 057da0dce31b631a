"""Inside: the lecture's math for the current network, live: X @ W + b, softmax, numpy vs Keras, lazy build."""
import inspect

import numpy as np
import pandas as pd
import streamlit as st

from fcviz.data.loading import load_dataset
from fcviz.data.mnist import DIGITS, N_PIXELS
from fcviz.data.sources import SAMPLE
from fcviz.i18n import N_, _
from fcviz.lessons.equations import layer_equation, layer_names
from fcviz.lessons.lazy_build import INPUTS, UNITS, lazy_build_demo
from fcviz.net import forward as numpy_forward
from fcviz.net.forward import forward
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.net.snapshots import Snapshot
from fcviz.plots.charts import activation_functions, kernel_images, probability_bars, weight_histograms
from fcviz.plots.style import STATIC
from fcviz.settings.spec import NetworkSpec
from ui import keys
from ui.frame import frame
from ui.runs import current_run
from ui.session import get_spec, last_drawing
from ui.inside.shapes_lab import naive_loops, shapes_lab
from ui.timetravel import travel
from ui.widgets import preset_buttons

frame()  # first, on every run: settings from the link, classroom view, share box
TEST_DIGITS, MY_DRAWING = N_("Test digits"), N_("My last drawing")  # the input's choices


@st.cache_resource(max_entries=16, show_spinner=False)
def untrained_model(spec: NetworkSpec):
    """Freshly built (random, seeded) weights; shared read-only by all sessions."""
    return build_model(spec, seed=0)


@st.cache_resource(max_entries=4, show_spinner=False)
def model_at(_snapshot: Snapshot, _spec: NetworkSpec, run_id: int, x: float):
    """A run's network as it was at a time-travel point (run `run_id`, epochs `x`), as a Keras model, for
    numpy vs Keras; read-only once made, so sessions may share it."""
    model = build_model(_spec)
    model.set_weights(list(_snapshot.weights))
    return model


spec = get_spec()
st.title(_("Inside the network"))
st.markdown(_("A fully connected layer is **`out = f(X @ W + b)`**. Here it is with your network's real shapes "
              "and numbers, then the same forward pass in plain numpy, and how Keras creates `W` and `b`."))

st.markdown(_("**Networks from the lecture**"))
preset_buttons("inside", spec)

run = current_run()
trained = run is not None and run.spec == spec and run.has_learned
snapshot = travel(run, "inside") if trained else None
model = (run.model if snapshot is None else model_at(snapshot, run.spec, run.id, snapshot.x)) if trained \
    else untrained_model(spec)
layers = dense_weights(model)
st.caption(_("Network `{name}` · ").format(name=spec.name) + (_("trained weights from this session") if trained else
           _("fresh random weights, as right after `build()` (train it on the Train page to see learned ones)")))

# ---- input ---------------------------------------------------------------------------------
left, right = st.columns([3, 2])
inputs = left.container(horizontal=True, vertical_alignment="bottom")  # the input choice and its button, side by side
batch = right.slider(_("Batch size (rows of X)"), 1, 8, 4, key=keys.INSIDE_BATCH)
labels = None
if spec.input_size == N_PIXELS:
    drawing = last_drawing()
    source = inputs.radio(_("Input"), [TEST_DIGITS, MY_DRAWING], format_func=_, horizontal=True,
                          key=keys.INSIDE_SOURCE, help=_("Draw on the Draw page to use your own digit."))
    ds = load_dataset(SAMPLE)
    start = st.session_state.setdefault(keys.INSIDE_START, 0)
    if inputs.button(_("Next digit"), icon=":material/skip_next:", key=keys.INSIDE_NEXT):
        start = st.session_state[keys.INSIDE_START] = (start + 1) % len(ds.y_test)
    if source == MY_DRAWING and drawing is None:
        st.info(_("Nothing drawn yet: draw a digit on the **Draw** page. Showing test digits meanwhile."))
    if source == MY_DRAWING and drawing is not None:
        x = np.repeat(drawing.reshape(1, N_PIXELS), batch, axis=0)
    else:
        idx = (start + np.arange(batch)) % len(ds.y_test)
        x, labels = ds.x_test[idx], ds.y_test[idx]
else:
    inputs.markdown(_("Input: `X = tf.random.normal([{batch}, {n}])`, as in the lecture").format(
        batch=batch, n=spec.input_size))
    x = np.random.default_rng(batch).normal(size=(batch, spec.input_size)).astype(np.float32)

outputs = forward(layers, x)
keras_out = np.asarray(model(x, training=False))

# ---- layer by layer ---------------------------------------------------------------------------
st.header(_("Layer by layer"))
names = layer_names(len(layers))
h = x
for i, (layer, out) in enumerate(zip(layers, outputs)):
    st.code(layer_equation(i, layer, batch, len(layers)), language=None)
    xw = np.dot(h, layer.kernel)
    n_show, n_rows = min(3, layer.kernel.shape[1]), min(batch, 4)
    st.markdown(_("`{x} @ W{i}` has shape `{xw}` and `b{i}` has shape `{b}`: adding them **broadcasts** `b{i}` "
                  "over the batch, the same bias row is added to each of the {batch} rows. First {rows} rows and "
                  "{units} units:").format(x=names[i][0], i=i + 1, xw=xw.shape, b=layer.bias.shape, batch=batch,
                                           rows=n_rows, units=n_show))

    def grid(values: np.ndarray) -> pd.DataFrame:
        table = pd.DataFrame(values[:n_rows, :n_show], columns=[_("unit {n}").format(n=u) for u in range(n_show)])
        return table.rename_axis(_("row")).style.format("{:+.2f}")

    parts = st.columns(4)
    for part, title, values in zip(parts, (
            f"{names[i][0]} @ W{i + 1}", f"+ b{i + 1} " + _("(broadcast)"), "= z",
            f"→ {layer.activation}(z) = {names[i][1]}"),
            (xw, np.broadcast_to(layer.bias, xw.shape), out.pre, out.post)):
        part.markdown(f"**`{title}`**")
        part.table(grid(values))
    if not trained and i == 0:
        st.caption(_("Keras starts every bias at 0, so `+ b` adds nothing yet: train the network and look again."))
    h = out.post

probs = outputs[-1].post[0]
if layers[-1].activation == "softmax":
    st.subheader(_("softmax and argmax"))
    st.latex(r"\mathrm{softmax}(z)_j = \frac{e^{z_j}}{\sum_{k} e^{z_k}}")
    pred = int(np.argmax(probs))
    sums = _("Probabilities for row 0 sum to {total:.4f}; **argmax → {pred}** is the prediction").format(
        total=probs.sum(), pred=pred)
    truth = _(" (the true label is **{label}**)").format(label=labels[0]) if labels is not None else ""
    st.markdown(sums + truth + _("."))
    st.plotly_chart(probability_bars(probs, run.classes if trained else DIGITS), config=STATIC, key="inside_probs")

# ---- numpy vs keras ---------------------------------------------------------------------------
st.header(_("The same forward pass in plain numpy"))
diff = float(np.abs(outputs[-1].post - keras_out).max())
st.metric(_("Largest difference, numpy vs Keras, on this input"), f"{diff:.2e}",
          help=_("float32 rounding: the two compute the same thing in a different order"))
source = "\n\n".join(inspect.getsource(f) for f in (numpy_forward.relu, numpy_forward.sigmoid,
                                                     numpy_forward.softmax, numpy_forward.forward))
st.code(source, language="python", wrap_lines=True)
st.caption(_("This is the code the app runs (read from `fcviz/net/forward.py`), not a copy. The Draw page uses it too: "
             "about 0.02 ms per digit, against ~70 ms for Keras' `model.predict()`."))

shapes_lab()
naive_loops()

# ---- lazy build ----------------------------------------------------------------------------------
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

# ---- weights ---------------------------------------------------------------------------------------
st.header(_("The weights"))
first = layers[0]
if first.kernel.shape[0] == N_PIXELS:
    st.markdown(_("Each column of `W1` {shape} is one unit's pattern over the 28×28 image (red raises the unit's "
                  "output, blue lowers it). Random before training; digit-like strokes after.").format(
        shape=first.kernel.shape))
    st.plotly_chart(kernel_images(first.kernel), config=STATIC, key="inside_kernels")
st.plotly_chart(weight_histograms([(f"W{i + 1} {layer.kernel.shape}", layer.kernel) for i, layer in enumerate(layers)]),
                config=STATIC, key="inside_hist")

# ---- activation functions ------------------------------------------------------------------------
st.header(_("Activation functions"))
hidden_acts = [(i, layer.activation) for i, layer in enumerate(layers[:-1])]
i0, act0 = hidden_acts[0] if hidden_acts else (None, None)
st.plotly_chart(activation_functions(outputs[i0].pre[0] if i0 is not None else None, act0),
                config=STATIC, key="inside_acts")
st.markdown(_(
    "- **sigmoid** squashes to 0..1 and was the usual hidden activation; its slope is at most 0.25 and "
    "almost 0 for large |z|, so in deep stacks the gradient fades layer by layer and training stalls.\n"
    "- **relu** = max(0, z): simple, slope 1 for every positive z, so deep networks converge faster and more "
    "sharply — one of the 'heroes' of deep learning, with big data, dropout, batch norm, ResNet and Xavier "
    "initialisation.\n"
    "- **softmax** on the output turns 10 scores into probabilities that sum to 1; training minimises the "
    "cross-entropy `−Σ y_true · log(y)`.\n"
    "- Networks of the 1980s had 3–5 layers; deep networks today stack hundreds.")
    + ("\n" + _("- Marked: the pre-activations `z` of **hidden_1** ({activation}) for row 0.").format(activation=act0)
       if act0 else "")
)
