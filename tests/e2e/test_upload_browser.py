"""Save and load in the real app: a handed-out .keras file makes the Draw page usable; a bad file changes nothing."""
import pytest

from fcviz.data import load_dataset
from fcviz.persist import run_to_bytes
from fcviz.spec import LayerSpec, NetworkSpec
from fcviz.train_config import TrainConfig
from fcviz.training import Run, Trainer
from fcviz_dev.browser import open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    ds = load_dataset("sample")
    run = Run(NetworkSpec(hidden=(LayerSpec(64, "tanh"),)), TrainConfig(train_size=2000), ds)
    Trainer(run, ds, 3).start().join()
    path = tmp_path_factory.mktemp("models") / "teacher.keras"
    path.write_bytes(run_to_bytes(run.model, run.config, run.epochs))
    return path


def upload(page, path) -> None:
    page.locator("input[type=file]").first.set_input_files(path)
    wait_idle(page)


def test_uploaded_model_predicts_and_a_bad_file_keeps_it(page, model_file, tmp_path):
    open_page(page, "draw")
    assert page.get_by_text("No trained network yet").is_visible()
    upload(page, model_file)
    page.locator(CANVAS).wait_for()
    page.get_by_text("Loaded teacher.keras: 784-64-10, 3 epochs of history.").wait_for()
    draw(page, DIGITS["1"])
    page.get_by_test_id("fcviz-prediction").wait_for()

    page.get_by_text("Use another model").click()
    bad = tmp_path / "homework.keras"
    bad.write_text("this is not a model")
    upload(page, bad)
    page.get_by_text("homework.keras can't be used").wait_for()
    assert page.get_by_text("The model you had is kept.").is_visible()
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()
    page.get_by_text("Misclassified test digits").wait_for()  # the loaded model, with its results
    wait_idle(page)
    assert page.get_by_test_id("stMetric").filter(has_text="Epochs").get_by_test_id("stMetricValue").inner_text() == "3"
