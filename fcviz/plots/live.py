"""The live chart of a training: what the page server sends to the browser while it trains.

Rebuilding the whole curves' figure in Python and re-sending it at every tick (twice a second then) cost the page
server ~20–60 ms per student per tick: with thirty students training, most of its CPU. The live chart instead receives
the figure once, then, at each tick, only the points that arrived since (a few hundred bytes), which the browser
appends to the traces it already has (`ui/train/browser/live_chart.js`), and the best epoch's star and the
overfitting marks when they moved. When the training ends, the page draws the finished run's full chart as before.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Sequence

import plotly.io as pio

from fcviz.plots.charts import (
    EMPTY_RANGES,
    STAR,
    best_star,
    curve_points,
    needs_log_loss,
    overfitting_marks,
    training_figure,
)
from fcviz.train.diagnosis import Diagnosis
from fcviz.train.history import BatchPoint, EpochStats


@dataclass(frozen=True)
class Shown:
    """What a browser's live chart holds: the run, how many batch points and epochs, the figure's make (its loss
    axis, language and size) and its marks, so that the next frame sends only what is new, or the whole figure when
    it changed."""

    run_id: str
    batches: int
    epochs: int
    make: tuple
    marks: str = ""  # as sent


def marks(epochs: Sequence[EpochStats], diagnosis: Diagnosis | None) -> dict:
    """The parts of the chart that move as a whole rather than grow: the star of the lowest test loss (a trace) and
    the overfitting band and its label (shapes and annotations added to the figure's own)."""
    shapes, annotations = overfitting_marks(epochs, diagnosis)
    return {"star": best_star(epochs, diagnosis), "shapes": shapes, "annotations": annotations}


def frame(run_id: str, epochs: Sequence[EpochStats], batches: Sequence[BatchPoint], diagnosis: Diagnosis | None,
          shown: Shown | None, make: tuple = (), dress=None) -> tuple[dict, Shown]:
    """The message for a live chart that holds `shown` (None: nothing yet), and what it holds after it.

    `make` names whatever else the figure depends on (the language, the classroom view); `dress` turns a figure into
    the one the page shows (the classroom view's bigger text). The whole figure goes when the chart holds nothing,
    another run or another make, or when the loss axis turns logarithmic; otherwise only the new points."""
    make = (needs_log_loss([b.loss for b in batches] + [e.loss for e in epochs] + [e.test_loss for e in epochs]),
            *make)
    placed = marks(epochs, diagnosis)
    now = Shown(run_id, len(batches), len(epochs), make, json.dumps(placed))
    message = {"run": run_id, "batches": now.batches, "epochs": now.epochs}
    whole = shown is None or (shown.run_id, shown.make) != (run_id, make) or shown.batches > now.batches \
        or shown.epochs > now.epochs
    if whole:
        fig = training_figure(epochs, batches, diagnosis, live=True)
        message["figure"] = pio.to_json(dress(fig) if dress else fig, validate=False)  # parsed by the browser
        message["star"], message["empty"] = STAR, EMPTY_RANGES
    else:
        new = curve_points(epochs[shown.epochs:], batches[shown.batches:])
        message["from"] = [shown.batches, shown.epochs]
        message["x"], message["y"] = [_short(x) for x, _ in new], [_short(y) for _, y in new]
    if whole or now.marks != shown.marks:
        message["marks"] = placed
    return message, now


def _short(values: list) -> list:
    """Six significant digits: what a chart can show, and a third of a float32's seventeen in the message; a value
    that is not finite (a loss that blew up) as null, a gap in the curve (JSON has no NaN: a strict encoder refuses
    the message, a browser's parser too)."""
    return [float(f"{v:.6g}") if math.isfinite(v) else None for v in values]
