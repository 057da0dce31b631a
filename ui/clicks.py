"""Buttons whose click is not lost when another event cuts its script run short.

Streamlit hands a click to the script run that follows it, and a run that another rerun interrupts counts as
finished: if the script had not yet reached the button, `st.button` never returns True and the click is gone. On a
busy server the Draw page's run takes a second or more to reach its fine-tune button, and anything else the page
sends meanwhile (the browser asking for the charts after a reload, a second click, a slider) interrupted it: the
student clicked, nothing happened (seen in CI, stop 45). A button's `on_click` callback runs before the script does,
so it is never cut short: it keeps the click here until the button is drawn again.
"""
from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui import keys


def pressed(label: str, *, key: str, place: DeltaGenerator | None = None, **options: Any) -> bool:
    """`place.button(label, key=key, **options)` (the page by default): True in the run that follows its click,
    or, when that run was interrupted before reaching it, in the next run that draws it (enabled: a kept click on a
    button drawn disabled now, say Train while a training runs, is dropped)."""
    clicked = (place or st).button(label, key=key, on_click=_keep, args=(key,), **options)
    kept: set[str] = st.session_state.get(keys.PRESSED, set())
    if key in kept:
        kept.discard(key)
        return not options.get("disabled")
    return clicked


def _keep(key: str) -> None:
    st.session_state.setdefault(keys.PRESSED, set()).add(key)


def forget_unclaimed() -> None:
    """At the end of a script run that was not cut short: a kept click whose button that run did not draw (the
    student went to another page, or the button went away) is dropped, not done when the button comes back."""
    st.session_state.pop(keys.PRESSED, None)
