"""Process-wide Streamlit settings that fcviz needs, applied once per server process."""
from __future__ import annotations

import gc

import streamlit as st

from fcviz import engine, patches

_done = False


def configure_runtime() -> None:
    """Make every page run through app.py, and stop Streamlit's per-rerun Keras clean-up.

    Called first thing by app.py and by every page (through `ui.frame.frame`), on every run.
    A first visit to /train in Streamlit's legacy multipage mode would run that page on its own,
    without app.py's navigation: the first run leaves that mode and reruns, now through app.py.
    (AppTest restarts in legacy mode on every run; its pages then run directly, which is why the
    parts every page shares live in `frame()`, not in app.py.) The patches themselves, and why,
    are in `fcviz/patches.py`.
    """
    global _done
    legacy_mode = patches.leave_legacy_pages_mode()
    if _done:
        return
    patches.keep_keras_state_between_reruns()
    patches.log_version_notes()
    import fcviz.model  # noqa: F401  (TensorFlow, once, before freezing)

    engine.starting()  # the training workers start while the first student builds a network

    gc.freeze()  # what is alive after start-up stays alive: keep it out of every later collection
    _done = True
    if legacy_mode:
        st.rerun()
