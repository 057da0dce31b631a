"""Figures built from plain data, without plotly's checks on every property.

plotly's figure objects check and convert every property as it is set; for the charts a page redraws at every
interaction (the Draw page's after each stroke, the Build page's after each new width) that was most of the page
server's work: py-spy on it under a lesson of twelve students found plotly's setters and `update_*` calls at 30 % of
the time it held the GIL, ~20 ms a chart on this 2-core machine, where the same chart given as plain data takes ~1 ms.
A figure made here is what plotly would have made of the same data (each maker's test runs its figure through plotly's
checks and expects nothing changed: `checked`), sent to the browser without the checks.
"""
from __future__ import annotations

import functools

import plotly.graph_objects as go

from fcviz.plots.style import CLASSROOM_SCALE, FONT, INK

AXES = ("xaxis", "yaxis")  # the layout keys of a figure's axes start with these: xaxis, xaxis2, yaxis, ...


def styled(layout: dict) -> dict:
    """`layout` with its text readable from the back of a room, whatever theme draws it: `FONT` (ink, 15 px) on the
    layout, on every axis' numbers and title (the first x and y axis even when the layout does not name them, as
    plotly's `update_xaxes` reaches them) and on the legend, ink on the annotations. (What `fig.update_layout(font=FONT)`,
    `update_xaxes`/`update_yaxes(tickfont=FONT, title_font=FONT)` and `update_annotations(font_color=INK)` did to every
    figure, at a few ms each.)"""
    out = {**layout, "font": {**layout.get("font", {}), **FONT}}
    for name in {"xaxis", "yaxis", *(k for k in layout if k.startswith(AXES))}:
        axis = dict(layout.get(name, {}))
        title = axis.get("title", {})
        title = {"text": title} if isinstance(title, str) else title
        axis["title"] = {**title, "font": {**title.get("font", {}), **FONT}}
        axis["tickfont"] = {**axis.get("tickfont", {}), **FONT}
        out[name] = axis
    legend = layout.get("legend", {})  # (Streamlit's theme gives legends 12 px of their own: they did not inherit 15)
    out["legend"] = {**legend, "font": {**FONT, **legend.get("font", {})}}
    if "annotations" in layout:
        out["annotations"] = [{**note, "font": {**note.get("font", {}), "color": INK}} for note in layout["annotations"]]
    return out


def figure(traces: list[dict], layout: dict, readable: bool = True) -> go.Figure:
    """A figure of `traces` (each a dict with its `type`) and `layout`, in plotly's own property names, nested (no
    `xaxis_title` shorthands: `xaxis=dict(title=dict(text=...))`); with `readable`, styled (`styled`; without, for
    images and a layout styled already). Not checked: a maker's test checks it once (`checked`)."""
    return go.Figure(data=traces, layout=styled(layout) if readable else layout, _validate=False)


def enlarged(fig: go.Figure, scale: float = CLASSROOM_SCALE) -> go.Figure:
    """A copy of `fig` with every text `scale` times bigger (titles, axis numbers, legends, annotations, the numbers
    inside cells and bars): the classroom view is read from the back of a room, where the page's 15 px is too small.
    Sizes not set inherit the layout's font. Heights stay, so the curves and the numbers under them still share the
    projector's screen. (On plain data: the projected class board redraws its charts every few seconds.)"""
    whole = fig.to_dict()  # a copy
    layout = whole["layout"]

    def grow(font: dict | None) -> None:
        if font and font.get("size") is not None:
            font["size"] = font["size"] * scale

    layout["font"] = {**layout.get("font", {}), "size": (layout.get("font", {}).get("size") or 12) * scale}
    for name in (k for k in layout if k.startswith(AXES)):
        grow(layout[name].get("tickfont"))
        grow(layout[name].get("title", {}).get("font"))
    for note in layout.get("annotations", []):
        grow(note.get("font"))
    for trace in whole["data"]:
        grow(trace.get("textfont"))
    grow(layout.get("legend", {}).get("font"))
    grow(layout.get("title", {}).get("font"))
    return go.Figure(data=whole["data"], layout=layout, _validate=False)


def checked(fig: go.Figure) -> go.Figure:
    """`fig` as plotly's checks make it: what a test compares a plain figure with (an unknown property raises, a value
    plotly would convert comes out converted)."""
    return go.Figure(fig.to_dict())


@functools.lru_cache(maxsize=16)
def colorscale(name: str) -> list[list]:
    """A named colour scale ("gray", "Blues", "RdBu") as the list of stops plotly's checks turn the name into: a plain
    figure must carry what the checks would have sent, and plotly.js does not know every name plotly does."""
    return [list(stop) for stop in go.Heatmap(colorscale=name).colorscale]
