"""Saved runs on the pages: reopening a run from its private link, and this device's list of runs."""
from __future__ import annotations

import streamlit as st

from fcviz.files.persist import ModelFileError
from fcviz.i18n import _, percent, reason
from fcviz.plots.charts import compare_figure
from fcviz.plots.style import STATIC
from fcviz.settings import fields
from fcviz.settings.link import Settings
from fcviz.store.database import StoreUnavailable
from fcviz.store.runs import RunSummary
from fcviz.store.saved_runs import run_of
from fcviz.train.history import EpochStats
from fcviz.train.training import Run
from ui import keys
from ui import store as db
from ui.navigation import TRAIN, link
from ui.runs import current_run, replace_run
from ui.session import apply_settings, get_settings
from ui.text import plain


def open_linked_run() -> None:
    """A link with `run=TOKEN` opens that saved run (once per session and token) with its settings."""
    token = st.query_params.get(fields.RUN_KEY)
    run = current_run()
    if not token or (run is not None and run.token == token) or st.session_state.get(keys.RUN_OPENED) == token:
        return
    st.session_state[keys.RUN_OPENED] = token
    s = db.store()
    if s is None:
        st.warning(_("This link names a saved run, but it cannot be opened now.") + " " + _(db.NOT_SAVING))
        return
    try:
        saved = s.run(token)
        if saved is None:
            st.error(_("There is no saved run at this link: it may have been deleted."))
            return
        run = run_of(saved)
    except StoreUnavailable:
        st.warning(_("This link names a saved run, but it cannot be opened now.") + " " + _(db.NOT_SAVING))
        return
    except ModelFileError as e:
        st.error(_("This saved run's model cannot be read: {reason}").format(reason=plain(reason(e))))
        return
    replace_run(run)
    settings = Settings.from_link(saved.summary.settings)[0].viewed_as(get_settings())
    apply_settings(settings)  # reruns, with the run on show and its link in the URL


MAX_COMPARED = 8  # curves overlaid at once: more are unreadable


def ended(run: RunSummary) -> str:
    """When a saved run ended, as My runs lists it."""
    return f"{run.created:%Y-%m-%d %H:%M}"


def my_runs() -> None:
    """This device's saved runs: open one, compare their curves, or delete one."""
    s = db.store()
    if s is None:
        st.caption(_(db.NOT_SAVING))
        return
    try:
        runs = s.runs_of(db.device())
    except StoreUnavailable:
        st.caption(_(db.NOT_SAVING))
        return
    if not runs:
        st.caption(_("Runs you train are saved here when they end, and stay after a reload or a server restart."))
        return
    shown = current_run()
    for r in runs:
        row = st.container(horizontal=True, vertical_alignment="center")
        mark = _(" (on show)") if shown is not None and shown.token == r.token else ""
        row.text(_("{when} · {label} · {n} epochs · test {test}, train {train}").format(
            when=ended(r), label=r.label, n=len(r.epochs), test=percent(r.test_accuracy),
            train=percent(r.train_accuracy)) + mark)
        if row.button(_("Open"), key=keys.my_run_open(r.token), disabled=bool(mark)):
            st.query_params[fields.RUN_KEY] = r.token
            st.session_state.pop(keys.RUN_OPENED, None)
            st.rerun()
        if row.button(_("Delete"), key=keys.my_run_delete(r.token)):
            s.delete_run(db.device(), r.token)
            if mark:
                shown.token = None
            st.rerun()
    labels = {r.token: f"{ended(r)} · {r.label}" for r in runs}
    picked = st.multiselect(_("Compare their curves"), list(labels), format_func=labels.get,
                            key=keys.MY_RUNS_COMPARE, max_selections=MAX_COMPARED, placeholder=_("Choose runs…"))
    if picked:
        epochs = {r.token: r.epochs for r in runs}
        st.plotly_chart(compare_figure([(labels[t], [EpochStats(**e) for e in epochs[t]]) for t in picked]),
                        key=keys.MY_RUNS_COMPARE_CHART, config=STATIC)


def private_link(token: str) -> str:
    """The address that opens saved run `token` on the Train page, for its owner to keep or hand on."""
    return link(TRAIN, {fields.RUN_KEY: token})


def saved_note(run: Run) -> None:
    """Under a run's results: where it is saved (its private link), or why it is not."""
    if run.token:
        st.caption(_("Saved. This run's private link opens it again, curves, test results and model, after a "
                     "reload or a server restart; whoever has the link can see it."))
        st.code(private_link(run.token), language=None, wrap_lines=True)
    elif run.save_error:
        st.warning(_("This run was not saved: {reason}").format(reason=plain(_(run.save_error))))
    elif db.store() is None:
        st.caption(_(db.NOT_SAVING))
