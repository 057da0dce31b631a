"""Streamlit helpers shared by the pages (the only UI code outside `pages/`).

Importing this package applies fcviz's runtime settings, whichever page runs first.
"""
from ui.runtime import configure_runtime

configure_runtime()
