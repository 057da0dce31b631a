"""Links, classroom view and lecture experiments: how a teacher hands a setting to a class."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from fcviz import fields
from fcviz.presets import EXPERIMENTS, SERIES
from ui import keys
from ui.session import apply_settings, get_settings
from ui.widgets import setting

CLASSROOM_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.4rem !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1rem !important; }
h1 { font-size: 3.2rem !important; }
</style>
"""


def classroom_style() -> None:
    """Bigger text for a projector when the link says `classroom=1`."""
    if get_settings().classroom:
        st.html(CLASSROOM_CSS)


def share_box() -> None:
    """The link to this exact setting, with an optional classroom view that hides chosen controls."""
    settings = get_settings()
    with st.sidebar.expander("Share this setting", icon=":material/link:"):
        classroom = setting(fields.field("classroom"), settings.classroom)
        hide = setting(fields.field("hide"), list(settings.hide))
        query = replace(settings, classroom=classroom, hide=tuple(hide)).to_query()
        base = (st.context.url or "").split("?")[0]
        st.code(f"{base}?{urlencode(query)}", language=None, wrap_lines=True)
        st.caption("Copy with the icon at the code's corner. Opening the link restores the network, the training "
                   "settings and the data on any page.")


def experiment_picker() -> None:
    """The lecture's experiments: pick one, read what to look for, load its settings."""
    st.header("Lecture experiments")
    name = st.selectbox("Experiment", list(EXPERIMENTS), index=None, placeholder="Choose an experiment…",
                        key=keys.SHARE_EXPERIMENT)
    if name is None:
        return
    what, settings = EXPERIMENTS[name]
    st.caption(what)
    current = get_settings()
    if st.button("Load this experiment", key=keys.SHARE_LOAD_EXPERIMENT, icon=":material/science:"):
        apply_settings(replace(settings, classroom=current.classroom, hide=current.hide))
    if name in SERIES and st.button(f"Train all {len(SERIES[name])}, one after another", key=keys.SHARE_TRAIN_SERIES,
                                    icon=":material/playlist_play:",
                                    help="Each trains when the one before ends; then they are overlaid under "
                                         "Compare runs."):
        st.session_state[keys.TRAIN_SERIES] = [
            replace(EXPERIMENTS[step][1], classroom=current.classroom, hide=current.hide) for step in SERIES[name]]
        st.rerun()
