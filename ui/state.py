"""Per-session state that outlives a page: the settings (network, training, data, classroom view),
the trained run and the last drawing.

Widget state is dropped by Streamlit when the page owning the widget is not shown, so the
settings live under their own key, widgets are re-seeded from them, and the URL is kept in
step so that a link restores the exact setting.
"""
from __future__ import annotations

import re
from dataclasses import replace

import streamlit as st

from fcviz.settings import Settings
from fcviz.spec import NetworkSpec
from fcviz.train_config import TrainConfig

SETTINGS_KEY = "fcviz_settings"
RUN_KEY, TRAINER_KEY, PAST_KEY = "fcviz_run", "fcviz_trainer", "fcviz_past_runs"
DRAWING_KEY = "fcviz_last_drawing"
NEWS_KEY = "fcviz_news"
MAX_PAST_RUNS = 8


def get_settings() -> Settings:
    """The session's settings; on first visit, the nearest valid ones to the URL's."""
    if SETTINGS_KEY not in st.session_state:
        settings, notes = Settings.from_link(st.query_params.to_dict())
        if notes:
            st.warning("Parts of this link could not be used, so the nearest valid setting is shown:\n\n"
                       + "\n".join(f"- {plain(n)}" for n in notes))
        st.session_state[SETTINGS_KEY] = settings
    return st.session_state[SETTINGS_KEY]


def plain(text: str) -> str:
    """`text` with Markdown switched off: a link's garbage must not turn into links or headings."""
    return re.sub(r"([\\`*_{}\[\]()#+!<>|~$])", r"\\\1", text)


def set_settings(settings: Settings) -> None:
    st.session_state[SETTINGS_KEY] = settings
    sync_url()


def sync_url() -> None:
    """Write the settings into the URL (only when it differs, so reruns stay cheap)."""
    wanted = get_settings().to_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def get_spec() -> NetworkSpec:
    return get_settings().network


def set_spec(spec: NetworkSpec) -> None:
    if spec != get_spec():
        set_settings(replace(get_settings(), network=spec))


def set_training(config: TrainConfig, data: str | None = None) -> None:
    current = get_settings()
    new = replace(current, training=config, data=data if data in ("sample", "mnist") else current.data)
    if new != current:
        set_settings(new)


def shown(control: str) -> bool:
    """False for a control the classroom link hides."""
    return control not in get_settings().hide


def seed_widget(key: str, value: object) -> None:
    """Give a widget its value from the session's settings unless it already has one."""
    if key not in st.session_state:
        st.session_state[key] = value


def apply_settings(settings: Settings) -> None:
    """Switch the session to `settings` and re-seed every page's widgets from them."""
    set_settings(settings)
    for key in [k for k in st.session_state if str(k).startswith(("build_", "train_"))]:
        del st.session_state[key]
    st.rerun()


def apply_spec(spec: NetworkSpec) -> None:
    apply_settings(replace(get_settings(), network=spec))


def preset_buttons(prefix: str, current: NetworkSpec) -> None:
    """One button per lecture network; the one in use is highlighted."""
    from fcviz.presets import PRESETS

    with st.container(horizontal=True):  # as wide as the labels, wrapping on a narrow screen
        for key, (label, preset) in PRESETS.items():
            if st.button(label, key=f"{prefix}_preset_{key}", type="primary" if preset == current else "secondary"):
                apply_spec(preset)


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


def remember_drawing(image) -> None:
    """The last 28×28 digit drawn, for the Inside page."""
    st.session_state[DRAWING_KEY] = image


def last_drawing():
    return st.session_state.get(DRAWING_KEY)


def announce(message: str) -> None:
    """A toast for the next run: news that happens just before an `st.rerun()` would be lost otherwise."""
    st.session_state[NEWS_KEY] = message


def show_news() -> None:
    if message := st.session_state.pop(NEWS_KEY, None):
        st.toast(message, icon=":material/check_circle:")
