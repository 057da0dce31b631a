"""Bad input, catalogued: every control at and past its limits, odd canvases and garbage links.

Each case asserts two things: a clear message where one is due, and a page that still works
(no exception, its title and main content drawn). Bad model files are catalogued in
test_draw_page.py; the lazy-build inputs of the Inside page in test_inside.py.
"""
import sys
import types

import numpy as np
import pytest

from fcviz.data.loading import load_dataset
from fcviz.net.model import architecture
from fcviz.settings.fields import BATCH_SIZES, LEARNING_RATES
from fcviz.settings.spec import HIDDEN_ACTIVATIONS, MAX_DROPOUT, MAX_HIDDEN_LAYERS, MAX_UNITS, LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer
from fcviz_dev.apptest import button, metric, run_until

PAGES = {
    "pages/build.py": "Build a fully connected network",
    "pages/train.py": "Train on MNIST",
    "pages/draw.py": "Draw a digit",
    "pages/inside.py": "Inside the network",
}


def works(at, page: str) -> None:
    assert not at.exception, at.exception
    assert any(t.value == PAGES[page] for t in at.title), [t.value for t in at.title]


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning).replace("\\", "")  # notes are Markdown-escaped


def total_params(at) -> str:
    return next(m.value for m in at.metric if m.label == "Total params")


# ---- links ----------------------------------------------------------------------------------
GARBAGE_LINKS = [
    ({"colour": "red", "x": "1"}, "Ignored unknown link parameters: colour, x"),
    ({"units": "abc"}, "'units=abc' is not a number"),
    ({"units": "5000"}, "outside 1–1024: using 1024"),
    ({"units": "0"}, "outside 1–1024: using 1"),
    ({"units": ",".join(["64"] * 1000)}, "1,000 hidden layers asked for; the limit is 8"),
    ({"units": "9" * 400}, "(400 characters)"),
    ({"act": "swish"}, "'act=swish' is not one of"),
    ({"dropout": "5"}, "outside 0–0.9: using 0.9"),
    ({"lr": "fast"}, "'lr=fast' is not a number"),
    ({"lr": "0"}, "outside 1e-06–10: using 1e-06"),
    ({"lr": "1e9"}, "outside 1e-06–10: using 10"),
    ({"lr": "nan"}, "'lr=nan' is not a number"),
    ({"epochs": "0"}, "'epochs=0' is outside 1–200: using 1"),
    ({"epochs": "1e400"}, "using 200"),
    ({"batch": "-3"}, "'batch=-3' is outside"),
    ({"n_train": "1"}, "'n_train=1' is outside 10–60000: using 10"),
    ({"opt": "magic"}, "'opt=magic' is not one of adam, sgd, rmsprop"),
    ({"data": "http://example.com/x.npz"}, "is not one of sample, mnist, fashion or folder:NAME: using sample"),
    ({"hide": "everything"}, "Cannot hide everything"),
    ({"input": "-1", "out": "0"}, "'input=-1' is outside"),
    ({"act": "[free marks](http://example.com)"}, "is not one of"),
    ({"init": "ones"}, "'init=ones' is not one of xavier, he, normal, zeros: using xavier"),
]


def open_with_link(new_app, page: str, query: dict):
    """Open `page` straight from a link, as a student clicking it would."""
    at = new_app()
    at.query_params.update(query)
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize("query, note", GARBAGE_LINKS, ids=[n[:30] for _, n in GARBAGE_LINKS])
def test_garbage_link_gives_a_message_and_a_working_page(new_app, query, note):
    at = open_with_link(new_app, "pages/build.py", query)
    assert "could not be used" in warnings(at) and note in warnings(at), warnings(at)
    works(at, "pages/build.py")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opened_from_a_garbage_link_warns_and_works(new_app, page):
    query = {k: v for q, _ in GARBAGE_LINKS for k, v in q.items()}  # all of it at once (the last of each key)
    at = open_with_link(new_app, page, query)
    for fragment in ("Ignored unknown link parameters", "'epochs=1e400' is outside 1–200: using 200", "'opt=magic'",
                     "(400 characters)", "Cannot hide everything"):
        assert fragment in warnings(at)
    works(at, page)
    assert at.query_params["epochs"] == "200"  # the URL now holds the setting shown


