"""On a 390-pixel phone: the Build table keeps the shapes and the parameters on the screen; a drawing and its
prediction share the first screen."""
import re

from playwright.sync_api import expect

from fcviz_dev.browser import new_tab, open_page
from fcviz_dev.drawing import CANVAS, DIGITS, draw

PHONE = {"width": 390, "height": 844}


def test_the_build_table_shows_shapes_and_parameters_on_a_phone(browser, app_url):
    context, page = new_tab(browser, app_url, **PHONE)
    try:
        open_page(page, "?units=256")
        table = page.get_by_test_id("stTable")
        for header in ("Output shape", "Kernel W", "Bias b", "Params"):
            cell = table.get_by_role("columnheader", name=header, exact=True)
            expect(cell).to_be_visible()
            cell.scroll_into_view_if_needed()
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (header, box)
        expect(table.get_by_role("cell", name="200,960", exact=True)).to_be_visible()  # 784×256 + 256
        expect(table.get_by_role("columnheader", name="Input shape", exact=True)).to_be_hidden()
    finally:
        context.close()


def test_the_drawing_and_its_prediction_share_a_phones_first_screen(browser, app_url):
    context, page = new_tab(browser, app_url, **PHONE)
    try:
        open_page(page, "draw")
        page.get_by_role("button", name=re.compile("Train 784-128-10 now")).click()
        canvas = page.locator(CANVAS)
        canvas.wait_for(timeout=120_000)
        draw(page, DIGITS["7"])
        prediction = page.get_by_test_id("fcviz-prediction")
        expect(prediction).to_be_visible()
        page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
        expect(page.get_by_text("What the network sees")).to_be_visible()  # below it, after the prediction
        top, bottom = canvas.bounding_box(), prediction.bounding_box()
        assert top["y"] >= 0 and bottom["y"] + 40 <= PHONE["height"], (top, bottom)  # its first line, the digit
        assert bottom["y"] < page.get_by_text("What the network sees").bounding_box()["y"]
    finally:
        context.close()
