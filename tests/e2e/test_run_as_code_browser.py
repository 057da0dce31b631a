"""The run as code in Chromium: train, download the script and the sample, run it, same test accuracy."""
import re
import subprocess
import sys

from playwright.sync_api import expect

from fcviz_dev.browser import button, metric, open_page, wait_idle


def download(page, name: str, folder):
    wait_idle(page)  # the button on the page is the one the server knows (a rerun renames deferred files)
    with page.expect_download() as event:
        page.get_by_role("button", name=name).click()
    path = folder / event.value.suggested_filename
    event.value.save_as(path)
    return path


def test_the_downloaded_script_ends_at_the_accuracy_the_page_shows(page, tmp_path):
    open_page(page, "train?units=32&act=tanh&epochs=3&n_train=1000&seed=7")
    button(page, "Train").click()
    page.get_by_text("Misclassified test digits").wait_for()
    shown = float(metric(page, "Test accuracy").inner_text().rstrip("%"))
    page.get_by_role("tab", name="Code and downloads", exact=True).click()  # only the open tab is drawn
    page.get_by_role("button", name="Get this run as Python").wait_for()
    wait_idle(page)

    script = download(page, "Get this run as Python", tmp_path)
    assert script.name == "fcviz_784_32_10.py"
    assert download(page, "Download the sample (.npz)", tmp_path).name == "mnist_sample.npz"
    text = script.read_text()
    assert "EPOCHS = 3" in text and "SEED = 7" in text and 'Dense(32, activation="tanh"' in text

    done = subprocess.run([sys.executable, script.name], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    accuracy = float(re.search(r"^test accuracy: (\d\.\d+)$", done.stdout, re.M).group(1))
    assert abs(accuracy * 100 - shown) <= 1.0

    page.get_by_text("This run as Python code").click()
    expect(page.get_by_test_id("stCode").filter(has_text="model.fit(x, y_train[order]")).to_be_visible()
