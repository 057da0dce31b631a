"""Links restore the exact setting on any page; classroom links hide controls; experiments load."""
import json
import time

import numpy as np

from fcviz.data.loading import load_dataset
from fcviz.data.mnist import DIGITS
from fcviz.files.persist import load_model_bytes, run_to_bytes, saved_meta
from fcviz.plots.charts import confusion_figure
from fcviz.plots.plain import enlarged
from fcviz.plots.style import CLASSROOM_SCALE, FONT_SIZE
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer
from fcviz_dev.apptest import button, run_until, shared_links

LINK = {"units": "256,32", "act": "tanh,relu", "dropout": "0.2,0.2", "epochs": "3", "batch": "100", "opt": "sgd",
        "lr": "0.05", "n_train": "500", "l2": "0.0001", "data": "sample"}


def test_link_restores_training_controls(open_app):
    at = open_app("pages/train.py", LINK)
    assert at.slider(key="train_epochs").value == 3
    assert at.select_slider(key="train_batch").value == 100  # a value between the stops is kept
    assert at.selectbox(key="train_optimizer").value == "sgd"
    assert at.select_slider(key="train_lr").value == 0.05
    assert at.select_slider(key="train_size").value == 500
    assert [at.number_input(key=f"train_{k}_typed").value for k in ("size", "epochs", "batch")] == [500, 3, 100]
    assert any("0.2 after hidden_1, 0.2 after hidden_2" in c.value for c in at.caption)  # shown, set on Build
    assert "784-256-32-10" in " ".join(m.value for m in at.markdown)


