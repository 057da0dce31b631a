"""The classroom view on a projector-sized screen: bigger text, and still nothing cut off."""
import json

import pytest
from playwright.sync_api import expect

from fcviz_dev.browser import FRESH, button, new_tab, open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw
from ui import keys

LABELS = """() => Array.from(document.querySelectorAll("[data-testid='stMain'] button, [data-testid='stMetricLabel'], [data-testid='stMetricValue']"))
    .filter(el => el.offsetParent !== null)
    .map(el => [el.innerText.trim(), [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)])"""


def labels_fit(page, must_show: list[str]) -> list:
    """The page's buttons and metrics with whether each is cut off, once `must_show` are all drawn and none is cut.

    Layout settles after the script has run (fonts, wrapping), so wait for the condition itself; if it never
    holds, return what is there so the assertion shows which label is cut off.
    """
    wanted = json.dumps(must_show)
    try:
        page.wait_for_function(f"""() => {{ const found = ({LABELS})();
            return {wanted}.every(w => found.some(([t]) => t.includes(w))) && found.every(([, cut]) => !cut); }}""",
                               timeout=60_000)
    except Exception:  # noqa: BLE001 (the assertions below say what is wrong)
        pass
    return page.evaluate(LABELS)


@pytest.fixture
def projector(browser, app_url):
    context, page = new_tab(browser, app_url, 1280, 800)
    yield page
    context.close()


PAGES = {"": ["Total params", "Hidden layers", "Memory"], "train": ["Train", "Stop", "Continue", "Reset"],
         "inside": ["Next digit", "Largest difference"]}


@pytest.mark.parametrize("path", list(PAGES))
def test_classroom_text_is_big_and_no_label_is_cut_off(projector, path):
    open_page(projector, f"{path}?classroom=1")
    labels = labels_fit(projector, PAGES[path])
    for wanted in PAGES[path]:
        assert any(wanted in text for text, _ in labels), (wanted, labels)
    assert [text for text, cut in labels if cut] == []
    heading = projector.locator("h1").first
    expect(heading).to_be_visible()
    assert heading.evaluate("h => parseFloat(getComputedStyle(h).fontSize)") >= 50  # 2.6rem of 20px
    # what the sidebar's boxes hold (a chosen dataset, a typed number) as big as their labels (1.05rem of 20px), whole
    projector.wait_for_function("""() => { const boxes = [...document.querySelectorAll(
        "section[data-testid='stSidebar'] input[type='text'], section[data-testid='stSidebar'] input[type='number']")]
        .filter(i => i.offsetParent !== null);
        return boxes.length > 0
            && boxes.every(i => parseFloat(getComputedStyle(i).fontSize) >= 21 && i.scrollWidth <= i.clientWidth); }""")
    # a slider's value above its knob, not on it (the big text's value sat over the knob and read as underlined)
    projector.wait_for_function("""() => { const values = [...document.querySelectorAll(
        "[data-testid='stSliderThumbValue']")].filter(v => v.offsetParent !== null);
        return values.length > 0 && values.every(v => v.getBoundingClientRect().bottom
            <= v.parentElement.getBoundingClientRect().top + 1); }""")


def test_classroom_canvas_is_whole(projector):
    open_page(projector, "draw?classroom=1")
    projector.locator(FRESH).get_by_role("button", name="now").click()
    canvas = projector.locator(CANVAS)
    canvas.wait_for()
    wait_idle(projector)
    frame = projector.get_by_test_id("stBidiComponentIsolated").bounding_box()
    box = canvas.bounding_box()
    assert box["width"] == pytest.approx(280, abs=1) and box["height"] == pytest.approx(280, abs=1)
    assert frame["x"] + frame["width"] >= box["x"] + box["width"] - 1  # not clipped by a narrow column
    assert [text for text, cut in labels_fit(projector, ["Clear"]) if cut] == []
    draw(projector, DIGITS["7"])  # below: the unit sum's layer box holds its layer's whole name
    expect(projector.locator(f".st-key-{keys.DRAW_LAYER} input")).to_have_value("hidden_1 · hidden layer 1 (128 units)")
    projector.wait_for_function("""key => { const box = document.querySelector(`.st-key-${key} input`);
        return box.scrollWidth <= box.clientWidth; }""", arg=keys.DRAW_LAYER)


def test_classroom_results_fit_a_small_projector(browser, app_url):
    """1024 pixels wide: the result metrics wrap and the download buttons keep their labels."""
    context, page = new_tab(browser, app_url, 1024, 768)
    try:
        open_page(page, "train?classroom=1&n_train=500&epochs=2")
        button(page, "Train").click()
        page.get_by_text("Misclassified test digits").wait_for()
        page.get_by_role("tab", name="Code and downloads", exact=True).click()  # only the open tab is drawn
        page.get_by_role("button", name="Download model").wait_for()
        wait_idle(page)
        labels = labels_fit(page, ["Download model", "Test loss"])
        assert any("Download model" in text for text, _ in labels) and any(t == "Test loss" for t, _ in labels)
        assert [text for text, cut in labels if cut] == []
    finally:
        context.close()
