"""The Train page's "Compare runs" tab (this session's runs overlaid) and its bottom: this browser's saved runs,
and a model file to load."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from fcviz.i18n import _, percent
from fcviz.lessons.heroes import GOOD_ACCURACY, HeroRow, hero_of, heroes_table
from fcviz.plots.charts import compare_figure
from fcviz.train.training import Run
from ui import keys
from ui.chart import chart
from ui.folds import folded
from ui.models import show_upload
from ui.runs import PastRun, past_runs
from ui.saved import my_runs


def compare_runs(run: Run | None) -> bool:
    """The current run's curves and the earlier ones of this session, overlaid, when there are two or more;
    whether there were. Under them, once two steps of the heroes lesson have trained, its table."""
    runs = ([PastRun.of(run)] if run is not None and run.epochs else []) + past_runs()
    if len(runs) <= 1:
        return False
    steps = [hero_of(r.network, r.training) for r in runs]  # a step of the heroes lesson is named by its hero
    labels = [f"{_(step.name)} · {r.label}" if step else r.label for r, step in zip(runs, steps)]
    table = heroes_table([(r.network, r.training, r.epochs) for r in runs])
    heroes = [label for label, step in zip(labels, steps) if step]
    chosen = st.multiselect(_("Runs to overlay (dashed: test, solid: train)"), labels,
                            default=heroes if len(table) > 1 else labels[:3], key=keys.TRAIN_COMPARE,
                            placeholder=_("Choose runs…"))
    if chosen:  # the legend says how long each trained: two runs apart only in their epochs draw one curve at first
        chart(compare_figure([(f"{label} · " + _("{n} epochs").format(n=len(r.epochs)), r.epochs)
                              for label, r in zip(labels, runs) if label in chosen]), key=keys.TRAIN_COMPARE_CHART)
    if len(table) > 1:
        _heroes(table)
    return True


def _heroes(table: list[HeroRow]) -> None:
    """The heroes lesson's end: what each hero added, in test accuracy and in epochs to 90 %."""
    st.markdown(_("**The heroes of deep learning, one at a time**"))
    st.table(pd.DataFrame({
        _("step"): [_(row.hero) for row in table],
        _("test accuracy"): [percent(row.test_accuracy) for row in table],
        _("epochs to {accuracy}").format(accuracy=percent(GOOD_ACCURACY, 0)): [
            "—" if row.epochs_to_good is None else str(row.epochs_to_good) for row in table]}).set_index(_("step")))


def kept_runs() -> None:
    """The two ways back to an earlier model: this browser's saved runs, and a .keras file."""
    with folded(_("My runs: every run trained in this browser, kept after a reload or a server restart"), keys.MY_RUNS_OPEN):
        my_runs()
    with folded(_("Load a saved model (.keras) to continue training it or to use it on the other pages"),
                keys.LOAD_RUN_OPEN):
        show_upload(keys.upload("train"))
