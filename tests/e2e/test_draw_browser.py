"""Draw digits on the real canvas with the mouse and read the network's answer off the page."""
import re

import pytest
from playwright.sync_api import expect

from fcviz_dev.browser import FRESH, open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw, scaled
from ui import keys


@pytest.fixture
def draw_page(page):
    open_page(page, "draw")
    page.locator(FRESH).get_by_role("button", name="now").click()  # train the default network right here
    page.locator(CANVAS).wait_for(timeout=120_000)
    expect(page.get_by_text("Draw a digit from 0 to 9")).to_be_visible()
    wait_idle(page)
    return page


def prediction(page) -> int:
    """The digit the page reads, once the drawing has reached the server and the script has run."""
    shown = page.get_by_test_id("fcviz-prediction")
    expect(shown).to_contain_text(re.compile(r"Prediction\s*\d"))
    wait_idle(page)
    return int(re.search(r"Prediction\s*(\d)", shown.inner_text()).group(1))


def clear(page) -> None:
    """Clear gives a new canvas: wait until the old one is gone, or the next strokes could land on it."""
    old = page.locator(CANVAS).element_handle()
    page.locator(FRESH).get_by_role("button", name="Clear").click()
    page.get_by_text("Draw a digit from 0 to 9").wait_for()
    page.wait_for_function("el => !el.isConnected", arg=old)
    wait_idle(page)
    page.locator(CANVAS).wait_for()


def test_drawn_digits_are_read(draw_page):
    """1, 0 and 7 one after another on one trained network (Clear between them)."""
    for n, digit in enumerate(("1", "0", "7")):
        if n:
            clear(draw_page)
        draw(draw_page, DIGITS[digit])
        assert prediction(draw_page) == int(digit), f"the drawn {digit}"
        # the 28×28 image, probabilities, pixel effects, the hidden layer's activations, a unit's weights,
        # drawing and contributions
        expect(draw_page.get_by_test_id("stPlotlyChart")).to_have_count(7)
        # every bar's number at one size: the winner's (often "100%") was shrunk to fit under the axis' top
        draw_page.wait_for_function(f"""() => {{
            const sizes = [...document.querySelectorAll('.st-key-{keys.DRAW_PROBS} .point text')]
                .map(t => t.getBoundingClientRect().height);
            return sizes.length === 10 && Math.min(...sizes) > 0.9 * Math.max(...sizes); }}""")


def test_small_off_centre_digits_are_read_after_clear(draw_page):
    draw(draw_page, scaled(DIGITS["7"], 0.45, dx=0, dy=-10))  # small, in the top-left corner
    assert prediction(draw_page) == 7
    clear(draw_page)
    draw(draw_page, scaled(DIGITS["0"], 0.5, dx=130, dy=130))  # small, bottom-right
    assert prediction(draw_page) == 0
