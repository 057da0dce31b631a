"""Time travel: one epoch slider, shared by Train, Draw and Inside, that replays the run's snapshots
(`fcviz.net.snapshots`). Each page reads the network at the chosen point; "now" is the run's own model."""
from __future__ import annotations

import numpy as np
import streamlit as st

from fcviz.i18n import _
from fcviz.net.forward import DenseWeights, predict_proba
from fcviz.net.reader import dense_weights
from fcviz.net.snapshots import Snapshot, layers_at
from fcviz.train.diagnosis import diagnose
from fcviz.train.history import best_epoch
from fcviz.train.training import Evaluation, Run, evaluation_of
from ui import keys
from ui.runs import training_now

EVALUATIONS_KEPT = 8  # a session's confusion matrices of points travelled to


def _label(x: float, best: int | None, overfit: int | None) -> str:
    if x == 0:
        return _("start")
    if x < 1:
        return _("{share} of epoch 1").format(share={0.125: "⅛", 0.25: "¼", 0.5: "½"}.get(x, f"{x:.2f}"))
    mark = " ★" if int(x) == best else (" ⚠" if int(x) == overfit else "")
    return f"{int(x)}{mark}"


def _remember(widget: str) -> None:
    st.session_state[keys.TRAVEL_AT] = st.session_state[widget]


def can_travel(run: Run | None) -> bool:
    """Whether `travel` draws its slider: a run with weights kept along the way, not training now."""
    return run is not None and len(run.snapshots) >= 2 and not training_now()


def looking_back(run: Run) -> bool:
    """Whether the point chosen (on any page) is before the run's end: the slider is then shown open."""
    at = st.session_state.get(keys.TRAVEL_AT)
    return at is not None and at in [s.x for s in run.snapshots[:-1]]


def travel(run: Run | None, page: str) -> Snapshot | None:
    """The slider on `page` (when the run has snapshots and is not training): the snapshot chosen, or None
    for the run as it is now. The point chosen is kept for the other pages."""
    if not can_travel(run):
        return None
    xs = [s.x for s in run.snapshots]
    diagnosis = diagnose(run.epochs, run.batches, run.setup()) if run.epochs else None
    best = diagnosis.best_epoch if diagnosis else None
    overfit = diagnosis.overfitting_since if diagnosis else None
    widget = keys.travel(page)
    at = st.session_state.get(keys.TRAVEL_AT)
    st.session_state[widget] = at if at in xs else xs[-1]  # a new run, or thinned: back to now
    st.select_slider(_("Time travel: the network after epoch …"), xs, key=widget,
                     format_func=lambda x: _label(x, best, overfit), on_change=_remember, args=(widget,),
                     help=_("★ the epoch with the lowest test loss · ⚠ where overfitting began. Kept: the start, "
                            "three points inside the first epoch (where most of the change happens) and every "
                            "epoch, thinned out for long runs and wide networks."))
    chosen = next(s for s in run.snapshots if s.x == st.session_state[widget])
    if chosen is run.snapshots[-1]:
        return None
    st.info(_("You are looking back: the network as it was at **{point}** of {n} epochs. Move the slider to the end "
              "for the network as it is now.").format(point=_label(chosen.x, best, overfit), n=len(run.epochs)))
    return chosen


def layers_of(run: Run, snapshot: Snapshot | None) -> list[DenseWeights]:
    """`run`'s weights at `snapshot` (None: as they are now), for the numpy forward pass."""
    layers = dense_weights(run.model)
    return layers if snapshot is None else layers_at(layers, snapshot.weights)


def evaluation_at(run: Run, snapshot: Snapshot, x_test: np.ndarray, y_test: np.ndarray) -> Evaluation:
    """The test results of the network at `snapshot` (numpy forward pass), kept for a few points."""
    kept = st.session_state.setdefault(keys.TRAVEL_EVALUATIONS, {})
    key = (run.id, snapshot.x, len(y_test))
    if key not in kept:
        layers = layers_of(run, snapshot)
        probs = predict_proba(layers, x_test)
        kept[key] = evaluation_of(probs.argmax(axis=1), y_test)
        while len(kept) > EVALUATIONS_KEPT:
            kept.pop(next(iter(kept)))
    return kept[key]


def best_snapshot(run: Run) -> Snapshot | None:
    """The snapshot of the epoch with the lowest test loss, when it is not the run's last one."""
    if not run.epochs or len(run.snapshots) < 2:
        return None
    best = best_epoch(run.epochs)
    found = next((s for s in run.snapshots if s.epoch == best), None)
    return found if found is not None and found is not run.snapshots[-1] else None
