"""Process-wide Streamlit settings that fcviz needs, applied once per server process."""
from __future__ import annotations

import gc
import importlib
import pkgutil
import threading

import streamlit as st

from fcviz import patches
from fcviz.train import engine

_done = False
_setting_up = threading.Lock()  # students who arrive during start-up wait for it, not import alongside it


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
    with _setting_up:
        if not _done:
            patches.reply_without_delay()  # (serve.py applied it before the server started)
            patches.keep_keras_state_between_reruns()
            patches.look_up_one_key()
            patches.log_version_notes()
            _import_all()
            engine.starting()  # the training workers start while the first student builds a network
            gc.freeze()  # what is alive after start-up stays alive: keep it out of every later collection
            _done = True
    if legacy_mode:
        st.rerun()


def _import_all() -> None:
    """Import every module a page may need now, before `gc.freeze()`, not on first use.

    Python's cyclic collector walks every object it tracks; what is frozen it skips. Left to first
    use, Dask, SQLAlchemy, plotly and the pages' own modules (~80,000 objects) stayed in every full
    collection: 30-60 ms each while Streamlit still collected after every rerun, 3 ms frozen.
    """
    import distributed  # noqa: F401  (the training engine's client)
    import plotly.graph_objects as go
    from babel import Locale, numbers

    import fcviz
    import ui
    from fcviz.i18n import BABEL_LOCALES

    go.Figure().to_plotly_json()
    for locale in BABEL_LOCALES.values():  # Babel reads a locale's data on first use
        numbers.format_percent(0.5, locale=Locale.parse(locale))
    for package in (fcviz, ui):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.startswith("fcviz.store.migrations"):  # Alembic's scripts run only inside Alembic
                importlib.import_module(module.name)
