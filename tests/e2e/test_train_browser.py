"""Train in the real app: click Train, read the plotted points and the accuracy; Stop; leave and come back."""
from fcviz_dev.browser import button, open_page, set_slider, wait_for_epoch, wait_idle

CURVES = "[data-testid='stPlotlyChart'] .js-plotly-plot"


def curve_points(page) -> dict:
    """The x/y arrays of every trace of the first plotly chart, read from the live plot."""
    return page.evaluate(f"""() => Object.fromEntries(document.querySelector("{CURVES}").data
        .filter(t => t.name).map((t, i) => [t.name + '#' + i, {{x: Array.from(t.x), y: Array.from(t.y)}}]))""")


def test_train_shows_curves_and_accuracy(page):
    open_page(page, "train")
    set_slider(page, "Training-set size", "Home", 1)  # 10 digits ...
    set_slider(page, "Training-set size", "ArrowRight", 7)  # ... then 20, 50, 100, 200, 300, 500, 1,000
    set_slider(page, "Epochs", "ArrowLeft", 6)  # 4 epochs
    button(page, "Train").click()
    page.get_by_text("Misclassified test digits").wait_for(timeout=120_000)
    wait_idle(page)
    points = curve_points(page)
    test_loss = next(v for k, v in points.items() if k.startswith("test (after each epoch)"))
    train_loss = next(v for k, v in points.items() if k.startswith("train (epoch average)"))
    assert test_loss["x"] == [1, 2, 3, 4] and train_loss["x"] == [1, 2, 3, 4]
    assert all(0 < y < 3 for y in test_loss["y"]) and train_loss["y"][-1] < train_loss["y"][0]
    acc = page.get_by_test_id("stMetric").filter(has_text="Test accuracy").get_by_test_id("stMetricValue")
    value = float(acc.inner_text().rstrip("%"))
    assert 60 <= value <= 100
    assert page.get_by_test_id("stMetric").filter(has_text="Epochs").get_by_test_id("stMetricValue").inner_text() == "4"
    assert page.get_by_role("button", name="Download model").is_visible()


def test_stop_during_a_long_run(page):
    open_page(page, "train")
    set_slider(page, "Epochs", "End", 1)  # 100 epochs: far longer than the test waits
    button(page, "Train").click()
    wait_for_epoch(page, 3)
    button(page, "Stop").click()
    page.get_by_text("Stopped after").wait_for(timeout=30_000)
    wait_idle(page)
    epochs = int(page.get_by_test_id("stMetric").filter(has_text="Epochs").get_by_test_id("stMetricValue").inner_text())
    assert 2 <= epochs < 100
    assert button(page, "Train").is_enabled() and button(page, "Stop").is_disabled()


def test_training_survives_page_switch_and_slider_moves(page):
    open_page(page, "train")
    set_slider(page, "Epochs", "ArrowRight", 5)  # 15 epochs
    button(page, "Train").click()
    wait_for_epoch(page, 2)
    set_slider(page, "Learning rate", "ArrowRight", 1)  # a widget change reruns the page mid-training
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Build").click()
    page.get_by_test_id("stTable").wait_for()
    wait_idle(page)
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()
    page.get_by_text("Misclassified test digits").wait_for(timeout=120_000)
    wait_idle(page)
    value = page.get_by_test_id("stMetric").filter(has_text="Epochs").get_by_test_id("stMetricValue").inner_text()
    assert value == "15"
