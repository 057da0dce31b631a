"""My digits in Chromium: label drawings, keep them in the session, and every network is tested on them."""
import re

from playwright.sync_api import expect

from fcviz_dev.browser import FRESH, choose, open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw


def read(page) -> int:
    shown = page.get_by_test_id("fcviz-prediction")
    expect(shown).to_contain_text(re.compile(r"Prediction\s*\d"))
    wait_idle(page)
    return int(re.search(r"Prediction\s*(\d)", shown.inner_text()).group(1))


def test_labelled_drawings_become_my_test_set(page):
    open_page(page, "draw")
    page.locator(FRESH).get_by_role("button", name="now").click()
    page.locator(CANVAS).wait_for(timeout=120_000)
    wait_idle(page)
    right = 0
    for n, digit in enumerate(("7", "1"), 1):
        old = page.locator(CANVAS).element_handle()
        draw(page, DIGITS[digit])
        right += read(page) == int(digit)
        choose(page, page.get_by_test_id("stSelectbox").filter(has_text="It really is a"), digit)
        wait_idle(page)
        page.locator(FRESH).get_by_role("button", name="Add to my digits").click()
        page.wait_for_function("el => !el.isConnected", arg=old)  # a clean canvas for the next one
        page.locator(CANVAS).wait_for()
        wait_idle(page)
        expect(page.get_by_text(f"My digits ({n})")).to_be_visible()
    draw(page, DIGITS["0"])  # the line shows beside a prediction
    read(page)
    line = page.get_by_test_id("stMarkdownContainer").filter(has_text="my handwriting")
    expect(line).to_contain_text(f"my handwriting {right * 50}% (2 drawings)")
    page.get_by_text("My digits (2)").click()
    page.locator(FRESH).get_by_role("button", name="Forget my digits").click()
    expect(page.get_by_text("My digits (")).to_have_count(0)
