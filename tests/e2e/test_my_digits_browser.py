"""My digits in Chromium: label drawings, keep them in the session, every network is tested on them, and a
fine-tune on them is judged on the ones it never saw."""
import re

from playwright.sync_api import expect

from fcviz_dev.browser import FRESH, choose, open_page, wait_idle, wait_painted
from fcviz_dev.drawing import CANVAS, DIGITS, draw
from ui import keys


def read(page) -> int:
    shown = page.get_by_test_id("fcviz-prediction")
    expect(shown).to_contain_text(re.compile(r"Prediction\s*\d"))
    wait_idle(page)
    return int(re.search(r"Prediction\s*(\d)", shown.inner_text()).group(1))


def new_canvas(page, button: str) -> None:
    """Press `button` (Clear, Add to my digits) and wait for the clean canvas that replaces the drawn one."""
    old = page.locator(CANVAS).element_handle()
    page.locator(FRESH).get_by_role("button", name=button).click()
    page.wait_for_function("el => !el.isConnected", arg=old)
    page.locator(CANVAS).wait_for()
    wait_idle(page)


def add_my_digit(page, digit: str, n: int) -> bool:
    """Draw `digit`, label it and keep it as my n-th digit; whether the network read it right."""
    draw(page, DIGITS[digit])
    right = read(page) == int(digit)
    choose(page, page.get_by_test_id("stSelectbox").filter(has_text="It really is a"), digit)
    wait_idle(page)
    new_canvas(page, "Add to my digits")
    expect(page.get_by_text(f"My digits ({n})")).to_be_visible()
    return right


def test_labelled_drawings_become_my_test_set(page):
    open_page(page, "draw")
    page.locator(FRESH).get_by_role("button", name="now").click()
    page.locator(CANVAS).wait_for(timeout=120_000)
    wait_idle(page)
    right = sum(add_my_digit(page, digit, n) for n, digit in enumerate(("7", "1"), 1))
    draw(page, DIGITS["0"])  # the line shows beside a prediction
    read(page)
    line = page.get_by_test_id("stMarkdownContainer").filter(has_text="MNIST test")
    expect(line).to_contain_text(f"my handwriting {right * 50}% (2 drawings)")
    new_canvas(page, "Clear")

    # a second 7 is held out: the fine-tune learns from the first 7 and the 1, and is judged on it
    add_my_digit(page, "7", 3)
    page.reload()  # a new session in the same browser: my digits are this device's, kept in the store
    expect(page.get_by_text("My digits (3)")).to_be_visible(timeout=60_000)
    wait_painted(page)  # a reload opens in two runs: a click as the second starts was lost once (two test processes)
    page.get_by_text("Fine-tune on my handwriting").click()
    expect(page.get_by_text("now 2 to learn from, 1 held out")).to_be_visible()
    wait_idle(page)  # the reload's reruns done (its newest run reopened, its charts drawn): a click on a button being
    # drawn again was lost twice in full runs, the page showing the box as it was
    page.locator(FRESH).get_by_role("button", name="Fine-tune: 5 epochs on 2,000 MNIST digits + my 2 drawings").click()
    held = page.get_by_test_id("stMetric").filter(has_text="Held-out drawings read right")
    expect(held).to_contain_text(re.compile(r"[01] → [01] / 1"), timeout=180_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Drawings it learned from")).to_contain_text(
        re.compile(r"[0-2] → 2 / 2"))  # five epochs with them a fifth of the data: both are learned
    expect(page.get_by_test_id("stMetric").filter(has_text="MNIST test accuracy")).to_contain_text("→")
    page.locator(FRESH).get_by_role("button", name="Use the fine-tuned network").click()
    expect(page.get_by_text("The fine-tuned network is now yours")).to_be_visible()
    expect(page.get_by_role("button", name="Use the fine-tuned network")).to_have_count(0)
    wait_idle(page)
    page.get_by_text("My digits (3)").click()
    forget = page.locator(FRESH).get_by_role("button", name="Forget my digits")
    expect(forget).to_be_visible()
    wait_idle(page)
    forget.click()
    expect(page.get_by_text("My digits (")).to_have_count(0)
    page.reload()
    page.locator(CANVAS).wait_for(timeout=60_000)
    wait_painted(page)  # the whole page, not its first run's part
    expect(page.get_by_text("Fine-tune on my handwriting")).to_have_count(0)  # not even after a reload
    expect(page.get_by_text("My digits (")).to_have_count(0)


SEES = f".st-key-{keys.DRAW_SEES} .js-plotly-plot"  # the 28×28 image the network reads
SEEN = "sel => { const el = document.querySelector(sel); return el && el.data ? JSON.stringify(el.data) : null; }"


def stroke(page, points) -> int:
    """Add one stroke to the drawing; the prediction once the page has read the new drawing (the image the network
    sees has changed and the run has ended)."""
    before = page.evaluate(SEEN, SEES)
    draw(page, [points])
    page.wait_for_function(f"([sel, before]) => ({SEEN})(sel) !== before", arg=[SEES, before])
    wait_idle(page)
    return read(page)


def test_the_true_label_follows_the_prediction_until_the_student_picks_one(page):
    """A drawing's label starts as the prediction and changes with it stroke by stroke (a 7 begun as a 1 was kept
    as a "1"); once the student picks one, more strokes leave it alone."""
    open_page(page, "draw")
    page.locator(FRESH).get_by_role("button", name="now").click()
    page.locator(CANVAS).wait_for(timeout=120_000)
    wait_idle(page)
    box = page.get_by_test_id("stSelectbox").filter(has_text="It really is a")
    seen = []
    for points in ([(140, 50), (140, 230)], [(70, 50), (140, 50)], [(140, 230), (200, 230)]):  # a 1, then more
        seen.append(stroke(page, points))
        expect(box.locator("input")).to_have_value(str(seen[-1]))
    assert len(set(seen)) > 1  # the prediction changed on the way (1, 1, 7 here)
    other = str((seen[-1] + 1) % 10)
    choose(page, box, other)
    wait_idle(page)
    stroke(page, [(60, 140), (110, 140)])
    expect(box.locator("input")).to_have_value(other)
