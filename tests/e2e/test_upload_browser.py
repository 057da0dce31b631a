"""Save and load in the real app: a handed-out .keras file makes the Draw page usable; a bad file changes nothing."""
import pytest
from playwright.sync_api import expect

from fcviz import environment
from fcviz.data.loading import load_dataset
from fcviz.files.persist import load_model_bytes, run_to_bytes
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer
from fcviz_dev import bad_models
from fcviz_dev.appserver import memory_kib, running_app
from fcviz_dev.browser import button, choose, metric, new_tab, open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw
from fcviz_dev.idx import idx_files


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
    expect(page.get_by_text("No trained network yet")).to_be_visible()
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
    expect(page.get_by_text("The model you had is kept.")).to_be_visible()
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()
    page.get_by_text("Misclassified test digits").wait_for()  # the loaded model, with its results
    expect(metric(page, "Epochs")).to_have_text("3")


@pytest.fixture(scope="module")
def fresh_server():
    """A server of its own: its peak memory then tells what the uploads cost, not what earlier tests did."""
    with running_app(env={environment.WORKERS: "1"}) as url:  # it trains nothing: one worker is plenty
        yield url


def test_hostile_uploads_are_refused_and_the_server_stays_small(browser, fresh_server, model_file, tmp_path):
    ds_model = load_model_bytes(model_file.read_bytes())
    files = bad_models.catalogue(model_file.read_bytes(), ds_model)
    context, page = new_tab(browser, fresh_server)
    try:
        open_page(page, "draw")
        upload(page, model_file)
        page.locator(CANVAS).wait_for()
        draw(page, DIGITS["1"])  # the page offers another model below a prediction
        expect(page.get_by_test_id("fcviz-prediction")).to_contain_text("Prediction")
        page.get_by_text("Use another model").click()
        wait_idle(page)
        before = memory_kib(fresh_server.pid)
        for name, (data, message) in files.items():
            path = tmp_path / name
            path.write_bytes(data)
            upload(page, path)
            refusal = page.get_by_test_id("stAlertContentError").filter(has_text=f"{name} can't be used")
            expect(refusal).to_contain_text(message)
            expect(refusal).to_contain_text("The model you had is kept.")
        after = memory_kib(fresh_server.pid)
        grown_mib = (after["VmHWM"] - before["VmHWM"]) / 1024
        assert grown_mib < 100, f"the server's peak memory grew {grown_mib:.0f} MiB"  # was 8.9 GB for one file
        expect(page.get_by_test_id("fcviz-prediction")).to_contain_text("Prediction")  # the model is still there
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()


def test_a_student_uploads_the_idx_files_and_trains_on_them(page, tmp_path):
    """The original MNIST format, uploaded from the browser: four .gz files (here, the bundled sample's digits)."""
    paths = []
    for name, content in idx_files(load_dataset("sample")).items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(content)
    open_page(page, "train?n_train=500&epochs=2")
    choose(page, page.get_by_test_id("stSelectbox").filter(has_text="Dataset"), "Upload a data file (.npz or IDX .gz)")
    page.get_by_text("until a data file is uploaded").wait_for()
    page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(paths)
    expect(page.get_by_text("uploaded IDX files: training on 500 of 4,000 digits")).to_be_visible()
    wait_idle(page)
    button(page, "Train").click()
    page.get_by_text("Misclassified test digits").wait_for()
    expect(metric(page, "Epochs")).to_have_text("2")
