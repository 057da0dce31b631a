"""Streamlit helpers shared by the pages (the only UI code outside `pages/`).

Every page and app.py start with `configure_runtime()` (see `ui/runtime.py`).
"""
