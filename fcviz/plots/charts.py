"""Plotly figures for training: live curves, run comparison, confusion matrix, digit gallery.

Train is blue and solid, test is orange and dashed (colours from `fcviz.plots.style`). Each figure is made of plain
data (`fcviz.plots.plain`): plotly's checks on every property cost several times the chart itself.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fcviz.data.mnist import CHANCE_LOSS, DIGITS, IMAGE_SIDE
from fcviz.i18n import _
from fcviz.net.model import layer_title
from fcviz.net.spread import Spread
from fcviz.plots import plain
from fcviz.plots.style import (
    FONT_SIZE,
    GREY,
    INK,
    MUTED,
    RUN_COLOURS,
    TEST,
    TEST_FILL,
    TRAIN,
    TRANSPARENT,
    WARN,
    per_language,
)
from fcviz.train.diagnosis import Diagnosis
from fcviz.train.history import BatchPoint, EpochStats

DWARFED = 10.0  # the first losses dwarf the rest when they are this many times the later median ...
BLOWN_UP = 3 * CHANCE_LOSS  # ... and far above where every fresh network starts (ln 10): a step overshot


def needs_log_loss(losses: Sequence[float]) -> bool:
    """True when a few early losses (150 next to 1.7) would flatten the rest of the curve to a line at 0.
    A healthy run starts near ln 10 and may fall a hundredfold: that stays on a linear axis, as in the notes."""
    values = np.array([v for v in losses if np.isfinite(v) and v > 0])
    if len(values) < 4:
        return False
    top = float(values.max())
    return top > BLOWN_UP and top > DWARFED * float(np.median(values[len(values) // 2:]))


def _axes(log_loss: bool = False) -> go.Figure:
    title_loss = _("Loss (cross-entropy, log scale)") if log_loss else _("Loss (cross-entropy)")
    # the gap holds the accuracy's axis numbers: on a phone they ran into the loss chart at 0.08
    fig = make_subplots(rows=1, cols=2, subplot_titles=(title_loss, _("Accuracy")), horizontal_spacing=0.14)
    fig.update_layout(
        height=380, margin=dict(l=10, r=10, t=40, b=10), hovermode="x unified",
        legend=dict(orientation="h", yanchor="top", y=-0.3, x=0.5, xanchor="center", font=dict(size=FONT_SIZE)),
        font=dict(size=FONT_SIZE),
    )
    fig.update_xaxes(title_text=_("epoch"), rangemode="tozero")
    fig.update_yaxes(**(dict(type="log", dtick=1) if log_loss else dict(rangemode="tozero")), row=1, col=1)
    # never below 0 % nor far above 100 %: one point's padding read -50 % when a live chart got its first
    fig.update_yaxes(tickformat=".0%", autorangeoptions=dict(clipmin=0, clipmax=1.05), row=1, col=2)
    return fig


CURVES = (("loss", "test_loss"), ("accuracy", "test_accuracy"))  # the left chart's, then the right chart's
TRACES_PER_CHART = 3  # in each chart: the batch points, the epoch averages, the test points
STAR = len(CURVES) * TRACES_PER_CHART  # the lowest test loss' star: the trace after the six curves
EMPTY_RANGES = "emptyRanges"  # a live figure's mark (layout.meta): its axes' ranges hold no points yet


def curve_points(epochs: Sequence[EpochStats], batches: Sequence[BatchPoint]) -> list[tuple[list, list]]:
    """The x and y of each of the six curves, in the order of the figure's traces. Given only the points that
    arrived since the last look, the points each trace grows by (the live chart extends its traces with them)."""
    ex = [e.epoch for e in epochs]
    bx = [b.x for b in batches]
    points = []
    for key, test_key in CURVES:
        points += [(bx, [getattr(b, key) for b in batches]), (ex, [getattr(e, key) for e in epochs]),
                   (ex, [getattr(e, test_key) for e in epochs])]
    return points


def _marked(epochs: Sequence[EpochStats], diagnosis: Diagnosis | None) -> bool:
    """Whether the chart marks a best epoch (and what follows it): with a reading that found one, after two epochs."""
    return bool(diagnosis and diagnosis.best_epoch is not None and len(epochs) > 1)


def best_star(epochs: Sequence[EpochStats], diagnosis: Diagnosis | None) -> dict:
    """Where the star of the lowest test loss stands, and its name in the legend, which says the epoch (no point when
    there is none yet). Words beside the star ran over the curves it sits on, on a phone's narrow chart most."""
    if not _marked(epochs, diagnosis):
        return dict(x=[], y=[], name=_("lowest test loss"))
    best = next(e for e in epochs if e.epoch == diagnosis.best_epoch)
    return dict(x=[best.epoch], y=[best.test_loss], name=_("lowest test loss: epoch {n}").format(n=best.epoch))