def test_per_layer_dropout_from_a_link_survives_every_page(open_app):
    at = open_app("pages/train.py", {"units": "256,32", "dropout": "0.1,0.5"})
    for page in ("pages/train.py", "pages/build.py", "pages/draw.py", "pages/inside.py", "pages/train.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert at.query_params["dropout"] == "0.1,0.5", page
        assert [h.dropout for h in at.session_state["fcviz_settings"].network.hidden] == [0.1, 0.5]
    at.switch_page("pages/build.py").run()
    assert [at.slider(key=f"build_dropout_{i}").value for i in (0, 1)] == [0.1, 0.5]
    at.slider(key="build_dropout_1").set_value(0.3).run()
    assert at.query_params["dropout"] == "0.1,0.3"
    rows = {r: row for r, row in at.table[0].value.iterrows()}
    assert rows["dropout_1"]["Type"] == "Dropout" and rows["dropout_2"]["Type"] == "Dropout"


def test_url_follows_the_controls_and_survives_page_switches(open_app):
    at = open_app("pages/train.py")
    at.slider(key="train_epochs").set_value(7).run()
    assert at.query_params["epochs"] == "7"
    at.switch_page("pages/build.py").run()
    at.slider(key="build_units_0").set_value(300).run()
    assert at.query_params["units"] == "300" and at.query_params["epochs"] == "7"
    at.switch_page("pages/train.py").run()
    assert at.slider(key="train_epochs").value == 7


def test_typed_numbers_move_the_sliders_and_the_link(open_app):
    at = open_app("pages/train.py")
    at.number_input(key="train_epochs_typed").set_value(37).run()
    at.number_input(key="train_batch_typed").set_value(100).run()  # between the stops: a stop of its own
    at.number_input(key="train_size_typed").set_value(1234).run()
    assert at.slider(key="train_epochs").value == 37 and at.select_slider(key="train_batch").value == 100
    assert at.select_slider(key="train_size").value == 1234
    assert (at.query_params["epochs"], at.query_params["batch"], at.query_params["n_train"]) == ("37", "100", "1234")
    assert at.number_input(key="train_size_typed").max == 4000  # no more than the data set has
    at.switch_page("pages/build.py").run()
    assert at.number_input(key="build_units_0_typed").value == 128
    at.switch_page("pages/train.py").run()  # back: the boxes show the settings again
    assert at.number_input(key="train_epochs_typed").value == 37 and not at.exception


def test_classroom_link_hides_a_width_with_its_box_and_sizes(open_app):
    at = open_app(query={"classroom": "1", "hide": "units", "units": "256"})
    shown = [w.key for kind in (at.slider, at.number_input, at.button_group) for w in kind]
    assert not [k for k in shown if k.startswith(("build_units", "build_n_hidden"))], shown
    assert "784-256-10" in " ".join(m.value for m in at.markdown)


def test_classroom_link_hides_controls_and_enlarges_text(open_app):
    at = open_app("pages/train.py", {"classroom": "1", "hide": "lr,optimizer,l2", "lr": "0.01"})
    keys = {w.key for w in at.select_slider} | {w.key for w in at.selectbox}
    assert "train_lr" not in keys and "train_optimizer" not in keys and "train_l2" not in keys
    assert "train_batch" in keys
    assert any("font-size: 20px" in str(h.proto) for h in at.get("html"))
    assert at.query_params["lr"] == "0.01" and at.query_params["classroom"] == "1"


def test_the_projector_switch_enlarges_this_screen_every_page_and_after_a_reload(open_app):
    """A teacher projecting had to type `classroom=1` into the address bar: the sidebar's switch does it."""
    def big(at) -> bool:
        return any("font-size: 20px" in str(h.proto) for h in at.get("html"))

    at = open_app("pages/train.py", {"units": "64"})
    assert not big(at) and at.toggle(key="view_projector").value is False
    at.toggle(key="view_projector").set_value(True).run()
    assert big(at) and at.query_params["classroom"] == "1" and at.query_params["units"] == "64"
    at.switch_page("pages/build.py").run()
    assert big(at) and at.toggle(key="view_projector").value is True
    again = open_app("pages/build.py", dict(at.query_params))  # a reload: the address bar's link
    assert big(again) and again.toggle(key="view_projector").value is True
    again.toggle(key="view_projector").set_value(False).run()
    assert not big(again) and "classroom" not in again.query_params and again.query_params["units"] == "64"


def test_the_classroom_view_enlarges_every_text_of_a_chart():
    fig = confusion_figure(np.eye(10, dtype=int) * 90 + 1, DIGITS)
    big = enlarged(fig)
    assert big.layout.font.size == fig.layout.font.size * CLASSROOM_SCALE
    assert big.layout.xaxis.tickfont.size == fig.layout.xaxis.tickfont.size * CLASSROOM_SCALE
    assert big.layout.yaxis.title.font.size == fig.layout.yaxis.title.font.size * CLASSROOM_SCALE
    assert fig.layout.font.size == FONT_SIZE  # the figure it was given is left as it was


def test_classroom_link_draws_the_build_diagram_with_bigger_text(open_app):
    def label_sizes(at) -> list[float]:  # the diagram's labels: W1, the layers' names and widths
        return [a["font"]["size"] for a in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["annotations"]]

    assert label_sizes(open_app(query={"classroom": "1"})) == [
        size * CLASSROOM_SCALE for size in label_sizes(open_app())]


def test_share_box_shows_a_link_with_the_setting(open_app):
    at = open_app(query={"units": "64"})
    assert not at.code  # folded, the box makes no link (and a browser loads no code box for it)
    links = shared_links(at)
    assert links and "units=64" in links[0] and "epochs=10" in links[0]
    at.toggle(key="share_classroom").set_value(True).run()
    assert any("classroom=1" in c.value for c in at.code)


def test_one_click_on_an_experiment_loads_its_network_and_training_in_the_same_view(open_app):
    at = open_app("pages/train.py", {"classroom": "1"})
    pills = at.button_group(key="train_experiment")
    assert pills.value is None and pills.options[:3] == [  # the lecture's order
        "1980s: 3 sigmoid layers", "Deep today: 8 relu layers", "Heroes of deep learning, one at a time"]
    pills.set_value("Overfit on purpose").run()
    assert not at.exception
    assert at.select_slider(key="train_size").value == 500 and at.slider(key="train_epochs").value == 40
    assert at.query_params["units"] == "512,512" and at.query_params["classroom"] == "1"  # still the classroom's
    assert at.button_group(key="train_experiment").value == "Overfit on purpose"  # marked: its settings are on
    assert any(m.value.startswith("**What happens when a wide network sees only 500 digits") for m in at.markdown)
    at.slider(key="train_epochs").set_value(30).run()
    assert at.button_group(key="train_experiment").value is None  # a setting moved: no longer the experiment
    assert at.select_slider(key="train_size").value == 500  # the rest stays


def test_saved_model_carries_settings_and_history_and_continues():
    ds = load_dataset("sample")
    config = TrainConfig(train_size=300, batch_size=64, learning_rate=3e-3)
    run = Run(NetworkSpec(hidden=(LayerSpec(32, "tanh"),)), config, ds)
    Trainer(run, ds, 2).start().join()
    data = run_to_bytes(run.model, run.config, run.epochs)
    saved_config, history = saved_meta(data)
    assert saved_config == config and history == run.epochs
    again = Run.from_model(load_model_bytes(data), ds, saved_config, history)
    assert again.spec == run.spec and again.loaded
    Trainer(again, ds, 1).start().join()
    assert [e.epoch for e in again.epochs] == [1, 2, 3]
    assert saved_meta(b"not a zip") == (None, [])


def test_many_sessions_do_not_see_each_other(open_app):
    a, b = open_app("pages/train.py"), open_app("pages/train.py")
    a.select_slider(key="train_size").set_value(300)
    a.slider(key="train_epochs").set_value(2)
    a.run()
    next(x for x in a.button if x.label == "Train").click().run()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(m.label == "Epochs" and m.value == "2" for m in a.metric):
        time.sleep(0.2)
        a.run()
    b.run()
    assert any(m.label == "Epochs" and m.value == "2" for m in a.metric)
    assert not any(m.label == "Epochs" for m in b.metric)  # b has no model and no curves
    assert any("Press **Train**" in i.value for i in b.info)


def test_rate_series_trains_three_runs_one_after_another_and_overlays_them(open_app):
    at = open_app("pages/train.py")
    at.button_group(key="train_experiment").set_value("Too high, and two fixes: Adam at 0.1").run()
    at.button(key="train_series_start").click().run()
    assert not at.exception
    runs = lambda a: len(a.session_state["fcviz_past_runs"]) + (a.session_state["fcviz_run"] is not None)  # noqa: E731
    run_until(at, lambda a: runs(a) == 3 and not a.session_state["train_series"]
              and not button(a, "Train").disabled, timeout=240)
    labels = [at.session_state["fcviz_run"].label] + [r.label for r in at.session_state["fcviz_past_runs"]]
    assert [("lr 0.1," in x, "lr 0.01," in x, "decay 0.5/epoch" in x) for x in labels] == [  # newest first
        (True, False, True), (False, True, False), (True, False, False)]
    at.session_state["train_results"] = "Compare runs"  # open the tab
    at.run()
    assert at.multiselect(key="train_compare").value == labels  # all three overlaid
    assert at.query_params["lr"] == "0.1" and at.query_params["decay"] == "0.5"


def test_the_settings_a_browser_kept_are_used_only_when_every_part_is_valid(monkeypatch):
    import ui.session as session

    monkeypatch.setattr(session, "cookie", lambda name: "units=200&act=tanh&run=abc&lang=zh&classroom=1")
    assert session._kept_settings() == {"units": "200", "act": "tanh"}  # the view's own cookies, no run, no class
    for hostile in ("units=99999999", "act=rm+-rf", "units=" + "9" * 5000, "%ZZ&&=="):
        monkeypatch.setattr(session, "cookie", lambda name, value=hostile: value)
        assert session._kept_settings() == {}
