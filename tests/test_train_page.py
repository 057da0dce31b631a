"""The Train page through AppTest: train, read the metrics, continue, fall back on bad data."""
import json

import pytest

from fcviz_dev.apptest import button, metric, run_until
from ui import keys


@pytest.fixture
def at(open_app):
    at = open_app("pages/train.py")
    at.select_slider(key="train_size").set_value(500)
    at.slider(key="train_epochs").set_value(3)
    at.run()
    return at


def test_page_shows_network_and_invites_training(at):
    text = " ".join(m.value for m in at.markdown)
    assert "784-128-10" in text and "101,770" in text and "training on 500 of 4,000" in text
    assert any("Press **Train**" in i.value for i in at.info)
    assert button(at, "Stop").disabled and button(at, "Continue").disabled


def test_train_then_continue(at):
    button(at, "Train").click()
    run_until(at, lambda a: any(m.label == "Epochs" for m in a.metric) and metric(a, "Epochs") == "3"
              and not button(a, "Train").disabled)
    test_acc = float(metric(at, "Test accuracy").rstrip("%"))
    assert 50 < test_acc <= 100
    assert [t.label for t in at.tabs] == ["Test set", "Moved digits", "Time travel", "Code and downloads",
                                          "Compare runs"]
    assert len(at.get("plotly_chart")) >= 3  # curves, confusion matrix, misclassified digits: the first tab's
    assert any(c.value.startswith("Hardest") for c in at.caption)  # a digit, or those tied
    # then and now: 3 epochs of 500 digits on 784-128-10
    assert any(c.value.startswith("≈ 6 × 101,770 parameters × 1,500 samples seen = 916 MFLOP: ") and
               "46 s on a 486 PC with a DSP32C board" in c.value for c in at.caption)
    at.session_state["train_results"] = "Code and downloads"  # open the tab
    at.run()
    assert [b.label for b in at.get("download_button")] == [
        "Download model (.keras)", "Download history (.csv)", "Get this run as Python", "Download the sample (.npz)"]
    assert not any(c.value.startswith("Hardest") for c in at.caption)  # only the open tab is drawn
    button(at, "Continue").click()
    run_until(at, lambda a: metric(a, "Epochs") == "6" and not button(a, "Train").disabled)
    assert not at.exception
    # a student's runs are numbered from 1, whatever the server trained before: Continue goes on with the same run
    assert at.session_state[keys.RUN].label.startswith("#1 784-128-10 relu")
    button(at, "Train").click()
    run_until(at, lambda a: any(m.label == "Epochs" for m in a.metric) and metric(a, "Epochs") == "3"
              and not button(a, "Train").disabled)
    assert at.session_state[keys.RUN].label.startswith("#2 ")
    assert at.session_state[keys.PAST_RUNS][0].label.startswith("#1 ")  # what Compare runs calls it
    at.session_state["train_results"] = "Compare runs"
    at.run()
    (compared,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")
                   if c.proto.id.endswith(keys.TRAIN_COMPARE_CHART)]
    named = {t["name"].split(" · ")[-2] for t in compared["data"] if t.get("showlegend")}
    assert named == {"6 epochs", "3 epochs"}  # how long each trained: the two draw one curve over their first epochs


def test_continue_after_changing_network_warns(at):
    button(at, "Train").click()
    run_until(at, lambda a: not button(a, "Train").disabled and any(m.label == "Epochs" for m in a.metric))
    at.switch_page("pages/build.py").run()
    at.slider(key="build_dropout_0").set_value(0.5).run()
    at.switch_page("pages/train.py").run()
    button(at, "Continue").click().run()
    assert any("network or the data changed" in w.value for w in at.warning)


def test_data_folder_is_offered_by_name_and_no_path_can_be_typed(open_app, tmp_path, monkeypatch):
    from fcviz.data.loading import load_dataset
    from fcviz_dev.idx import write_idx_folder

    monkeypatch.setenv("FCVIZ_DATA_DIR", str(tmp_path))
    write_idx_folder(load_dataset("sample"), tmp_path / "class-digits")
    at = open_app("pages/train.py")
    assert [t.key for t in at.text_input] == ["class_code", "class_nick"]  # no field names a file on the server
    select = at.selectbox(key="train_source")
    assert select.options == ["MNIST sample (bundled)", "Full MNIST (11 MB download)", "Fashion-MNIST (clothes)", "Data folder: class-digits",
                              "Upload a data file (.npz or IDX .gz)"]
    select.set_value("folder:class-digits").run()
    assert not at.exception
    assert "**Data** class-digits: training on 4,000 of 4,000" in " ".join(m.value for m in at.markdown)
    assert at.query_params["data"] == "folder:class-digits"  # by name: a teacher's link names the set
    select.set_value("upload").run()
    assert any("until a data file is uploaded" in w.value for w in at.warning)
    assert at.query_params["data"] == "folder:class-digits"  # an upload never travels in a link


@pytest.mark.parametrize("data, shown, warning", [
    ("folder:class-digits", "**Data** class-digits: training on 4,000", None),
    ("folder:missing-set", "**Data** MNIST sample", "has no data set called “missing-set”"),
    ("folder:../../etc/passwd", "**Data** MNIST sample", "is not one of sample, mnist, fashion or folder:NAME"),
    ("folder:", "**Data** MNIST sample", "is not one of sample, mnist, fashion or folder:NAME"),
])
def test_a_link_names_a_data_folder_set(new_app, tmp_path, monkeypatch, data, shown, warning):
    from fcviz.data.loading import load_dataset
    from fcviz_dev.idx import write_idx_folder

    monkeypatch.setenv("FCVIZ_DATA_DIR", str(tmp_path))
    write_idx_folder(load_dataset("sample"), tmp_path / "class-digits")
    at = new_app()
    at.query_params["data"] = data
    at.run()
    warnings = [w.value for w in at.warning]  # the link's notes, on the page it opens
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert shown in " ".join(m.value for m in at.markdown)
    warnings = " ".join(warnings + [w.value for w in at.warning])
    assert (warning is None and "data" not in warnings) or (warning is not None and warning in warnings)


def test_network_that_cannot_train_on_mnist_gets_a_message(open_app):
    at = open_app("pages/train.py", {"input": "3", "units": "2,2", "out": "2", "out_act": "linear"})
    button(at, "Train").click().run()
    assert not at.exception
    assert any("784 inputs and 10 softmax outputs" in e.value for e in at.error)


def test_results_of_another_setting_say_whose_they_are(at):
    button(at, "Train").click()
    run_until(at, lambda a: not button(a, "Train").disabled and any(m.label == "Epochs" for m in a.metric))
    assert not any("results of your last run" in i.value for i in at.info)
    at.button_group(key="train_experiment").set_value("Overfit on purpose").run()  # another network and data
    assert any("These are the results of your last run, #" in i.value for i in at.info)


def test_the_hardest_class_names_every_class_tied_at_the_percentage_shown():
    """Two digits both read right 87 % of the time (87.4 and 87.0): both are named, not the first one found."""
    import numpy as np

    from ui.train.results import hardest_line
    from ui.train.words import DIGIT_WORDS

    names = ["0", "1", "2", "3"]
    assert hardest_line(np.array([0.9, 0.874, 0.87, 0.95]), names, DIGIT_WORDS) == \
        "Hardest, tied at 87% right: **1**, **2**."
    assert hardest_line(np.array([0.9, 0.86, 0.87, 0.95]), names, DIGIT_WORDS) == "Hardest digit: **1** (86% right)."