def overfitting_marks(epochs: Sequence[EpochStats], diagnosis: Diagnosis | None) -> tuple[list[dict], list[dict]]:
    """The shaded epochs of overfitting in both charts, and their label in the left one: (shapes, annotations). The
    band starts at the epoch the page's sentence names ("Overfitting since epoch …", the time-travel slider's ⚠),
    the one after the best, which stays outside it."""
    if not (_marked(epochs, diagnosis) and diagnosis.overfitting_since is not None):
        return [], []
    x0, x1 = diagnosis.overfitting_since, epochs[-1].epoch
    shapes = [dict(type="rect", xref=f"x{suffix}", yref=f"y{suffix} domain", x0=x0, x1=x1, y0=0, y1=1,
                   fillcolor=WARN, opacity=0.08, line=dict(width=0), layer="below")
              for suffix in ("", "2")]
    label = dict(text=_("overfitting"), xref="x", yref="y domain", x=x0, y=1, xanchor="left", yanchor="top",
                 showarrow=False, font=dict(color=INK))
    return shapes, [label]


@per_language(maxsize=4)
def _curves_layout(log_loss: bool) -> dict:
    """The two charts' layout as plain data, styled (`plain.styled`), made once per loss axis and language: every training's
    curves are drawn on it (`training_figure`). Shared: copy what is changed."""
    return plain.styled(_axes(log_loss).to_dict()["layout"])


def _in_chart(n: int) -> dict:
    """A trace's axes in the `n`-th chart of a figure of several (1: the first; left to right, then top to bottom), as
    plotly's `make_subplots` names them."""
    return dict(xaxis="x" if n == 1 else f"x{n}", yaxis="y" if n == 1 else f"y{n}")


_CURVE_STYLES = (  # each chart's three curves: the batch points, the epoch averages, the test points
    lambda: dict(mode="lines", name=_("train (during the epoch)"), legendgroup="batch", line=dict(color=TRAIN, width=1),
                 opacity=0.35),
    lambda: dict(mode="lines+markers", name=_("train (epoch average)"), legendgroup="train",
                 line=dict(color=TRAIN, width=3), marker=dict(symbol="circle", size=7)),
    lambda: dict(mode="lines+markers", name=_("test (after each epoch)"), legendgroup="test",
                 line=dict(color=TEST, width=3, dash="dash"), marker=dict(symbol="diamond", size=9), fill="tonexty",
                 fillcolor=TEST_FILL))


