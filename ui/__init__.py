"""Streamlit helpers for the pages (the only UI code outside `pages/`).

What several pages share sits flat in `ui/` (the session, keys, widgets, the frame every page draws first,
navigation, the store, saved runs, handwriting, time travel, ...); what only one page draws sits in the
sub-package named for that page (`ui/train/`, `ui/draw/`, `ui/inside/`, `ui/build/`, `ui/classes/` for the
Class page), one module per part of its screen.

Every page and app.py start with `configure_runtime()` (see `ui/runtime.py`).
"""
