"""The figures made as plain data (`fcviz.plots.plain`) are what plotly's checks would have made of them: nothing the
checks would refuse or convert, and their text readable (`plain.styled`)."""
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from fcviz.net.spread import LayerSpread, Spread
from fcviz.plots import charts, plain
from fcviz.plots.diagram import network_figure
from fcviz.plots.style import FONT, INK
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.train.diagnosis import diagnose
from fcviz.train.history import BatchPoint, EpochStats

RNG = np.random.default_rng(0)


def shipped(fig: go.Figure) -> dict:
    """The figure as it reaches the browser (`st.plotly_chart` sends `to_json(validate=False)` of it)."""
    return json.loads(pio.to_json(fig, validate=False))


def spread() -> Spread:
    def layer(name: str, k: float) -> LayerSpread:
        return LayerSpread(name, 784, 128, 0.05, 1.2 * k, -3 * k, -0.5 * k, 0.01, 0.6 * k, 3.2 * k)
    return Spread((layer("hidden_1", 1), layer("hidden_2", 2), layer("output", 3)), True)


def epochs(n: int, overfit: bool = False) -> list[EpochStats]:
    return [EpochStats(i + 1, 1 / (i + 1), 0.5 + i / 40, 1.1 / (i + 1) + (i / 10 if overfit else 0), 0.5 + i / 45,
                       seconds=1.0, learning_rate=1e-3) for i in range(n)]


def batches(n: int) -> list[BatchPoint]:
    return [BatchPoint(i / 10, 1 / (1 + i / 10), 0.5, (0.1, 0.2)) for i in range(n)]


FIGURES = {
    "probability bars": lambda: charts.probability_bars(RNG.dirichlet(np.ones(10))),
    "probability bars of clothes": lambda: charts.probability_bars(RNG.dirichlet(np.ones(10)), tuple("abcdefghij")),
    "pixels": lambda: charts.pixel_image(RNG.random(784), 200),
    "activation strip": lambda: charts.activation_strip(RNG.random(130)),
    "activation strip, a unit chosen": lambda: charts.activation_strip(RNG.random(130), 64, 70),
    "gradient map": lambda: charts.gradient_map(RNG.normal(size=784), RNG.random(784)),
    "pixel products": lambda: charts.pixel_products(RNG.normal(size=784), "x·w"),
    "spread": lambda: charts.spread_figure.__wrapped__(spread()),
    "diagram": lambda: network_figure.__wrapped__(NetworkSpec(hidden=(LayerSpec(300, dropout=0.2),
                                                                      LayerSpec(300, batchnorm=True)))),
    "live curves, empty": lambda: charts.training_figure([], [], live=True),
    "live curves": lambda: charts.training_figure(epochs(12, True), batches(120), diagnose(epochs(12, True)), live=True),
    "curves, overfitting": lambda: charts.training_figure(epochs(12, True), batches(120), diagnose(epochs(12, True))),
    "curves, log loss": lambda: charts.training_figure([], [BatchPoint(0.1, 150.0, 0.1)] + batches(30)),
    "gradients": lambda: charts.gradients_figure(batches(50), ["hidden_1", "hidden_2", "output"]),
    "confusion": lambda: charts.confusion_figure(np.vstack([RNG.integers(0, 50, (9, 10)), np.zeros((1, 10), int)])),
    "confusion of clothes": lambda: charts.confusion_figure(RNG.integers(0, 50, (10, 10)), tuple("abcdefghij")),
    "accuracy per class": lambda: charts.per_class_figure(RNG.random(10)),
    "runs compared": lambda: charts.compare_figure([("#1", epochs(5)), ("#2", epochs(8, True))]),
    "the class's curves": lambda: charts.class_curves_figure([(f"#{i}", epochs(3 + i % 4)) for i in range(20)]),
    "the class's board": lambda: charts.board_figure(["a", "b"], [1000, 50_000], [0.8, 0.9], [0.01, 0.2]),
    "an empty board": lambda: charts.board_figure([], [], [], []),
    "a board with runs alike": lambda: charts.board_figure([f"s{i}" for i in range(12)], [1000] * 11 + [5000],
                                                            [0.8] * 11 + [0.9], [0.01] * 11 + [0.2]),
    "activation functions": lambda: charts.activation_functions(RNG.normal(size=50), "relu"),
    "weight histograms": lambda: charts.weight_histograms([("W1", RNG.random(100)), ("W2", RNG.random(30))]),
    "kernel images": lambda: charts.kernel_images(RNG.normal(size=(784, 20))),
    "a unit's inputs": lambda: charts.input_bars(RNG.random(30), RNG.normal(size=30)),
}


@pytest.mark.parametrize("name", FIGURES)
def test_a_plain_figure_is_what_plotly_checks_make_of_it(name):
    fig = FIGURES[name]()
    assert shipped(fig) == shipped(plain.checked(fig))