def training_figure(epochs: Sequence[EpochStats], batches: Sequence[BatchPoint],
                    diagnosis: Diagnosis | None = None, live: bool = False) -> go.Figure:
    """Train and test loss and accuracy; the loss on a log axis when the first losses dwarf the rest. `live`: the
    figure a training's live chart starts from (`fcviz.plots.live`): the star's trace is there even before a best
    epoch, and the overfitting marks are left to the live chart, which sets them as they change. (Drawn on a layout
    made once: the page and the live feed make it for every training.)"""
    layout = dict(_curves_layout(needs_log_loss([b.loss for b in batches] + [e.loss for e in epochs]
                                                + [e.test_loss for e in epochs])))
    points = curve_points(epochs, batches)
    traces = []
    for col in range(1, len(CURVES) + 1):
        for (x, y), style in zip(points[(col - 1) * TRACES_PER_CHART:col * TRACES_PER_CHART], _CURVE_STYLES):
            traces.append(dict(type="scatter", x=x, y=y, showlegend=col == 1, hovertemplate="%{y:.3f}", **style(),
                               **_in_chart(col)))
    star = best_star(epochs, diagnosis)
    if star["x"] or live:
        traces.append(dict(
            type="scatter", mode="markers", showlegend=bool(star["x"]),
            marker=dict(symbol="star", size=18, color=WARN, line=dict(color="white", width=1)),
            cliponaxis=False,  # whole on the last epoch, at the plot's edge
            hoverinfo="skip", **star, **_in_chart(1)))
    if live and not (epochs or batches):  # plotly reads an empty axis as -1 to 4: -100 % to 400 % accuracy
        for name, fixed in (("xaxis", [0, 1]), ("xaxis2", [0, 1]),
                            ("yaxis", [0, CHANCE_LOSS]),  # where a fresh network starts: ln 10
                            ("yaxis2", [0, 1])):
            layout[name] = {**layout[name], "range": fixed}
        layout["meta"] = {EMPTY_RANGES: True}  # the live chart lets the axes fit its first points
    if not live:
        shapes, labels = overfitting_marks(epochs, diagnosis)
        if shapes:
            layout["shapes"] = shapes
        if labels:
            layout["annotations"] = [*layout["annotations"], *labels]
    return plain.figure(traces, layout, readable=False)  # the layout is styled


GRADIENT_COLOURS = "Viridis"  # the layers' lines, dark (first hidden layer) to light (output): depth reads as colour


def gradients_figure(batches: Sequence[BatchPoint], names: Sequence[str]) -> go.Figure:
    """The size of each layer's kernel gradient while it trained (the mean absolute value of ∂loss/∂w over the
    batches of each curve point), one line per layer named by `names` (first hidden layer first, output last), on a
    log axis: in a deep sigmoid network the first layers' lines lie decades below the output's (vanishing
    gradients). Points that carry no gradient sizes for these layers (runs from before they were measured) are
    left out."""
    from plotly.colors import sample_colorscale

    points = [b for b in batches if len(b.grads) == len(names)]
    # from dark to a green still strong on white (viridis' yellow end was too pale to see)
    colours = sample_colorscale(GRADIENT_COLOURS, list(np.linspace(0, 0.65, len(names)))) if names else []
    lines = [dict(type="scatter", x=[b.x for b in points], y=[b.grads[i] if b.grads[i] > 0 else None for b in points],
                  mode="lines", name=name, line=dict(color=colour, width=2), hovertemplate="%{y:.2e}")
             for i, (name, colour) in enumerate(zip(names, colours))]
    return plain.figure(lines, dict(
        height=340, margin=dict(l=10, r=10, t=10, b=10), hovermode="x unified", font=dict(size=FONT_SIZE),
        legend=dict(orientation="h", yanchor="top", y=-0.3, x=0.5, xanchor="center"),
        xaxis=dict(title=dict(text=_("epoch")), rangemode="tozero"),
        # one number per power of ten: plotly's 2 and 5 between them were small and ran into them on a phone
        yaxis=dict(title=dict(text=_("mean |∂loss/∂w| (log scale)")), type="log", exponentformat="power", dtick=1)))


def compare_figure(runs: Sequence[tuple[str, Sequence[EpochStats]]]) -> go.Figure:
    """Test (dashed) and train (solid) curves of several runs, one colour per run. Runs whose numbers are the same
    (the same settings and seed train the same) would hide one another: they are drawn once, named together
    ("#1 = #2")."""
    alike: dict[tuple, tuple[list[str], Sequence[EpochStats]]] = {}
    for label, epochs in runs:
        alike.setdefault(tuple((e.loss, e.accuracy, e.test_loss, e.test_accuracy) for e in epochs),
                         ([], epochs))[0].append(label)
    traces = []
    for i, (labels, epochs) in enumerate(alike.values()):
        label = _named_together(labels)
        colour = RUN_COLOURS[i % len(RUN_COLOURS)]
        ex = [e.epoch for e in epochs]
        for col, key in ((1, "loss"), (2, "accuracy")):
            traces.append(dict(type="scatter", x=ex, y=[getattr(e, key) for e in epochs], mode="lines",
                               name=f"{label} · " + _("train"), legendgroup=label, showlegend=False,
                               line=dict(color=colour, width=2), **_in_chart(col)))
            traces.append(dict(type="scatter", x=ex, y=[getattr(e, "test_" + key) for e in epochs],
                               mode="lines+markers", name=f"{label} · " + _("test"), legendgroup=label,
                               showlegend=col == 1, line=dict(color=colour, width=3, dash="dash"), **_in_chart(col)))
    layout = _curves_layout(needs_log_loss([v for _, epochs in runs for e in epochs for v in (e.loss, e.test_loss)]))
    return plain.figure(traces, {**layout, "height": 420}, readable=False)  # the layout is styled


