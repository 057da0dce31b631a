"""The live chart's messages (`fcviz.plots.live`): the figure once, then only the new points, which, appended to
the figure's traces in order, give exactly the finished chart's curves."""
import json

import numpy as np
import pytest

from fcviz.plots.charts import STAR, curve_points, training_figure
from fcviz.plots.live import frame
from fcviz.train.diagnosis import diagnose
from fcviz.train.history import BatchPoint, EpochStats

TRAIN_LOSSES = [1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05]
TEST_LOSSES = [0.9, 0.6, 0.5, 0.55, 0.6, 0.7, 0.8]  # falls, then rises: a best epoch (3), then overfitting


def epochs(n: int) -> list[EpochStats]:
    return [EpochStats(i + 1, TRAIN_LOSSES[i], 0.5 + i / 20, TEST_LOSSES[i], 0.6 + i / 30, 0.1) for i in range(n)]


def batches(n: int, first: float = 2.4) -> list[BatchPoint]:
    return [BatchPoint((i + 1) / 4, first if i == 0 else 1.5 / (i + 1) + 0.2, 0.1 + i / 40, (0.01, 0.02))
            for i in range(n)]


def grow(traces: list[tuple[list, list]], message: dict) -> list[tuple[list, list]]:
    """What the browser's chart does with a message of new points (plotly.js extendTraces)."""
    return [(x + list(mx), y + list(my)) for (x, y), mx, my in zip(traces, message["x"], message["y"])]


def test_the_figure_goes_once_then_only_the_new_points_which_add_up_to_the_finished_curves():
    first, shown = frame("run1", epochs(1), batches(4), None, None)
    figure = json.loads(first["figure"])
    traces = [(t["x"], t["y"]) for t in figure["data"][:STAR]]
    assert figure["data"][STAR]["name"] == "lowest test loss"  # the star's trace is there before a best epoch
    sizes = []
    for n in range(2, 8):
        e, b = epochs(n), batches(4 * n)
        message, shown = frame("run1", e, b, diagnose(e, b), shown)
        assert "figure" not in message and message["from"] == [4 * (n - 1), n - 1]
        if "marks" not in message:  # sent only when the star or the overfitting band moved
            sizes.append(len(json.dumps(message)))
        traces = grow(traces, message)
    e, b = epochs(7), batches(28)
    finished = training_figure(e, b, diagnose(e, b))
    # the same points, in the same order (to the six digits a message carries)
    assert [(list(t.x), list(t.y)) for t in finished.data[:STAR]] == curve_points(e, b)
    for (x, y), (fx, fy) in zip(traces, curve_points(e, b)):
        assert np.allclose(x, fx, rtol=1e-5, atol=0) and np.allclose(y, fy, rtol=1e-5, atol=0)
    assert sizes and max(sizes) < 500, sizes  # a few hundred bytes, not a figure (the first message: several kB)
    assert len(first["figure"]) > 5 * max(sizes)


def test_the_marks_follow_the_reading_as_the_training_goes():
    e = epochs(7)
    message, _ = frame("run1", e, batches(28), diagnose(e, batches(28)), None)
    assert message["marks"]["star"]["x"] == [3] and message["marks"]["star"]["name"] == "lowest test loss: epoch 3"
    assert len(message["marks"]["shapes"]) == 2 and message["marks"]["annotations"][0]["text"] == "overfitting"
    early, _ = frame("run1", e[:2], batches(8), diagnose(e[:2], batches(8)), None)
    assert early["marks"]["shapes"] == [] and early["marks"]["annotations"] == []


def test_the_whole_figure_goes_again_for_another_run_another_make_or_a_loss_axis_turned_logarithmic():
    _, shown = frame("run1", epochs(2), batches(8, first=1.0), None, None)
    assert "figure" in frame("run2", epochs(2), batches(8), None, shown)[0]  # another run
    assert "figure" in frame("run1", epochs(2), batches(8, first=1.0), None, shown, make=("zh",))[0]  # language
    assert "figure" in frame("run1", epochs(1), batches(4, first=1.0), None, shown)[0]  # fewer points: reset
    same, again = frame("run1", epochs(2), batches(8, first=1.0), None, shown)
    assert "figure" not in same and same["x"] == [[]] * STAR and again == shown  # nothing new: nothing sent
    blown = batches(12, first=1.0)
    blown[9:] = [BatchPoint(2.5, 150.0, 0.1), BatchPoint(2.75, 140.0, 0.1), BatchPoint(3.0, 130.0, 0.1)]
    assert "figure" in frame("run1", epochs(2), blown, None, shown)[0]  # the loss axis changes kind


def test_an_empty_live_chart_reads_0_to_100_percent_until_its_first_points():
    """Plotly gives an axis with no points -1 to 4: the accuracy read -100 % to 400 % while a training started."""
    message, shown = frame("run1", [], [], None, None)
    layout = json.loads(message["figure"])["layout"]
    assert layout["yaxis2"]["range"] == [0, 1] and layout["xaxis"]["range"] == [0, 1]
    assert layout["yaxis"]["range"] == [0, pytest.approx(np.log(10))]
    assert layout["meta"] == {message["empty"]: True}  # the browser's chart lets its axes fit the first points
    later, _ = frame("run1", epochs(1), batches(4), None, shown)
    assert "figure" not in later and later["from"] == [0, 0]  # those points are appended, not a new figure
    with_points = json.loads(frame("run1", epochs(1), batches(4), None, None)[0]["figure"])["layout"]
    assert "range" not in with_points["yaxis2"] and "meta" not in with_points


def test_the_accuracy_axis_never_reads_below_0_or_far_above_100_percent():
    """One point's padding read -50 % when a live chart got its first point."""
    for fig in (training_figure([], batches(1), live=True), training_figure(epochs(3), batches(12))):
        assert fig.layout.yaxis2.autorangeoptions.clipmin == 0 and fig.layout.yaxis2.autorangeoptions.clipmax == 1.05


def test_a_loss_that_blew_up_goes_as_a_gap_not_as_nan():
    """JSON has no NaN: a strict encoder (the live feed's) refused such a message, and a browser's parser too."""
    e, b = epochs(1), batches(4)
    _, shown = frame("run1", e, b, None, None)
    grown = b + [BatchPoint(1.25, float("nan"), float("inf"), ())]
    message, _ = frame("run1", e, grown, None, shown)
    json.dumps(message, allow_nan=False)  # (raises on NaN or infinity)
    assert None in message["y"][0]
