"""Saved runs on the pages: reopening a run from its private link, and this device's list of runs."""
from __future__ import annotations

import streamlit as st

from fcviz.files.persist import ModelFileError
from fcviz.i18n import _, percent, reason
from fcviz.plots.charts import compare_figure
from fcviz.plots.style import STATIC
from fcviz.settings import fields
from fcviz.settings.link import Settings, sets_something
from fcviz.store.database import StoreUnavailable
from fcviz.store.labels import label_of
from fcviz.store.runs import RunSummary, SavedRun
from fcviz.store.saved_runs import run_of
from fcviz.train.history import EpochStats
from fcviz.train.training import Run
from ui import keys
from ui import store as db
from ui.chart import chart
from ui.clicks import pressed
from ui.navigation import CLASS, TRAIN, link, page_on_show
from ui.runs import current_run, current_trainer, kept_run, replace_run, take_back
from ui.session import Tone, apply_settings, get_settings, notice
from ui.text import plain


def open_linked_run() -> None:
    """The saved run a session shows without being asked: a link with `run=TOKEN` opens that run (once per
    session and token) with its settings; otherwise a session's first run on a device that saved runs opens the
    newest (the one My runs lists first), and says so once. A run trained or opened in the session is never
    replaced by the newest. Before them, the training this browser's tab had (a reload mid-training:
    `ui.runs.take_back`); the newest run just trained is the same run object, its snapshots with it (`kept_run`)."""
    first = keys.NEWEST_TRIED not in st.session_state
    st.session_state[keys.NEWEST_TRIED] = True
    if first and (trainer := take_back()) is not None:  # a reload mid-training: the training goes on here
        notice(Tone.INFO, _("Your training goes on: {label}").format(label=plain(trainer.run.label)),
               icon=":material/model_training:")
        return
    token = st.query_params.get(fields.RUN_KEY)
    if token:
        _open_link(token)
    elif first:
        _open_newest()


def _open_link(token: str) -> None:
    """A link's saved run, with its settings (reruns), or a line saying why it cannot be opened."""
    run = current_run()
    if (run is not None and run.token == token) or st.session_state.get(keys.RUN_OPENED) == token:
        return
    st.session_state[keys.RUN_OPENED] = token
    s = db.store()
    unavailable = _("This link names a saved run, but it cannot be opened now.") + " " + _(db.NOT_SAVING)
    if s is None:
        notice(Tone.WARNING, unavailable)
        return
    try:
        saved = s.run(token)
    except StoreUnavailable:
        notice(Tone.WARNING, unavailable)
        return
    if saved is None:
        notice(Tone.ERROR, _("There is no saved run at this link: it may have been deleted."))
        return
    try:
        run = kept_run(token) or run_of(saved)  # (a reload: the same run, its snapshots with it)
    except ModelFileError as e:
        notice(Tone.ERROR, _("This saved run's model cannot be read: {reason}").format(reason=plain(reason(e))))
        return
    _show(run, saved)


def _open_newest() -> None:
    """This device's newest saved run, in a session with no network yet. Nothing on a new device, or when it
    cannot be opened (the page is then as it would be without it)."""
    db.device()
    if current_run() is not None or current_trainer() is not None or keys.DEVICE_NEW in st.session_state:
        return
    s = db.store()
    if s is None:
        return
    try:
        runs = s.runs_of(db.device())
        saved = s.run(runs[0].token) if runs else None
        # the run as this browser's last tab had it, when it is still shown there or was a moment ago (a reload): its
        # snapshots with it, so time travel stays (the saved copy has none)
        run = None if saved is None else kept_run(saved.summary.token) or run_of(saved)
    except (StoreUnavailable, ModelFileError):
        return
    if run is None:
        return
    if page_on_show() != CLASS:  # (the projected board is no place for the teacher's own run)
        notice(Tone.INFO, _("Reopened your newest run from My runs: {label}").format(
            label=plain(label_of(saved.summary))), icon=":material/history:")
    _show(run, saved, settings_too=not sets_something(st.query_params.to_dict()))


def _show(run: Run, saved: SavedRun, settings_too: bool = True) -> None:
    """A saved run becomes the session's, with its settings (reruns) unless `settings_too` is False (the
    address bar named settings of its own: they stay)."""
    st.session_state[keys.RUN_OPENED] = saved.summary.token
    replace_run(run)
    if settings_too:
        apply_settings(Settings.from_link(saved.summary.settings)[0].viewed_as(get_settings()))  # reruns


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
            when=ended(r), label=label_of(r), n=len(r.epochs), test=percent(r.test_accuracy),
            train=percent(r.train_accuracy)) + mark)
        actions = row.container(horizontal=True, width="content")  # the two buttons wrap together, never apart
        if pressed(_("Open"), key=keys.my_run_open(r.token), disabled=bool(mark), place=actions):
            st.query_params[fields.RUN_KEY] = r.token
            st.session_state.pop(keys.RUN_OPENED, None)
            st.rerun()
        if pressed(_("Delete"), key=keys.my_run_delete(r.token), place=actions):
            s.delete_run(db.device(), r.token)
            if mark:
                shown.token = None
            st.rerun()
    labels = {r.token: f"{ended(r)} · {label_of(r)}" for r in runs}
    picked = st.multiselect(_("Compare their curves"), list(labels), format_func=labels.get,
                            key=keys.MY_RUNS_COMPARE, max_selections=MAX_COMPARED, placeholder=_("Choose runs…"))
    if picked:
        epochs = {r.token: r.epochs for r in runs}
        chart(compare_figure([(labels[t], [EpochStats(**e) for e in epochs[t]]) for t in picked]),
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