def test_link_garbage_cannot_become_a_markdown_link(new_app):
    at = open_with_link(new_app, "pages/build.py", {"act": "[free marks](http://example.com)"})
    raw = " ".join(w.value for w in at.warning)
    assert "](http" not in raw and r"\[free marks\]\(http" in raw


def test_softmax_over_one_output_is_pointed_out(new_app):
    at = open_with_link(new_app, "pages/build.py", {"out": "1"})
    assert "always gives 1.0" in warnings(at)
    works(at, "pages/build.py")


def test_train_controls_follow_a_clamped_link(new_app):
    at = open_with_link(new_app, "pages/train.py", {"epochs": "0", "lr": "1e9", "n_train": "1"})
    assert at.slider(key="train_epochs").value == 1
    assert at.select_slider(key="train_lr").value == LEARNING_RATES[-1]
    assert at.select_slider(key="train_size").value == 10
    works(at, "pages/train.py")


# ---- Build page controls --------------------------------------------------------------------
@pytest.mark.parametrize("layers", [0, MAX_HIDDEN_LAYERS])
@pytest.mark.parametrize("units", [1, MAX_UNITS])
def test_depth_and_width_at_both_ends(open_app, layers, units):
    at = open_app()
    at.slider(key="build_n_hidden").set_value(layers).run()
    for i in range(layers):
        at.slider(key=f"build_units_{i}").set_value(units).run()
    expected = NetworkSpec(hidden=tuple(LayerSpec(units) for _ in range(layers)))
    assert total_params(at) == f"{architecture(expected).total_params:,}"
    assert len(at.table[0].value) == layers + 1
    works(at, "pages/build.py")


def test_every_activation_in_every_layer(open_app):
    at = open_app()
    at.slider(key="build_n_hidden").set_value(len(HIDDEN_ACTIVATIONS)).run()
    for i, act in enumerate(HIDDEN_ACTIVATIONS):
        at.selectbox(key=f"build_act_{i}").set_value(act).run()
    assert list(at.table[0].value["Activation"])[:-1] == list(HIDDEN_ACTIVATIONS)
    works(at, "pages/build.py")
    at.switch_page("pages/inside.py").run()  # the math page draws every activation too
    works(at, "pages/inside.py")


# ---- Train page controls --------------------------------------------------------------------
def train(at, **controls) -> None:
    """Set the Train page's controls, press Train and wait until it is done."""
    for key, value in controls.items():
        widget = at.select_slider(key=key) if key in ("train_size", "train_lr", "train_batch") else at.slider(key=key)
        widget.set_value(value)
    at.run()
    button(at, "Train").click()
    run_until(at, lambda a: not button(a, "Train").disabled and not button(a, "Reset").disabled)
    works(at, "pages/train.py")


@pytest.fixture
def train_page(open_app):
    at = open_app("pages/train.py")
    at.select_slider(key="train_size").set_value(200)
    at.slider(key="train_epochs").set_value(2)
    return at


@pytest.mark.parametrize("lr", [LEARNING_RATES[0], LEARNING_RATES[-1]])
def test_learning_rate_at_both_ends(train_page, lr):
    train(train_page, train_lr=lr)
    errors = " ".join(e.value for e in train_page.error)
    if lr == LEARNING_RATES[-1] and errors:  # too high: the loss may blow up, and the page says why
        assert "too high" in errors and "keeps its last good weights" in errors
    else:
        assert metric(train_page, "Epochs") == "2"


def test_diverging_training_keeps_what_was_trained_before(train_page):
    train(train_page)
    first = train_page.session_state["fcviz_run"]
    train_page.select_slider(key="train_lr").set_value(LEARNING_RATES[-1])
    train_page.selectbox(key="train_optimizer").set_value("sgd")
    train(train_page)
    second = train_page.session_state["fcviz_run"]
    assert second is not first
    past = train_page.session_state["fcviz_past_runs"]
    assert past and past[0][1] == first.epochs  # the earlier run is still there to compare with
    for weights in second.model.get_weights():
        assert np.isfinite(weights).all()  # a NaN never reaches the model