def _named_together(labels: list[str]) -> str:
    """Runs drawn as one: "#1 = #3", and what their labels say after the number once when it is the same for all
    ("#2 = #1 784-128-10 relu, …", not the settings twice)."""
    heads, tails = zip(*(label.partition(" ")[::2] for label in labels))
    if len(labels) > 1 and len(set(tails)) == 1 and tails[0]:
        return " = ".join(heads) + " " + tails[0]
    return " = ".join(labels)


def class_names(classes: Sequence[str] = DIGITS) -> list[str]:
    """The labels 0..9 as a reader names them: the digits, or the clothes in the reader's language."""
    return list(DIGITS) if tuple(classes) == DIGITS else [_(c) for c in classes]


def confusion_figure(confusion: np.ndarray, classes: Sequence[str] = DIGITS) -> go.Figure:
    """Which classes the model takes for which: the counts in the cells, coloured by their share of the true class, so a
    rare class's mistakes show as clearly as a common one's."""
    totals = confusion.sum(axis=1, keepdims=True)
    share = np.divide(confusion, totals, out=np.zeros(confusion.shape), where=totals > 0)
    names, digits = class_names(classes), tuple(classes) == DIGITS
    cells = dict(type="heatmap", z=share, x=names, y=names, colorscale=plain.colorscale("Blues"), zmin=0, zmax=1,
                 text=confusion, texttemplate="%{text}", showscale=False,
                 hovertemplate=(_("true %{y}, predicted %{x}: %{text} digits") if digits else
                                _("true %{y}, predicted %{x}: %{text} images")) + "<extra></extra>")
    return plain.figure([cells], dict(
        height=420 if digits else 480, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=FONT_SIZE),
        xaxis=dict(title=dict(text=_("predicted")), side="bottom", constrain="domain", type="category"),
        yaxis=dict(title=dict(text=_("true digit") if digits else _("true class")), autorange="reversed",
                   scaleanchor="x", constrain="domain", type="category")))


def hardest(per_class: np.ndarray) -> list[int]:
    """The classes read right least often: every one at the lowest whole percent, as the bars and the line under them
    show it (two at 87 % must not have one of them called, or coloured, the hardest)."""
    shown = np.round(np.asarray(per_class, np.float64) * 100)
    return [int(i) for i in np.flatnonzero(shown == shown.min())]


# a bar's number above it at the chart's font size: plotly shrank the one over a bar of 100 % to fit below the axis' top
# (the winning "100%" smaller than every "0%")
WHOLE_TEXT = dict(constraintext="none", cliponaxis=False)


def per_class_figure(per_class: np.ndarray, classes: Sequence[str] = DIGITS) -> go.Figure:
    """The test accuracy of each class as bars beside the confusion matrix, the hardest marked (`hardest`): a plotly
    chart like the others (the page's one Vega chart had small, pale labels, and the classroom view did not enlarge
    it)."""
    worst, digits = hardest(per_class), tuple(classes) == DIGITS
    bars = dict(type="bar", x=class_names(classes)[:len(per_class)], y=per_class, text=[f"{a:.0%}" for a in per_class],
                textposition="outside", hovertemplate="%{x}: %{y:.1%}<extra></extra>", **WHOLE_TEXT,
                marker=dict(color=[WARN if i in worst else TRAIN for i in range(len(per_class))]))
    return plain.figure([bars], dict(
        height=420 if digits else 480, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=FONT_SIZE),
        yaxis=dict(range=[0, 1.12], tickformat=".0%", title=dict(text=_("accuracy"))),
        xaxis=dict(title=dict(text=_("digit") if digits else _("class")), type="category")))


