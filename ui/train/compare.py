"""The Train page's "Compare runs" tab (this session's runs overlaid) and its bottom: this browser's saved runs,
and a model file to load."""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _
from fcviz.plots.charts import compare_figure
from fcviz.train.training import Run
from ui import keys
from ui.chart import chart
from ui.models import show_upload
from ui.runs import past_runs
from ui.saved import my_runs


def compare_runs(run: Run | None) -> bool:
    """The current run's curves and the earlier ones of this session, overlaid, when there are two or more;
    whether there were."""
    runs = ([(run.label, list(run.epochs))] if run is not None and run.epochs else []) + past_runs()
    if len(runs) <= 1:
        return False
    labels = [label for label, _epochs in runs]
    chosen = st.multiselect(_("Runs to overlay (dashed: test, solid: train)"), labels, default=labels[:3],
                            key=keys.TRAIN_COMPARE)
    if chosen:
        chart(compare_figure([r for r in runs if r[0] in chosen]), key=keys.TRAIN_COMPARE_CHART)
    return True


def kept_runs() -> None:
    """The two ways back to an earlier model: this browser's saved runs, and a .keras file."""
    with st.expander(_("My runs: every run trained in this browser, kept after a reload or a server restart")):
        my_runs()
    with st.expander(_("Load a saved model (.keras) to continue training it or to use it on the other pages")):
        show_upload(keys.upload("train"))
