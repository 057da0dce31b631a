"""The classroom view on a projector-sized screen: bigger text, and still nothing cut off."""
import pytest

from fcviz_dev.browser import new_tab, open_page, wait_idle
from fcviz_dev.drawing import CANVAS

CUT_OFF = """() => Array.from(document.querySelectorAll("[data-testid='stMain'] button, [data-testid='stMetricLabel'], [data-testid='stMetricValue']"))
    .filter(el => el.offsetParent !== null)
    .map(el => [el.innerText.trim(), [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)])"""


@pytest.fixture
def projector(browser, app_url):
    context, page = new_tab(browser, app_url, 1280, 800)
    yield page
    context.close()


@pytest.mark.parametrize("path", ["", "train", "inside"])
def test_classroom_text_is_big_and_no_label_is_cut_off(projector, path):
    open_page(projector, f"{path}?classroom=1")
    projector.locator("[data-testid='stMain'] button").first.wait_for()
    labels = projector.evaluate(CUT_OFF)
    assert len(labels) >= 4, labels  # buttons and metrics were found
    assert [text for text, cut in labels if cut] == []
    size = projector.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert size >= 60  # 3.2rem of 20px


def test_classroom_canvas_is_whole(projector):
    open_page(projector, "draw?classroom=1")
    projector.get_by_role("button", name="now").click()
    canvas = projector.locator(CANVAS)
    canvas.wait_for()
    wait_idle(projector)
    frame = projector.get_by_test_id("stBidiComponentIsolated").bounding_box()
    box = canvas.bounding_box()
    assert box["width"] == pytest.approx(280, abs=1) and box["height"] == pytest.approx(280, abs=1)
    assert frame["x"] + frame["width"] >= box["x"] + box["width"] - 1  # not clipped by a narrow column
    assert [text for text, cut in projector.evaluate(CUT_OFF) if cut] == []


def test_classroom_results_fit_a_small_projector(browser, app_url):
    """1024 pixels wide: the result metrics wrap and the download buttons keep their labels."""
    context, page = new_tab(browser, app_url, 1024, 768)
    try:
        open_page(page, "train?classroom=1&n_train=500&epochs=2")
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Misclassified test digits").wait_for()
        wait_idle(page)
        labels = page.evaluate(CUT_OFF)
        assert any("Download model" in text for text, _ in labels) and any(t == "Test loss" for t, _ in labels)
        assert [text for text, cut in labels if cut] == []
    finally:
        context.close()
