"""Each layer's gradient size, measured inside the compiled step and carried with the curve's points: vanishing
gradients in a deep sigmoid network are seen on the Train page, not told (issue 28)."""
import json
import math

import numpy as np
import pytest

from fcviz import i18n
from fcviz.data.loading import load_dataset
from fcviz.plots.charts import gradients_figure
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.history import BatchPoint
from fcviz.train.job import Update
from fcviz.train.training import Run, Trainer
from fcviz_dev.apptest import button, metric, run_until
from ui import keys
from ui.train.gradients import dense_layer_names

DEEP = 8  # hidden layers: the lecture's deep sigmoid stack, and more


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


def trained(ds, activation: str, gradients: bool = True, watch: list | None = None):
    """One epoch of 8 hidden layers of 32 units with plain SGD, on the engine (worker processes); the Progress at
    its end. `watch` collects the gradient sizes the page could have read while it trained."""
    spec = NetworkSpec(hidden=tuple(LayerSpec(32, activation) for _ in range(DEEP)))
    run = Run(spec, TrainConfig(train_size=1000, batch_size=32, optimizer="sgd", learning_rate=0.1), ds)
    trainer = Trainer(run, ds, 1, gradients=gradients).start()
    while (p := trainer.progress()).active:
        if watch is not None:
            watch += [b.grads for b in p.batches]
        trainer.join(0.05)
    assert p.state == "finished", p.message
    return p


def test_a_deep_sigmoid_networks_first_layers_get_almost_no_gradient_and_relus_do(ds):
    """8 sigmoid layers: each passes back at most a quarter of the gradient (σ' ≤ 1/4), so the first layer's is
    thousands of times smaller than the output's. relu with Glorot (Xavier) weights keeps the layers close."""
    during: list = []
    sigmoid = trained(ds, "sigmoid", watch=during)
    relu = trained(ds, "relu")
    for p in (sigmoid, relu):
        assert len(p.batches) == 32 and all(len(b.grads) == DEEP + 1 for b in p.batches)  # hidden_1 … output
        assert all(g > 0 and math.isfinite(g) for b in p.batches for g in b.grads)
    assert any(len(g) == DEEP + 1 for g in during)  # they reach the page while it trains, with the curve
    s = np.array([b.grads for b in sigmoid.batches])
    r = np.array([b.grads for b in relu.batches])
    assert np.all(s[:, 0] < 1e-3 * s[:, -1])  # vanished: below a thousandth of the output layer's
    assert np.all(np.diff(np.log(s.mean(axis=0))) > 0)  # and smaller with every layer further from the output
    assert np.all(r.min(axis=1) > 0.05 * r.max(axis=1))  # relu: every layer within twentyfold of the others


def test_gradients_can_be_left_out_and_travel_as_plain_rows(ds):
    """The benchmark's comparison trains without them; messages and the class store carry a point as a flat row,
    and a row saved before gradients were measured reads back without them."""
    assert all(b.grads == () for b in trained(ds, "relu", gradients=False).batches)
    point = BatchPoint(0.5, 1.2, 0.6, (1e-5, 2e-3))
    update = Update("job", (point,), None, 100)
    assert Update.from_message(update.to_message()) == update
    assert point.row() == [0.5, 1.2, 0.6, 1e-5, 2e-3] and BatchPoint.of_row(point.row()) == point
    assert BatchPoint.of_row([0.5, 1.2, 0.6]) == BatchPoint(0.5, 1.2, 0.6)


def test_the_chart_has_a_line_per_layer_on_a_log_axis():
    names = dense_layer_names(NetworkSpec(hidden=(LayerSpec(64), LayerSpec(32))))
    assert names == ["hidden_1", "hidden_2", "output"]
    points = [BatchPoint(0.5, 1.0, 0.5), BatchPoint(1.0, 0.8, 0.6, (1e-6, 0.0, 1e-2)),
              BatchPoint(1.5, 0.7, 0.7, (2e-6, 1e-4, 2e-2)), BatchPoint(2.0, 0.6, 0.7, (1e-3,))]
    fig = gradients_figure(points, names)
    assert [t.name for t in fig.data] == names and fig.layout.yaxis.type == "log"
    assert all(list(t.x) == [1.0, 1.5] for t in fig.data)  # only points with a size for every layer
    assert list(fig.data[0].y) == [1e-6, 2e-6] and list(fig.data[1].y) == [None, 1e-4]  # 0 has no place on a log axis
    assert len({t.line.color for t in fig.data}) == 3
    i18n.use("zh")
    try:
        assert "损失" in gradients_figure(points, names).layout.yaxis.title.text
    finally:
        i18n.use(None)


def gradient_figures(at) -> list[dict]:
    """The figures the page drew whose y axis is the gradients' (∂loss/∂w), as plotly's JSON."""
    return [f for f in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
            if "∂loss/∂w" in f["layout"].get("yaxis", {}).get("title", {}).get("text", "")]


def test_the_train_page_shows_the_gradients_under_the_curves(open_app):
    at = open_app("pages/train.py")
    at.select_slider(key="train_size").set_value(500)
    at.slider(key="train_epochs").set_value(2)
    at.run()
    assert not [e for e in at.expander if e.label.startswith("Gradients per layer")]  # nothing trained yet
    button(at, "Train").click()
    run_until(at, lambda a: any(m.label == "Epochs" for m in a.metric) and metric(a, "Epochs") == "2"
              and not button(a, "Train").disabled)
    (expander,) = [e for e in at.expander if e.label.startswith("Gradients per layer")]
    charts = len(at.get("plotly_chart"))
    assert not any("vanishing gradients" in c.value for c in at.caption)  # closed: nothing drawn in it
    at.session_state[keys.TRAIN_GRADIENTS] = True  # the student opens it
    at.run()
    assert any("vanishing gradients" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == charts + 1 and not at.exception
    (figure,) = gradient_figures(at)
    assert figure["layout"]["yaxis"]["type"] == "log" and [t["name"] for t in figure["data"]] == ["hidden_1", "output"]
    run_until(at, lambda a: "run" in a.query_params)  # saved in the class store: its link reopens it with them
    again = open_app("pages/train.py", {"run": at.query_params["run"]})
    again.session_state[keys.TRAIN_GRADIENTS] = True
    again.run()
    assert [f["data"] for f in gradient_figures(again)] == [figure["data"]]