def probability_bars(probs: np.ndarray, classes: Sequence[str] = DIGITS) -> go.Figure:
    """P(class) for the 10 labels (digits, or clothes), the top guess highlighted."""
    top = int(np.argmax(probs))
    digits = tuple(classes) == DIGITS
    colours = [WARN if d == top else GREY for d in range(len(probs))]
    bars = dict(type="bar", x=class_names(classes)[:len(probs)], y=probs, marker=dict(color=colours),
                text=[f"{p:.0%}" for p in probs], textposition="outside", **WHOLE_TEXT,
                hovertemplate=(_("digit %{x}: %{y:.2%}") if digits else "%{x}: %{y:.2%}") + "<extra></extra>")
    return plain.figure([bars], dict(
        height=300, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=FONT_SIZE),
        yaxis=dict(range=[0, 1.15], tickformat=".0%", title=dict(text=_("probability (softmax)"))),
        xaxis=dict(title=dict(text=_("digit") if digits else _("class")), type="category")))


def pixel_image(img: np.ndarray, height: int = 300) -> go.Figure:
    """A 28×28 input drawn as big pixels, with each pixel's value on hover."""
    return plain.figure([dict(type="heatmap", z=img.reshape(IMAGE_SIDE, IMAGE_SIDE), colorscale=plain.colorscale("gray"),
                              zmin=0, zmax=1, showscale=False,
                              hovertemplate=_("row %{y}, column %{x}: %{z:.2f}") + "<extra></extra>")],
                        dict(height=height, width=height, margin=dict(l=0, r=0, t=0, b=0), **_IMAGE_AXES), readable=False)


