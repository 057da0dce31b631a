"""Every chart reaches the page through `chart()`, so the classroom view can enlarge all of them in one place."""
from __future__ import annotations

import streamlit as st

from fcviz.plots.plain import enlarged
from ui.first_paint import later
from ui.session import get_settings

FAINT_BOX = "background: rgba(128, 128, 128, 0.06); border-radius: 0.5rem"  # a box that is there, not yet filled


def chart(fig, **kwargs) -> object:
    """`st.plotly_chart(fig, **kwargs)`; in the classroom view (`classroom=1`) with its text enlarged for the back
    of a room (`fcviz.plots.plain.enlarged`). Returns what `st.plotly_chart` returns (a selection, when asked). On a
    new visitor's first run, a faint box of the chart's height: the chart follows (`ui.first_paint`)."""
    if later():  # a faint box of the chart's size: something is coming, and nothing below moves when it comes
        return st.html(f'<div style="height: {fig.layout.height or 450}px; {FAINT_BOX}"></div>')
    if get_settings().classroom:
        fig = enlarged(fig)
    return st.plotly_chart(fig, **kwargs)
