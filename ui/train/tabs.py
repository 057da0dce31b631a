"""The Train page after a training, below the curves: where the run is saved, then its results in tabs a student
opens (the test set, moved digits, time travel, code and downloads, compare runs).

Only the open tab is drawn (`st.tabs(..., on_change="rerun")`: a click on a tab reruns the page), so a hidden tab
costs the server nothing. The open tab is kept across reruns (a slider moved in it, a training ended) as long as
the tabs' labels stay the same: hence always the same five, each saying so when it has nothing to show.
"""
from __future__ import annotations

from typing import Callable

import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.data.sources import SAMPLE
from fcviz.i18n import _
from fcviz.settings.spec import NetworkSpec
from fcviz.train.training import Run
from ui import keys
from ui.saved import saved_note
from ui.train.compare import compare_runs
from ui.train.export import downloads
from ui.train.moved import moved_digits
from ui.train.results import test_results
from ui.train.travel import time_travel
from ui.train.words import CODE_AND_DOWNLOADS, COMPARE_RUNS, MOVED_DIGITS, RESULT_TABS, TEST_SET, TIME_TRAVEL, words_for


def results(run: Run | None, spec: NetworkSpec, dataset: Dataset) -> None:
    """The run's private link and its results' tabs, once it has been evaluated; before that, only this
    session's earlier runs to compare, if any."""
    if run is None or run.evaluation is None:
        compare_runs(run)
        return
    saved_note(run)
    sections: dict[str, Callable[[], None]] = {
        TEST_SET: lambda: test_results(run, dataset),
        MOVED_DIGITS: lambda: _moved(run, dataset),
        TIME_TRAVEL: lambda: time_travel(run, dataset),
        CODE_AND_DOWNLOADS: lambda: downloads(run, spec, dataset.source if _same_data(run, dataset) else SAMPLE),
        COMPARE_RUNS: lambda: _compare(run),
    }
    tabs = st.tabs([_(name) for name in RESULT_TABS], key=keys.TRAIN_RESULTS, on_change="rerun")
    for name, tab in zip(RESULT_TABS, tabs):
        if tab.open:
            with tab:
                sections[name]()


def _same_data(run: Run, dataset: Dataset) -> bool:
    return run.dataset_name == dataset.name


def _moved(run: Run, dataset: Dataset) -> None:
    if _same_data(run, dataset):
        moved_digits(run, dataset)
    else:
        st.caption(_("This run trained on other data than the page shows now: choose that data set again to "
                     "measure it on moved {items}.").format(items=_(words_for(run.classes).tested)))


def _compare(run: Run) -> None:
    if not compare_runs(run):
        st.caption(_("Train another network, or a series of the lecture's experiments, and this session's runs are "
                     "overlaid here. The runs of earlier visits are under **My runs** below."))
