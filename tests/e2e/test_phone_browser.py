"""On a 390-pixel phone: the Build table keeps the shapes and the parameters on the screen; a drawing and its
prediction share the first screen; the Train page's numbers wrap into rows close together, and a tapped chart shows no
toolbar over its title; the experiments' row says it goes on sideways."""
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from fcviz_dev.browser import button, metric, new_tab, open_page, saved_run_token
from fcviz_dev.drawing import CANVAS, DIGITS, draw
from ui import keys

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
        # the unit's sum below, a step a line, fits the phone's width (one line was cut at its middle)
        equation = page.locator(".katex-display").first
        expect(equation).to_contain_text("relu")
        wide, shown = equation.evaluate("el => [el.scrollWidth, el.clientWidth]")  # (the box hides what overflows)
        assert wide <= shown + 4, (wide, shown)  # (KaTeX's italic subscripts overhang by a pixel or two; it was 817/358)
    finally:
        context.close()


ROWS_GAP = """(key) => {  // the vertical space between the rows of the wrapped numbers (px), and how many rows
  const boxes = [...document.querySelector('.st-key-' + key).children].map(k => k.getBoundingClientRect());
  const tops = [...new Set(boxes.map(b => Math.round(b.top)))].sort((a, b) => a - b);
  const bottom = Math.max(...boxes.filter(b => Math.round(b.top) === tops[0]).map(b => b.bottom));
  return {rows: tops.length, gap: tops.length > 1 ? tops[1] - bottom : null};
}"""


def test_the_train_numbers_wrap_on_a_chinese_phone_without_an_empty_band(browser, app_url):
    context, page = new_tab(browser, app_url, **PHONE, locale="zh-CN")
    try:
        open_page(page, "train?lang=zh&n_train=500&epochs=2")
        button(page, "训练").click()
        saved_run_token(page)  # ended, saved: the finished run's numbers are shown
        expect(metric(page, "测试损失")).to_be_visible()
        close = f"key => {{ const s = ({ROWS_GAP})(key); return s.rows >= 2 && s.gap >= 0 && s.gap <= 24; }}"
        try:  # four numbers in two rows, close together, once laid out
            page.wait_for_function(close, arg=keys.TRAIN_NUMBERS, timeout=10_000)
        except PlaywrightTimeout:
            raise AssertionError(page.evaluate(ROWS_GAP, keys.TRAIN_NUMBERS)) from None
        chart = page.locator(".js-plotly-plot").first  # a tap showed plotly's toolbar over the chart's title
        chart.click()
        page.wait_for_function("""() => { const bars = [...document.querySelectorAll('.modebar-container')];
            return bars.length > 0 && bars.every(b => getComputedStyle(b).display === 'none'); }""")
        # the misclassified digits fill the phone's width (a fixed-height mosaic made them 26 px between empty bands)
        page.wait_for_function("""() => { const imgs = [...document.querySelectorAll('[data-testid=fcviz-gallery] img')];
            return imgs.length === 24 && imgs.every(i => i.complete && i.getBoundingClientRect().width >= 56
                && i.getBoundingClientRect().right <= window.innerWidth); }""")
    finally:
        context.close()


SWIPE = """(key) => {  // the experiments' row: whether it runs on past the screen, and the line under it
  const box = document.querySelector('.st-key-' + key);
  const row = box && box.querySelector('[role=radiogroup]');
  return row ? {scrolls: row.scrollWidth > row.clientWidth + 1, says: getComputedStyle(box, '::after').content} : null;
}"""


def test_a_phone_says_the_experiments_row_goes_on_sideways(browser, app_url):
    """On a phone the fifteen experiments make one row that scrolls sideways: a walk found nothing said so."""
    context, page = new_tab(browser, app_url, **PHONE)
    try:
        open_page(page, "train")
        said = f"""key => {{ const s = ({SWIPE})(key);
            return s !== null && s.scrolls && s.says.includes('Swipe the row sideways: 15 experiments'); }}"""
        try:
            page.wait_for_function(said, arg=keys.TRAIN_EXPERIMENT, timeout=30_000)
        except PlaywrightTimeout:
            raise AssertionError(page.evaluate(SWIPE, keys.TRAIN_EXPERIMENT)) from None
        page.set_viewport_size({"width": 1400, "height": 1000})  # a desk: the pills wrap, nothing to say
        page.wait_for_function(f"key => {{ const s = ({SWIPE})(key); return !s.scrolls && s.says === 'none'; }}",
                               arg=keys.TRAIN_EXPERIMENT)
    finally:
        context.close()


def test_a_tap_on_a_page_in_a_phones_sidebar_folds_the_sidebar_away(browser, app_url):
    context, page = new_tab(browser, app_url, **PHONE)
    try:
        open_page(page)
        page.get_by_test_id("stExpandSidebarButton").click()
        train = page.get_by_test_id("stSidebarNav").get_by_role("link", name="Train")
        expect(train).to_be_in_viewport()
        train.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Train")
        expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()  # folded: the » to open it again
        expect(train).not_to_be_in_viewport()
    finally:
        context.close()
