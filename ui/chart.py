"""Every chart reaches the page through `chart()`, so the classroom view can enlarge all of them in one place."""
from __future__ import annotations

import streamlit as st

from fcviz.plots import plain
from fcviz.plots.gallery import gallery_html
from fcviz.plots.plain import enlarged
from fcviz.plots.style import STATIC
from ui import keys
from ui.first_paint import later
from ui.session import get_settings

FAINT_BOX = "background: rgba(128, 128, 128, 0.06); border-radius: 0.5rem"  # a box that is there, not yet filled


def chart_code() -> None:
    """An empty chart nobody sees (`keys.CHART_CODE` is hidden), for a page whose first chart comes later: the browser
    loads Streamlit's chart code (plotly.js, a few MB) with the first chart it is sent. The Train page opened by its
    address had none before its first training ended, and its curves vanished for ~3 s while that code loaded."""
    if not later():
        with st.container(key=keys.CHART_CODE):
            st.plotly_chart(plain.figure([], {"height": 10}), config=STATIC)


def chart(fig, **kwargs) -> object:
    """`st.plotly_chart(fig, **kwargs)`; in the classroom view (`classroom=1`) with its text enlarged for the back
    of a room (`fcviz.plots.plain.enlarged`). Returns what `st.plotly_chart` returns (a selection, when asked). On a
    new visitor's first run, a faint box of the chart's height: the chart follows (`ui.first_paint`)."""
    if later():  # a faint box of the chart's size: something is coming, and nothing below moves when it comes
        return st.html(f'<div style="height: {fig.layout.height or 450}px; {FAINT_BOX}"></div>')
    if get_settings().classroom:
        fig = enlarged(fig)
    return st.plotly_chart(fig, **kwargs)


def gallery(images, titles, key: str) -> None:
    """Small 28×28 images in a grid that fits the screen, a caption over each (`fcviz.plots.gallery`), in a container
    keyed `key`."""
    st.container(key=key).html(gallery_html(images, titles))
