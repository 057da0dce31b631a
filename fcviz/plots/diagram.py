"""A plotly drawing of the network: one column of units per layer.

Wide layers are drawn with at most `MAX_DRAWN` circles, split by a gap with "⋮", and are
labelled with their true width, so 784 inputs stay readable on a projector. The figure is
assembled as plain data (`fcviz.plots.plain`): plotly checks each property it is given, which is slow.
"""
from __future__ import annotations

import plotly.graph_objects as go

from fcviz.i18n import _
from fcviz.plots import plain
from fcviz.plots.style import BLUE, EDGE, FAINT, INK, LAYER_COLOURS, TRANSPARENT, per_language
from fcviz.settings.spec import NetworkSpec

MAX_DRAWN = 10


def _drawn_positions(width: int) -> tuple[list[float], bool]:
    """y positions of the circles drawn for a layer, and whether some were left out."""
    n, gap = (width, False) if width <= MAX_DRAWN else (MAX_DRAWN, True)
    ys = [i - (n - 1) / 2 for i in range(n)]
    if gap:  # open a gap in the middle for the ellipsis
        ys = [y - 0.6 if y < 0 else y + 0.6 for y in ys]
    return ys, gap


def drawn_units(width: int) -> list[int]:
    """Which unit each drawn circle stands for, bottom to top: all of a narrow layer; the first and the
    last units of a wide one (the gap hides the middle)."""
    n = min(width, MAX_DRAWN)
    return list(range(n)) if width <= MAX_DRAWN else [*range(n // 2), *range(width - (n - n // 2), width)]


def _label(x: float, y: float, text: str, size: int = 15, color: str = INK) -> dict:
    return dict(x=x, y=y, text=text, showarrow=False, font=dict(size=size, color=color))


@per_language(maxsize=256)
def network_figure(spec: NetworkSpec, height: int = 420) -> go.Figure:
    """The network's circles, edges and labels; made once per network and language (see `per_language`)."""
    widths = spec.widths
    kinds = ["input", *["hidden"] * len(spec.hidden), "output"]
    names = [_("Input"), *[_("Hidden {i}").format(i=i) + f"<br>{h.activation}"
                           + ("<br>" + _("batch norm") if h.batchnorm else "")
                           + ("<br>" + _("dropout {rate:g}").format(rate=h.dropout) if h.dropout else "")
                           for i, h in enumerate(spec.hidden, 1)],
             _("Output") + f"<br>{spec.output_activation}"]
    columns = [_drawn_positions(w) for w in widths]
    top = max(max(ys, default=0) for ys, _gap in columns) + 1.2

    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for x, ((ys_a, _a), (ys_b, _b)) in enumerate(zip(columns, columns[1:])):
        for ya in ys_a:
            for yb in ys_b:
                edge_x += [x, x + 1, None]
                edge_y += [ya, yb, None]
    traces = [dict(type="scatter", x=edge_x, y=edge_y, mode="lines", hoverinfo="skip", showlegend=False,
                   line=dict(color=EDGE, width=1))]
    annotations = []
    for x, (width, kind, name, (ys, gap)) in enumerate(zip(widths, kinds, names, columns)):
        traces.append(dict(
            type="scatter", x=[x] * len(ys), y=ys, mode="markers", showlegend=False,
            customdata=[[x - 1, u] for u in drawn_units(width)],  # (Dense layer, unit): a click opens its sum
            marker=dict(size=16, color=LAYER_COLOURS[kind], line=dict(color="white", width=1.5)),
            hovertemplate=_("{layer}: {n} units").format(layer=name.replace("<br>", " · "), n=f"{width:,}")
            + "<extra></extra>",
        ))
        if gap:
            annotations.append(_label(x, 0, "⋮", 22, FAINT))
        annotations.append(_label(x, top, f"<b>{width:,}</b>", 18, INK))
        annotations.append(_label(x, -top, name))
        if x > 0:  # the kernel that connects the previous column to this one
            # on two lines: on one they ran into the widths beside them on a phone
            annotations.append(_label(x - 0.5, top, f"W{x}<br>({widths[x - 1]:,}, {width:,})", 15, BLUE))
    skips = [i for i in range(1, len(spec.hidden) + 1) if spec.skip_at(i)]
    for i in skips:  # a skip connection: an arc over hidden layer i, from its input's column to its output's
        arc_x = [i - 1 + k / 20 for k in range(21)]
        arc_y = [top + 0.45 + 0.9 * (1 - (2 * k / 20 - 1) ** 2) for k in range(21)]
        traces.append(dict(type="scatter", x=arc_x, y=arc_y, mode="lines", hoverinfo="skip", showlegend=False,
                           line=dict(color=LAYER_COLOURS["output"], width=2.5)))
        annotations.append(_label(i - 0.5, top + 1.6, _("+ skip"), 14, LAYER_COLOURS["output"]))
    layout = dict(
        height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor=TRANSPARENT,
        paper_bgcolor=TRANSPARENT, annotations=annotations,
        xaxis=dict(visible=False, range=[-0.5, len(widths) - 0.5], fixedrange=True),
        yaxis=dict(visible=False, range=[-top - 0.8, top + (2.0 if skips else 0.6)], fixedrange=True),
    )
    return plain.figure(traces, layout, readable=False)
