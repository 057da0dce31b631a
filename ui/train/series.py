"""The lecture's experiments at the top of the Train page: one click loads one (its network and settings, in the
classroom view and language the session has), the Train button runs it; or train a series of them one after another.

An experiment is a pill, marked while the session's settings are the experiment's (so a slider moved since
unmarks it). A click loads it with `apply_settings`, which never returns: it reruns the script (`st.rerun()`
raises), and on that rerun the sidebar's controls are drawn at the experiment's settings.

A series trains in steps, each over two script runs. `next_in_series` switches the session to the next step's
settings with `apply_settings`. On that rerun the sidebar's controls are drawn at the step's settings,
`next_in_series` finds the session already there, takes the step off the list and says to train it. The next step
waits until that training has ended.
"""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _
from fcviz.lessons.presets import EXPERIMENTS, SERIES
from fcviz.settings.link import Settings
from ui import keys
from ui.clicks import pressed
from ui.session import apply_settings, get_settings

# On a phone the fifteen pills would fill the first screen: there they make one row that scrolls sideways, its right
# edge fading out and a line under it saying so (a walk found nothing told a student the row went on).
NARROW_CSS = """<style>@media (max-width: 640px) {{
.st-key-{key} [role="radiogroup"] {{ flex-wrap: nowrap; overflow-x: auto; padding-bottom: 4px;
  mask-image: linear-gradient(to right, black 82%, transparent); }}
.st-key-{key} [role="radiogroup"] button {{ flex-shrink: 0; }}
.st-key-{key}::after {{ content: "{swipe}"; font-size: 0.875rem; color: #5f5e5c; }} }}</style>"""


def narrow_css() -> str:
    """`NARROW_CSS` in the reader's language."""
    swipe = _("Swipe the row sideways: {n} experiments").format(n=len(EXPERIMENTS))
    return NARROW_CSS.format(key=keys.TRAIN_EXPERIMENT, swipe=swipe.replace('"', "'"))


def lecture_experiments() -> None:
    """The experiments as a row of pills in the lecture's order; the loaded one's question, and the button that
    trains its series. May not return: a click loads the experiment (see the docstring)."""
    current = get_settings()
    clicked = st.session_state.pop(keys.TRAIN_EXPERIMENT_CLICKED, False)
    chosen = st.session_state.get(keys.TRAIN_EXPERIMENT)
    if clicked and chosen in EXPERIMENTS and EXPERIMENTS[chosen].settings.viewed_as(current) != current:
        apply_settings(EXPERIMENTS[chosen].settings.viewed_as(current))  # never returns: reruns with them
    loaded = loaded_experiment(current)
    st.session_state[keys.TRAIN_EXPERIMENT] = loaded  # the pill marked is the one the settings are
    st.html(narrow_css())
    how = _("The lecture's experiments: one click loads its network and settings, **Train** runs it.")
    st.pills(how, list(EXPERIMENTS), format_func=_, key=keys.TRAIN_EXPERIMENT, on_change=_clicked,
             label_visibility="collapsed")
    # one line under the pills, how to use them or the question of the one loaded: the curves stay on the first screen
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        if loaded is None:
            st.caption(how)
            return
        st.markdown(f"**{_(EXPERIMENTS[loaded].question)}**", width="content")
        if loaded in SERIES:
            _series_button(loaded)


def what_to_look_for() -> None:
    """Under the curves and numbers: what the loaded experiment shows, to read them with."""
    if (loaded := loaded_experiment(get_settings())) is not None:
        st.caption(_("**What to look for:** {what}").format(what=_(EXPERIMENTS[loaded].what)))


def loaded_experiment(settings: Settings) -> str | None:
    """The name of the experiment whose network and training `settings` are (seen in their own view), or None."""
    return next((name for name, e in EXPERIMENTS.items() if e.settings.viewed_as(settings) == settings), None)


def _clicked() -> None:
    st.session_state[keys.TRAIN_EXPERIMENT_CLICKED] = True


def _series_button(name: str) -> None:
    """Train every experiment of `name`'s series, one after another, to overlay them under Compare runs."""
    steps = SERIES[name]
    if pressed(_("Train all {n}, one after another").format(n=len(steps)), key=keys.TRAIN_SERIES_START,
               icon=":material/playlist_play:", width="content",
               help=_("Each trains when the one before ends; then they are overlaid under Compare runs.")):
        st.session_state[keys.TRAIN_SERIES] = list(steps)
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
