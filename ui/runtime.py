"""Process-wide Streamlit settings that fcviz needs, applied once per server process."""
from __future__ import annotations

import gc

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_done = False


def configure_runtime() -> None:
    """Make every page run through app.py, and stop Streamlit's per-rerun Keras clean-up.

    Called first thing by app.py and by every page (through `ui.frame.frame`), on every run.

    1. Because a `pages/` folder exists, a new server starts in Streamlit's legacy multipage
       mode until some script calls `st.navigation`: a first visit to /train would run that
       page on its own, without app.py's navigation. The first run switches the legacy mode
       off and reruns, now through app.py. (AppTest restarts in legacy mode on every run; its
       pages then run directly, which is why the parts every page shares live in `frame()`,
       not in app.py.)
    2. Streamlit calls `keras.backend.clear_session()` after every rerun. That runs a full
       `gc.collect()` over TensorFlow's heap (about 220 ms per slider move) and replaces
       Keras' global state under a model training in a background thread. fcviz keeps its
       models in session state and frees them itself, so the clean-up is switched off.
    """
    global _done
    legacy_mode = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = False
    if _done:
        return
    from streamlit.runtime.scriptrunner import script_runner

    script_runner._clean_problem_modules = lambda: None
    import fcviz.model  # noqa: F401  (TensorFlow, once, before freezing)

    gc.freeze()  # what is alive after start-up stays alive: keep it out of every later collection
    _done = True
    if legacy_mode:
        st.rerun()