def activation_strip(values: np.ndarray, per_row: int = 64, chosen: int | None = None) -> go.Figure:
    """One hidden layer's outputs for one input, as a grid of cells (darker = larger).

    Under the cells lies an invisible point per unit, since plotly reports clicks on points, not on
    heatmap cells: a click picks the unit (the page reads `customdata`). The chosen unit is outlined."""
    n = len(values)
    cols = min(n, per_row)
    rows = -(-n // cols)
    grid = np.full(rows * cols, np.nan)
    grid[:n] = values
    units = np.arange(n)
    cells = dict(type="heatmap", z=grid.reshape(rows, cols), colorscale=plain.colorscale("Blues"), showscale=False,
                 xgap=1, ygap=1, hoverinfo="skip")
    points = dict(type="scatter", x=units % cols, y=units // cols, mode="markers", customdata=units,
                  marker=dict(size=14, color=TRANSPARENT, symbol="square"), text=[f"{v:.3f}" for v in values],
                  hovertemplate=_("unit %{customdata}: %{text}") + "<extra></extra>", showlegend=False)
    layout = dict(height=28 * rows + 10, margin=dict(l=0, r=0, t=0, b=0), hovermode="closest", dragmode=False,
                  clickmode="event+select", xaxis=dict(visible=False, range=[-0.5, cols - 0.5], fixedrange=True),
                  yaxis=dict(visible=False, range=[rows - 0.5, -0.5], fixedrange=True))
    if chosen is not None and 0 <= chosen < n:
        r, c = divmod(chosen, cols)
        layout["shapes"] = [dict(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5, line=dict(color=WARN, width=3))]
    return plain.figure([cells, points], layout, readable=False)


_IMAGE_AXES = dict(xaxis=dict(visible=False, constrain="domain"),  # a 28×28 image: square pixels, row 0 on top
                   yaxis=dict(visible=False, autorange="reversed", scaleanchor="x"))


def _diverging(z: np.ndarray, title: str, hover: str, height: int, ink: np.ndarray | None = None) -> go.Figure:
    """A 28×28 map of signed numbers on red/blue centred on 0 (red: pushes up), the ink outlined if given."""
    z = z.reshape(IMAGE_SIDE, IMAGE_SIDE)
    limit = float(np.abs(z).max()) or 1.0
    traces = [dict(type="heatmap", z=z, colorscale=plain.colorscale("RdBu"), reversescale=True, zmid=0, zmin=-limit,
                   zmax=limit,
                   # "power": 10⁻⁴ on the scale, not plotly's default "100μ"
                   colorbar=dict(title=dict(text=title), thickness=10, len=0.9, exponentformat="power"),
                   hovertemplate=hover + "<extra></extra>")]
    if ink is not None:
        traces.append(dict(type="contour", z=ink.reshape(IMAGE_SIDE, IMAGE_SIDE),
                           contours=dict(start=0.5, end=0.5, coloring="none"), line=dict(color=INK, width=1.5),
                           showscale=False, hoverinfo="skip"))
    return plain.figure(traces, dict(height=height, width=height + 60, margin=dict(l=0, r=0, t=0, b=0), **_IMAGE_AXES),
                        readable=False)


def gradient_map(gradient: np.ndarray, image: np.ndarray, height: int = 260) -> go.Figure:
    """∂P(class)/∂pixel over the drawing's outline: red where more ink raises the class's probability."""
    return _diverging(gradient, _("effect"), _("row %{y}, column %{x}: %{z:.3g}"), height, ink=image)


def pixel_products(values: np.ndarray, title: str, height: int = 200) -> go.Figure:
    """A first-layer unit's 784 weights, or its 784 contributions x·w, as a 28×28 image."""
    return _diverging(values, title, _("row %{y}, column %{x}: %{z:.3f}"), height)


@per_language(maxsize=1)
def _unit_bars_layout() -> dict:
    """`input_bars`' two charts, one over the other, as plain data, styled (`plain.styled`): made once per language."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=(_("input: the previous layer's outputs h"), _("contribution h·w")))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10), showlegend=False, font=dict(size=FONT_SIZE),
                      bargap=0.1)
    fig.update_xaxes(title_text=_("unit of the previous layer"), row=2, col=1)
    return plain.styled(fig.to_dict()["layout"])


def input_bars(inputs: np.ndarray, contributions: np.ndarray) -> go.Figure:
    """A later layer's unit: the previous layer's outputs (its inputs) and what each adds, h·w, as bars."""
    units = np.arange(len(inputs))
    hover = _("input %{x}: %{y:.3f}") + "<extra></extra>"
    return plain.figure([
        dict(type="bar", x=units, y=inputs, marker=dict(color=GREY), hovertemplate=hover, **_in_chart(1)),
        dict(type="bar", x=units, y=contributions, marker=dict(color=[WARN if c > 0 else TRAIN for c in contributions]),
             hovertemplate=hover, **_in_chart(2)),
    ], _unit_bars_layout(), readable=False)  # the layout is styled


def kernel_images(kernel: np.ndarray, n: int = 16, cols: int = 8) -> go.Figure:
    """The first n columns of a 784-input kernel, each shown as the 28×28 pattern its unit looks for.

    Diverging colours centred on 0: red pixels push the unit up, blue ones push it down.
    """
    n = min(n, kernel.shape[1])
    rows = -(-n // cols)
    cell = 30
    mosaic = np.full((rows * cell, cols * cell), np.nan)
    for u in range(n):
        r, c = divmod(u, cols)
        mosaic[r * cell:r * cell + IMAGE_SIDE, c * cell:c * cell + IMAGE_SIDE] = kernel[:, u].reshape(IMAGE_SIDE, IMAGE_SIDE)
    limit = float(np.nanmax(np.abs(mosaic))) or 1.0
    cells = dict(type="heatmap", z=mosaic, colorscale=plain.colorscale("RdBu"), reversescale=True, zmid=0, zmin=-limit,
                 zmax=limit, colorbar=dict(title=dict(text=_("weight")), thickness=12),
                 hovertemplate=_("weight %{z:.3f}") + "<extra></extra>")
    return plain.figure([cells], dict(height=max(160, rows * 120), margin=dict(l=0, r=0, t=0, b=0), **_IMAGE_AXES))


def weight_histograms(named_weights: Sequence[tuple[str, np.ndarray]]) -> go.Figure:
    """Each named weight array's values, overlaid as shares (not counts) so layers of different sizes compare."""
    bars = [dict(type="histogram", x=np.ravel(w), name=name, opacity=0.6, nbinsx=60, histnorm="probability",
                 marker=dict(color=RUN_COLOURS[i % len(RUN_COLOURS)])) for i, (name, w) in enumerate(named_weights)]
    return plain.figure(bars, dict(
        barmode="overlay", height=300, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=FONT_SIZE),
        xaxis=dict(title=dict(text=_("weight value"))), yaxis=dict(title=dict(text=_("share of weights"))),
        legend=dict(orientation="h", y=1.02, yanchor="bottom")))


