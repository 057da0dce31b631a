"""A new visitor's first screen: the page's words, numbers, widgets and tables first; its charts, its folded boxes (the
share box with its code box, the class box's form) and what lies below the first screen, a moment later (issue 31).

A browser loads an element's script the first time a page shows one, and draws nothing while it evaluates one:
plotly.js (4.7 MB, ~0.6 s of a laptop's main thread) for any chart, a syntax highlighter (1.5 MB, ~0.3 s) for a code
box. React also holds back revealing loaded elements while others still load. When they came with a new visitor's
first script run, the Build page's numbers waited for both. Now a session's first run through app.py draws a faint
box of each chart's height in its place, and a tiny script asks for the next run once the browser shows no
element still waiting for its script (at most 3 s): that run draws them while the student already reads the numbers.
(A rerun at once did not help: its charts reached the browser with the first run's numbers, their scripts too.)
AppTest has no browser: everything is drawn on its first run there.
"""
from __future__ import annotations

import contextlib
import json
from enum import Enum
from typing import Iterator

import streamlit as st

from ui import keys


class Paint(Enum):
    """Where a session is in its first screen."""

    LIGHT = "light"  # the session's first run: heavy parts wait
    WAITING = "waiting"  # the first run left something out: the browser asks for the next run once it shows it
    FULL = "full"  # every later run draws everything


@contextlib.contextmanager
def first_paint() -> Iterator[None]:
    """Around a page's run in app.py: a session's first run draws light; every later run draws everything (a first
    run that stops, reruns or switches page too: nothing is left out for good)."""
    if keys.PAINT not in st.session_state:  # (AppTest has no browser to ask: it draws everything at once)
        st.session_state[keys.PAINT] = Paint.LIGHT if isinstance(st.context.url, str) else Paint.FULL
    try:
        yield
    finally:
        st.session_state[keys.PAINT] = Paint.FULL


def later() -> bool:
    """True when a heavy part waits for the next run: the caller draws a space of its size instead, or nothing where
    it is folded away. The first part left out draws, in its place, what asks the browser for that run (the share
    box, folded in the sidebar, comes first on every page: the browser loads its script with the first elements')."""
    paint = st.session_state.get(keys.PAINT)
    if paint is Paint.LIGHT:
        st.session_state[keys.PAINT] = Paint.WAITING
        _painted(key=keys.PAINTED, on_painted_change=_drawn)
    return paint in (Paint.LIGHT, Paint.WAITING)


def _drawn() -> None:
    """The trigger's callback: nothing to do, as the light run left the session FULL; the rerun the trigger starts
    draws everything."""


# Draws nothing. Once the light run has ended (all its elements have reached the browser) and no element on the page
# is a skeleton (its script still loading), or 3 s after the run ended, and one frame later, it asks for the next run.
# (Waiting for the skeletons alone was not enough on a busy machine: the trigger, first in the sidebar, could run before
# the main area's elements arrived, see no skeleton, and start the full run before the numbers were painted.)
SKELETON = "[data-testid=stSkeleton], .stSkeleton"  # an element whose script is still loading (Streamlit's own)
RUN_ENDED = "[data-testid=stApp][data-test-script-state=notRunning]"  # its script run has ended (Streamlit's)
_painted = st.components.v2.component("fcviz_painted", js=f"const SKELETON = {json.dumps(SKELETON)};"
                                      f"const RUN_ENDED = {json.dumps(RUN_ENDED)};" + """
export default function (component) {
  let ended = null;
  const check = () => {
    if (!document.querySelector(RUN_ENDED)) { setTimeout(check, 50); return; }
    ended = ended ?? performance.now();
    if (document.querySelector(SKELETON) && performance.now() - ended < 3000) { setTimeout(check, 50); return; }
    requestAnimationFrame(() => setTimeout(() => component.setTriggerValue("painted", true), 0));
  };
  check();
}""", isolate_styles=False)  # (no styles of its own: no shadow root to make)
