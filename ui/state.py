"""Per-session state that outlives a page: the network spec (and later the trained model).

Widget state is dropped by Streamlit when a page that owns the widget is not shown, so
the spec lives under its own key and widgets are re-seeded from it.
"""
from __future__ import annotations

import streamlit as st

from fcviz.spec import NetworkSpec, SpecError

SPEC_KEY = "fcviz_spec"


def get_spec() -> NetworkSpec:
    """The session's network; on first visit, the one in the URL if it is valid."""
    if SPEC_KEY not in st.session_state:
        spec = NetworkSpec()
        if "units" in st.query_params or "input" in st.query_params:
            try:
                spec = NetworkSpec.from_query(st.query_params.to_dict())
            except SpecError as e:
                st.warning(f"The link's network setting was not used: {e}. Showing the default network.")
        st.session_state[SPEC_KEY] = spec
    return st.session_state[SPEC_KEY]


def set_spec(spec: NetworkSpec) -> None:
    st.session_state[SPEC_KEY] = spec


def seed_widget(key: str, value: object) -> None:
    """Give a widget its value from the session's state unless it already has one."""
    if key not in st.session_state:
        st.session_state[key] = value


RUN_KEY, TRAINER_KEY, PAST_KEY = "fcviz_run", "fcviz_trainer", "fcviz_past_runs"
MAX_PAST_RUNS = 8


def current_run():
    """The session's trained (or training) `Run`, or None."""
    return st.session_state.get(RUN_KEY)


def current_trainer():
    return st.session_state.get(TRAINER_KEY)


def past_runs() -> list:
    """(label, epochs) of earlier runs, newest first, kept without their models to save memory."""
    return st.session_state.setdefault(PAST_KEY, [])


def replace_run(run, trainer=None) -> None:
    """Make `run` current; the one it replaces is kept in the comparison list, its model freed."""
    old = current_run()
    if old is not None and old is not run and old.epochs:
        past = past_runs()
        past.insert(0, (old.label, list(old.epochs)))
        del past[MAX_PAST_RUNS:]
    st.session_state[RUN_KEY] = run
    st.session_state[TRAINER_KEY] = trainer


DRAWING_KEY = "fcviz_last_drawing"


def remember_drawing(image) -> None:
    """The last 28×28 digit drawn, for the Inside page."""
    st.session_state[DRAWING_KEY] = image


def last_drawing():
    return st.session_state.get(DRAWING_KEY)


def apply_spec(spec: NetworkSpec) -> None:
    """Switch the session to `spec` and re-seed the Build page's widgets from it."""
    set_spec(spec)
    for key in [k for k in st.session_state if str(k).startswith("build_")]:
        del st.session_state[key]
    st.rerun()


def preset_buttons(prefix: str, current: NetworkSpec) -> None:
    """One button per lecture network; the one in use is highlighted."""
    from fcviz.presets import PRESETS

    cols = st.columns(len(PRESETS))
    for col, (key, (label, preset)) in zip(cols, PRESETS.items()):
        if col.button(label, key=f"{prefix}_preset_{key}", width="stretch",
                      type="primary" if preset == current else "secondary"):
            apply_spec(preset)
