"""The Inside page's network and input: the session's trained run (at the time-travel point) or freshly built
weights, and the rows of `X` (test digits, my last drawing, or the lecture's random normal input)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from fcviz.data.loading import load_dataset
from fcviz.data.mnist import DIGITS, N_PIXELS
from fcviz.data.sources import SAMPLE
from fcviz.i18n import N_, _
from fcviz.net.forward import DenseWeights
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.net.snapshots import Snapshot
from fcviz.settings.spec import NetworkSpec
from ui import keys
from ui.clicks import pressed
from ui.lang import relabel
from ui.runs import current_run
from ui.timetravel import travel

if TYPE_CHECKING:
    import keras

TEST_DIGITS, MY_DRAWING = N_("Test digits"), N_("My last drawing")  # the input's choices


@st.cache_resource(max_entries=16, show_spinner=False)
def untrained_model(spec: NetworkSpec) -> keras.Model:
    """Freshly built (random, seeded) weights; shared read-only by all sessions."""
    return build_model(spec, seed=0)


@st.cache_resource(max_entries=4, show_spinner=False)
def model_at(_snapshot: Snapshot, _spec: NetworkSpec, run_id: int, x: float) -> keras.Model:
    """A run's network as it was at a time-travel point (run `run_id`, epochs `x`), as a Keras model, for
    numpy vs Keras; read-only once made, so sessions may share it."""
    model = build_model(_spec)
    model.set_weights(list(_snapshot.weights))
    return model


@dataclass
class Shown:
    """The network the page shows: its Keras model, its weights for the numpy pass, and whether it has learned."""

    model: keras.Model
    layers: list[DenseWeights]
    trained: bool
    classes: tuple[str, ...]


def shown_network(spec: NetworkSpec) -> Shown:
    """The session's run when it is `spec` and has learned (with the time-travel slider), else fresh weights; a
    caption says which."""
    run = current_run()
    trained = run is not None and run.spec == spec and run.has_learned
    snapshot = travel(run, "inside") if trained else None
    model = (run.model if snapshot is None else model_at(snapshot, run.spec, run.id, snapshot.x)) if trained \
        else untrained_model(spec)
    st.caption(_("Network `{name}` · ").format(name=spec.name) + (_("trained weights from this session") if trained
               else _("fresh random weights, as right after `build()` (train it on the Train page to see learned "
                      "ones)")))
    return Shown(model, dense_weights(model), trained, run.classes if trained else DIGITS)


def network_input(spec: NetworkSpec, drawing: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """The batch size slider and the input's choice: X (one row per item of the batch), and its true labels or None."""
    left, right = st.columns([3, 2])
    inputs = left.container(horizontal=True, vertical_alignment="bottom")  # the choice and its button, side by side
    batch = right.slider(_("Batch size (rows of X)"), 1, 8, 4, key=keys.INSIDE_BATCH)
    if spec.input_size != N_PIXELS:
        inputs.markdown(_("Input: `X = tf.random.normal([{batch}, {n}])`, as in the lecture").format(
            batch=batch, n=spec.input_size))
        return np.random.default_rng(batch).normal(size=(batch, spec.input_size)).astype(np.float32), None
    relabel(keys.INSIDE_SOURCE)
    source = inputs.radio(_("Input"), [TEST_DIGITS, MY_DRAWING], format_func=_, horizontal=True,
                          key=keys.INSIDE_SOURCE, help=_("Draw on the Draw page to use your own digit."))
    ds = load_dataset(SAMPLE)
    start = st.session_state.setdefault(keys.INSIDE_START, 0)
    if pressed(_("Next digit"), icon=":material/skip_next:", key=keys.INSIDE_NEXT, place=inputs):
        start = st.session_state[keys.INSIDE_START] = (start + 1) % len(ds.y_test)
    if source == MY_DRAWING and drawing is None:
        st.info(_("Nothing drawn yet: draw a digit on the **Draw** page. Showing test digits meanwhile."))
    if source == MY_DRAWING and drawing is not None:
        return np.repeat(drawing.reshape(1, N_PIXELS), batch, axis=0), None
    idx = (start + np.arange(batch)) % len(ds.y_test)
    return ds.x_test[idx], ds.y_test[idx]
