"""The lecture's experiments on the Train page: load one, or train a series of them one after another.

A series trains in steps, each over two script runs. `next_in_series` switches the session to the next step's
settings with `apply_settings`, which never returns: it reruns the script (`st.rerun()` raises). On that rerun
the sidebar's controls are drawn at the step's settings, `next_in_series` finds the session already there, takes
the step off the list and says to train it. The next step waits until that training has ended.
"""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _
from fcviz.lessons.presets import EXPERIMENTS, SERIES
from fcviz.settings.link import Settings
from ui import keys
from ui.session import apply_settings, get_settings


def experiment_picker() -> None:
    """The lecture's experiments: pick one, read what to look for, load its settings."""
    st.header(_("Lecture experiments"))
    name = st.selectbox(_("Experiment"), list(EXPERIMENTS), format_func=_, index=None,
                        placeholder=_("Choose an experiment…"), key=keys.SHARE_EXPERIMENT)
    if name is None:
        return
    what, settings = EXPERIMENTS[name]
    st.caption(_(what))
    current = get_settings()
    if st.button(_("Load this experiment"), key=keys.SHARE_LOAD_EXPERIMENT, icon=":material/science:"):
        apply_settings(settings.viewed_as(current))
    if name in SERIES and st.button(_("Train all {n}, one after another").format(n=len(SERIES[name])),
                                    key=keys.SHARE_TRAIN_SERIES, icon=":material/playlist_play:",
                                    help=_("Each trains when the one before ends; then they are overlaid under "
                                           "Compare runs.")):
        st.session_state[keys.TRAIN_SERIES] = [EXPERIMENTS[step][1] for step in SERIES[name]]
        st.rerun()


def series_left() -> list[Settings]:
    """The settings still to train, one after another (a lecture series); empty when there is none."""
    return st.session_state.setdefault(keys.TRAIN_SERIES, [])


def next_in_series(busy: bool) -> bool:
    """True when the series' next step is to be trained now (nothing is training, the settings are the step's).

    When the session's settings are not yet the step's, this does not return: `apply_settings` reruns the
    script with them, and the same call on that rerun returns True (see the module's docstring)."""
    series = series_left()
    if not series or busy:
        return False
    step = series[0].viewed_as(get_settings())
    if get_settings() != step:
        apply_settings(step)  # never returns: the rerun draws the controls at the step's settings and comes back
    series.pop(0)
    return True


def series_note() -> None:
    """While a series runs: how many are still to come."""
    if series := series_left():
        st.info(_("Training a series of runs one after another: {n} more after this one. Compare them under "
                  "**Compare runs** when they are done.").format(n=len(series)))