def sigma_text(std: float) -> str:
    """A spread as a label reads it: `σ = 0.042`, `σ = 9.4`, `σ = 1,282` (no exponents: a class reads them aloud)."""
    return f"σ = {std:,.0f}" if std >= 100 else f"σ = {std:.1f}" if std >= 1 else f"σ = {std:.2g}"


@per_language(maxsize=64)
def spread_figure(spread: Spread) -> go.Figure:
    """One box per Dense layer, all at once: its pre-activations z for a batch as the network starts (box: the middle
    half, whiskers: smallest to largest), its σ written above it. Growing boxes are a spread that explodes."""
    layers = spread.layers
    names = [layer_title(s.name) for s in layers]
    boxes = dict(type="box", x=names, q1=[s.q1 for s in layers], median=[s.median for s in layers],
                 q3=[s.q3 for s in layers], lowerfence=[s.low for s in layers], upperfence=[s.high for s in layers],
                 marker=dict(color=TRAIN), fillcolor="rgba(0,114,178,0.25)", name="z", showlegend=False)
    low, high = min(s.low for s in layers), max(s.high for s in layers)
    pad = (high - low) * 0.12 or 1.0
    sigmas = dict(type="scatter", x=names, y=[s.high + pad * 0.3 for s in layers], mode="text",
                  text=[sigma_text(s.std) for s in layers], textposition="top center",
                  textfont=dict(size=FONT_SIZE, color=INK), showlegend=False, hoverinfo="skip")
    return plain.figure([boxes, sigmas], dict(
        height=340, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=FONT_SIZE),
        yaxis=dict(title=dict(text="z = h @ W + b"), range=[low - pad, high + 2.5 * pad], zeroline=True)))


def activation_functions(z: np.ndarray | None, current: str | None) -> go.Figure:
    """relu, sigmoid and tanh over -5..5; the current layer's pre-activations marked on its curve."""
    from fcviz.net.forward import ACTIVATIONS

    xs = np.linspace(-5, 5, 201)
    traces = [dict(type="scatter", x=xs, y=ACTIVATIONS[name](xs), name=name, mode="lines",
                   line=dict(color=RUN_COLOURS[i], width=4 if name == current else 2, dash=("solid", "dash", "dot")[i]))
              for i, name in enumerate(("relu", "sigmoid", "tanh"))]
    if z is not None and current in ("relu", "sigmoid", "tanh"):
        zc = np.clip(np.ravel(z), -5, 5)
        traces.append(dict(type="scatter", x=zc, y=ACTIVATIONS[current](zc), mode="markers",
                           name=_("this layer's z → f(z)"), marker=dict(size=7, color=WARN, opacity=0.6)))
    return plain.figure(traces, dict(
        height=340, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=FONT_SIZE),
        xaxis=dict(title=dict(text="z = X @ W + b")), yaxis=dict(title=dict(text="f(z)"), range=[-1.2, 5.2]),
        legend=dict(orientation="h", y=1.02, yanchor="bottom")))