@pytest.mark.parametrize("dropout", [0.0, MAX_DROPOUT])
def test_dropout_at_both_ends(train_page, dropout):
    train_page.run()  # the fixture's training-set size and epochs, before leaving the page
    train_page.switch_page("pages/build.py").run()
    train_page.slider(key="build_dropout_0").set_value(dropout).run()
    train_page.switch_page("pages/train.py").run()
    train(train_page)
    assert metric(train_page, "Epochs") == "2"
    assert train_page.session_state["fcviz_run"].spec.hidden[0].dropout == dropout


def test_batch_larger_than_the_training_set(train_page):
    train(train_page, train_size=10, train_batch=BATCH_SIZES[-1])
    assert any("full-batch gradient descent" in i.value for i in train_page.info)
    assert metric(train_page, "Epochs") == "2"


def test_epochs_at_both_ends_of_the_slider(train_page):
    train_page.slider(key="train_epochs").set_value(1)
    train(train_page)
    assert metric(train_page, "Epochs") == "1"
    train_page.slider(key="train_epochs").set_value(200).run()
    assert train_page.session_state["fcviz_settings"].training.epochs == 200
    button(train_page, "Train").click().run()
    button(train_page, "Stop").click().run()
    run_until(train_page, lambda a: not button(a, "Train").disabled)
    assert any("Stopped after" in i.value for i in train_page.info)


def test_epochs_zero_is_refused_by_the_library():
    with pytest.raises(ValueError, match="epochs"):
        TrainConfig(epochs=0)
    ds = load_dataset("sample")
    with pytest.raises(ValueError, match="epochs must be from 1"):
        Trainer(Run(NetworkSpec(), TrainConfig(), ds), ds, 0)


# ---- Draw page canvases ---------------------------------------------------------------------
class FakeCanvas:
    """What streamlit-drawable-canvas returns; the real canvas is driven in tests/e2e."""

    def __init__(self, image_data):
        self.image_data, self.json_data = image_data, None


def blank(value: int = 0) -> np.ndarray:
    rgba = np.full((280, 280, 4), value, dtype=np.uint8)
    rgba[..., 3] = 255
    return rgba


def one_dot() -> np.ndarray:
    rgba = blank()
    rgba[140, 140, :3] = 255
    return rgba


@pytest.fixture(scope="module")
def learned_run():
    ds = load_dataset("sample")
    run = Run(NetworkSpec(hidden=(LayerSpec(32),)), TrainConfig(train_size=1000), ds)
    Trainer(run, ds, 2).start().join()
    return run


CANVASES = [
    ("never drawn", None, "info", "Draw a digit from 0 to 9"),
    ("empty", blank(0), "info", "Draw a digit from 0 to 9"),
    ("full", blank(255), "prediction", None),
    ("one dot", one_dot(), "prediction", None),
    ("not an image", np.zeros((280, 280, 5), dtype=np.uint8), "error", "Could not read the canvas"),
]


@pytest.mark.parametrize("name, image, shows, text", CANVASES, ids=[c[0] for c in CANVASES])
def test_canvas_extremes(new_app, monkeypatch, learned_run, name, image, shows, text):
    canvas_module = types.ModuleType("streamlit_drawable_canvas")  # the real one imports only in a served app
    canvas_module.st_canvas = lambda **kw: FakeCanvas(image)
    monkeypatch.setitem(sys.modules, "streamlit_drawable_canvas", canvas_module)
    at = new_app()
    at.session_state["fcviz_run"] = learned_run
    at.switch_page("pages/draw.py").run()
    works(at, "pages/draw.py")
    if shows == "prediction":
        html = " ".join(m.value for m in at.markdown)
        assert "Prediction" in html and len(at.get("plotly_chart")) >= 2  # the 28×28 image and the bars
        seen = at.session_state["fcviz_last_drawing"]
        assert seen.shape == (28, 28) and 0 < seen.max() <= 1
    else:
        assert any(text in m.value for m in getattr(at, shows))