@pytest.mark.parametrize("name", FIGURES)
def test_a_chart_enlarged_for_the_classroom_is_what_plotly_checks_make_of_it(name):
    big = plain.enlarged(FIGURES[name]())
    assert shipped(big) == shipped(plain.checked(big))
    assert shipped(big)["layout"]["font"]["size"] > FONT["size"]


def test_plain_figures_are_readable():
    """Fonts on the layout, every axis' numbers and title, ink on the annotations: what `plain.styled` gives a figure."""
    for fig in (charts.probability_bars(RNG.dirichlet(np.ones(10))), charts.spread_figure.__wrapped__(spread()),
                charts.training_figure(epochs(12, True), batches(120), diagnose(epochs(12, True)))):
        layout = shipped(fig)["layout"]
        assert FONT.items() <= layout["font"].items()
        axes = [k for k in layout if k.startswith(plain.AXES)]
        assert {"xaxis", "yaxis"} <= set(axes)
        for axis in axes:
            assert layout[axis]["tickfont"] == FONT and layout[axis]["title"]["font"] == FONT
        assert all(note["font"]["color"] == INK for note in layout.get("annotations", []))


def test_styled_gives_what_plotlys_updates_give():
    layout = dict(font=dict(size=12, family="serif"), xaxis=dict(title="epoch"), yaxis2=dict(tickfont=dict(size=9)),
                  annotations=[dict(text="a", x=0, y=0, font=dict(size=20))])
    reference = go.Figure(layout=layout)  # what every figure maker used to do, with plotly's own calls
    reference.update_layout(font=FONT)
    reference.update_xaxes(tickfont=FONT, title_font=FONT)
    reference.update_yaxes(tickfont=FONT, title_font=FONT)
    reference.update_annotations(font_color=INK)
    reference.update_layout(legend_font=FONT)  # and the legend's, which Streamlit's theme sets apart
    assert shipped(plain.figure([], layout)) == shipped(reference)
    # unstyled, a title given as bare text stays so, where plotly's checks make it {"text": ...}: the makers' test
    # above is what catches such a shorthand
    unstyled = plain.figure([], layout, readable=False)
    assert shipped(unstyled) != shipped(plain.checked(unstyled))
    assert shipped(unstyled)["layout"]["xaxis"]["title"] == "epoch"


def test_a_named_colour_scale_is_sent_as_plotly_sends_it():
    assert plain.colorscale("gray") == shipped(go.Figure(go.Heatmap(colorscale="gray")))["data"][0]["colorscale"]
    assert plain.colorscale("gray")[0] == [0.0, "rgb(0, 0, 0)"]


def test_runs_that_came_out_the_same_are_one_marker_marked_with_their_number():
    names = ["student 1", "student 2", "student 3", "student 4"]
    fig = charts.board_figure(names, [101_770, 101_770, 101_770, 25_450], [0.645, 0.645, 0.645, 0.7],
                              [-0.037, -0.037, -0.037, 0.01])
    (runs,) = shipped(fig)["data"]
    assert runs["x"] == [101_770, 25_450] and runs["text"] == ["×3", ""]  # three runs alike: one marker, "×3"
    assert runs["hovertext"] == ["student 1<br>student 2<br>student 3", "student 4"]  # each named on hovering
    assert runs["marker"]["size"][0] > runs["marker"]["size"][1]


def test_runs_with_the_same_numbers_are_drawn_once_and_named_together():
    fig = charts.compare_figure([("#1", epochs(5)), ("#2", epochs(8, True)), ("#3", epochs(5))])
    named = [t["name"] for t in shipped(fig)["data"] if t.get("showlegend")]
    assert named == ["#1 = #3 · test", "#2 · test"]  # #3 trained as #1 did: its curves would hide under #1's
    fig = charts.compare_figure([("#2 784-128-10 relu", epochs(5)), ("#1 784-128-10 relu", epochs(5))])
    assert [t["name"] for t in shipped(fig)["data"] if t.get("showlegend")] == ["#2 = #1 784-128-10 relu · test"]


def test_the_board_shows_two_parameter_ticks_when_the_whole_class_trained_one_network():
    for params in ([101_770] * 5, [101_770, 118_282], [7_850, 25_450, 2_913_290]):
        fig = shipped(charts.board_figure([f"s{i}" for i in range(len(params))], params, [0.9] * len(params),
                                          [0.01] * len(params)))
        axis = fig["layout"]["xaxis"]
        low, high = (10 ** v for v in axis["range"])  # a log axis' range is in decades
        assert low < min(params) and max(params) < high  # every run's marker inside
        assert sum(low <= t <= high for t in axis["tickvals"]) >= 2, (params, axis["range"])


def test_the_class_curves_say_which_line_is_train_and_which_is_test():
    fig = shipped(charts.class_curves_figure([(f"#{i}", epochs(3)) for i in range(3)]))
    legend = [(t["name"], t["line"]["dash"]) for t in fig["data"] if t.get("showlegend", True) and "name" in t]
    assert legend == [("train", "solid"), ("test", "dash")]
