"""A unit picked by a click, for the Draw page's "A neuron's own sum": a click on a unit of the Build page's
diagram, or on a cell of one of the Draw page's strips. What the browser sends with a click is checked here."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from ui import keys


def clickable_strip_picks(layer: int) -> Callable[[], None]:
    """What a click on hidden layer `layer`'s strip does: shows that unit's own sum below."""
    def pick() -> None:
        unit = _clicked(keys.activations(layer))
        if unit is not None and len(unit) == 1:
            st.session_state[keys.DRAW_LAYER], st.session_state[keys.DRAW_UNIT] = layer, unit[0]
    return pick


def _clicked(chart: str) -> tuple[int, ...] | None:
    """The ints a click on `chart` sent as its point's customdata; None for anything else (the browser sends
    it, so it may be crafted: the pick is then ignored, and `ui.draw.explain` bounds what is kept)."""
    points = st.session_state[chart].selection.points
    data = points[0].get("customdata") if points and isinstance(points[0], dict) else None
    data = data if isinstance(data, list) else [data]
    if not data or not all(isinstance(v, (int, float)) and float(v).is_integer() for v in data):
        return None
    return tuple(int(v) for v in data)


def pick_from_diagram() -> None:
    """A click on a unit of the Build page's diagram: that unit's own sum, on the Draw page."""
    picked = _clicked(keys.BUILD_DIAGRAM)
    if picked is not None and len(picked) == 2 and picked[0] >= 0:  # a Dense layer's unit, not an input
        st.session_state[keys.BUILD_PICKED] = picked
        st.session_state[keys.BUILD_GO] = True