def board_figure(names: Sequence[str], params: Sequence[int], test_accuracy: Sequence[float],
                 gap: Sequence[float]) -> go.Figure:
    """A class's runs: test accuracy against parameter count, coloured by the train–test gap
    (dark red: learned the training digits by heart). Runs that came out the same (a class that trained the same
    settings: the same seed gives the same numbers) are one marker, larger, marked "×n", naming them all."""
    points: dict[tuple, list[str]] = {}
    for name, p, acc, g in zip(names, params, test_accuracy, gap):
        points.setdefault((p, acc, g), []).append(name)
    xs, ys, gaps = zip(*points) if points else ((), (), ())
    counts = [len(group) for group in points.values()]
    runs = dict(
        type="scatter", x=list(xs), y=list(ys), mode="markers+text", textposition="middle right",
        textfont=dict(size=FONT_SIZE + 2),
        text=[f"×{n}" if n > 1 else "" for n in counts],
        hovertext=["<br>".join(group[:SAME_NAMED] + ["…"] * (len(group) > SAME_NAMED)) for group in points.values()],
        marker=dict(size=[min(14 + 4 * (n - 1) ** 0.5, 34) for n in counts], color=[100 * g for g in gaps],
                    colorscale=plain.colorscale("YlOrRd"), cmin=0, cmax=max(10.0, 100 * max(gap, default=0)),
                    # outlined dark: a run better on the test digits is the scale's palest, near white on a projector
                    line=dict(width=1.5, color=MUTED), colorbar=dict(title=dict(text=_("train − test<br>(points)")))),
        hovertemplate="%{hovertext}<br>" + _("%{x:,} parameters<br>test accuracy %{y:.1%}") + "<extra></extra>")
    ticks = [m * 10 ** e for e in range(1, 8) for m in (1, 3)]  # 10, 30, 100, … 30M: few, round, readable
    # at least a decade wide, so that two of them show when the whole class trained one network (or a few alike)
    low, high = np.log10(min(params, default=1e5)), np.log10(max(params, default=1e5))
    middle, half = (low + high) / 2, max((high - low) / 2 + 0.15, 0.5)
    return plain.figure([runs], dict(
        height=420, margin=dict(l=10, r=10, t=10, b=10), font=dict(size=FONT_SIZE),
        xaxis=dict(title=dict(text=_("parameters")), type="log", tickvals=ticks, ticktext=[f"{t:,}" for t in ticks],
                   range=[middle - half, middle + half]),
        yaxis=dict(title=dict(text=_("test accuracy")), tickformat=".0%",
                   range=[max(0.0, min(test_accuracy, default=0.0) - 0.05), 1.0])))


SAME_NAMED = 8  # runs that came out the same: so many named on hovering their marker, then "…"


def class_curves_figure(runs: Sequence[tuple[str, Sequence[EpochStats]]]) -> go.Figure:
    """Many runs' curves at once (the class board): the runs of one colour share a trace, their curves
    separated by gaps, so a class of 150 runs costs a few dozen traces, not hundreds (~60 ms, not ~0.5 s)."""
    traces = []
    for c, colour in enumerate(RUN_COLOURS):
        group = runs[c::len(RUN_COLOURS)]
        if not group:
            continue
        for col, key in ((1, "loss"), (2, "accuracy")):
            for test in (False, True):
                x, y, text = [], [], []
                for label, epochs in group:
                    x += [e.epoch for e in epochs] + [None]
                    y += [getattr(e, ("test_" if test else "") + key) for e in epochs] + [None]
                    text += [label] * len(epochs) + [None]
                traces.append(dict(type="scatter", x=x, y=y, text=text, mode="lines", showlegend=False,
                                   hovertemplate="%{text}<br>" + _("epoch %{x}: %{y:.3g}") + "<extra>"
                                                 + (_("test") if test else _("train")) + "</extra>",
                                   line=dict(color=colour, width=2, dash="dash" if test else "solid"), **_in_chart(col)))
    # the legend says what the lines are (a colour is a run, named on hovering it): solid train, dashed test
    traces += [dict(type="scatter", x=[None], y=[None], mode="lines", name=name, hoverinfo="skip",
                    line=dict(color=MUTED, width=2, dash=dash), **_in_chart(1))
               for name, dash in ((_("train"), "solid"), (_("test"), "dash"))]
    layout = _curves_layout(needs_log_loss([v for _, epochs in runs for e in epochs for v in (e.loss, e.test_loss)]))
    return plain.figure(traces, {**layout, "height": 420, "hovermode": "closest"}, readable=False)  # layout styled
