"""Folded boxes (expanders) that stay as their reader left them when their label changes: a switch of language, a
count in the label that grows."""
from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def folded(label: str, key: str, place: DeltaGenerator | None = None, **options: Any) -> DeltaGenerator:
    """`st.expander(label, key=key, **options)` in `place` (the page by default) that stays open or closed when `label`
    changes. Without a key Streamlit tells expanders apart by their label, so a page drawn in Chinese, or a gallery
    whose count grew, had a new and closed box where the reader had opened one. A lazy box (`on_change`, read as
    `.open`) is told apart by its label even with a key: its open state is handed to the new one through its key."""
    if options.get("on_change", "ignore") != "ignore":
        st.session_state[key] = bool(st.session_state.get(key, False))
    return (place or st).expander(label, key=key, **options)
