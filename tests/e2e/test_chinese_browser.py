"""The app in Chinese in Chromium: every page opened with lang=zh shows no English sentence outside
code, math, tables of numbers and plots; switching language keeps the session's model, settings and
drawing; the browser's preferred language is the default when the link says nothing."""
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from fcviz.settings.fields import field
from fcviz_dev.browser import FRESH, button, metric, new_tab, open_page, slider_shows, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw
from ui import keys

# The page's own words: main area and sidebar, without code, math, plots, canvases, table cells, the
# language switch (which names English in English) and the file uploader's drop zone (Streamlit's own
# words, which its frontend writes in English: the page shows ours in their place, tested below).
OWN_WORDS = """() => {
    const parts = ["[data-testid='stMain']", "[data-testid='stSidebar']"].map(s => document.querySelector(s));
    return parts.filter(Boolean).map(part => {
        const copy = part.cloneNode(true);
        copy.querySelectorAll("code, pre, .katex, .js-plotly-plot, canvas, td, th, [data-testid='stDataFrame'], "
            + "[data-testid='stButtonGroup'], [data-testid='stBidiComponentIsolated'], "
            + "[data-testid='stFileUploaderDropzone']").forEach(e => e.remove());
        return copy.innerText;
    }).join("\\n"); }"""
SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[\s,'’-]+[A-Za-z]{2,}){2,}")  # three English words in a row


TERM = re.compile(r"（[A-Za-z][A-Za-z ,，()-]*）")  # an English term beside the Chinese one, as the notes give it


def english_sentences(page) -> list[str]:
    return SENTENCE.findall(TERM.sub("", page.evaluate(OWN_WORDS)))


def switch_to(page, language: str) -> None:
    """The sidebar's language switch (a segmented control: its options are radio buttons)."""
    page.locator(FRESH).get_by_role("radio", name=language, exact=True).click()


@pytest.mark.parametrize("path, title", [("", "搭建一个全连接网络"), ("train", "在 MNIST 上训练"), ("draw", "手写一个数字"),
                                         ("inside", "网络内部"), ("class", "班级")])
def test_every_page_in_chinese_has_no_english_sentence(page, path, title):
    open_page(page, f"{path}?lang=zh")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    wait_idle(page)
    assert english_sentences(page) == []


SHOWN_INSTEAD = """() => [...document.querySelectorAll(
    "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p, "
    + "[data-testid='stFileUploaderDropzoneInstructions'] span")]
    .map(e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content])"""


def test_the_file_uploader_shows_chinese_words(page):
    open_page(page, "draw?lang=zh")  # no model yet: the page offers an upload
    expected = [["0px", '"上传"'], ["0px", '"每个文件最大 100 MB"']]
    try:  # the drop zone can be drawn before the page's style sheet arrives: wait for the words themselves
        page.wait_for_function(f"want => JSON.stringify(({SHOWN_INSTEAD})()) === JSON.stringify(want)", arg=expected)
    except PlaywrightTimeout:
        pass  # the assertion below shows what the page shows instead
    assert page.evaluate(SHOWN_INSTEAD) == expected


ENTER_HINT = """() => [...document.querySelectorAll("[data-testid='InputInstructions'] span")]
    .map(e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content])"""


def test_a_text_box_says_press_enter_in_chinese(page):
    """Streamlit writes "Press Enter to apply" under a text box in English: a Chinese student read it under 昵称."""
    open_page(page, "?lang=zh")
    page.get_by_text("加入班级", exact=True).first.click()
    page.get_by_role("textbox", name="昵称").first.fill("小明")
    page.wait_for_function(f"() => JSON.stringify(({ENTER_HINT})()[0]) === JSON.stringify(['0px', '\"按回车键确认\"'])")


def test_switching_language_keeps_the_model_the_settings_and_the_drawing(page):
    open_page(page, "train?n_train=500&epochs=2")
    button(page, "Train").click()
    page.get_by_text("Misclassified test digits").wait_for(timeout=120_000)  # a fresh server starts its workers
    accuracy = metric(page, "Test accuracy").inner_text()

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Draw").click()
    page.locator(CANVAS).wait_for()
    wait_idle(page)
    draw(page, DIGITS["7"])
    expect(page.get_by_test_id("fcviz-prediction")).to_contain_text(re.compile(r"Prediction\s*\d"))
    wait_idle(page)
    guess = re.search(r"Prediction\s*(\d)", page.get_by_test_id("fcviz-prediction").inner_text()).group(1)

    switch_to(page, "中文")
    expect(page.get_by_role("heading", name="手写一个数字", exact=True)).to_be_visible()
    expect(page.get_by_test_id("fcviz-prediction")).to_contain_text(re.compile(rf"预测\s*{guess}"))  # the same drawing
    assert "lang=zh" in page.url  # a link copied now opens in Chinese

    page.get_by_test_id("stSidebarNavLink").filter(has_text="训练").click()
    expect(metric(page, "测试准确率")).to_have_text(accuracy)  # the same model
    expect(slider_shows(page, "训练集大小")).to_have_text("500")  # the same settings
    switch_to(page, "English")
    expect(page.get_by_role("heading", name="Train on MNIST", exact=True)).to_be_visible()
    expect(metric(page, "Test accuracy")).to_have_text(accuracy)


def test_switching_language_keeps_open_boxes_open_and_shows_the_chosen_options_in_it(page):
    """A box the reader opened (one on the page, the sidebar's lazy share box and its class box) is still open in the
    other language, and a chosen option shows in it (the Dataset box kept "MNIST sample (bundled)" until the next
    page)."""
    open_page(page, "train")
    dataset = page.locator(f".st-key-{field('data').widget_key()} [data-testid='stSelectbox'] input")
    expect(dataset).to_have_value("MNIST sample (bundled)")
    for box, title in ((keys.HOW_TO_READ_OPEN, "How to read these curves"), (keys.SHARE_OPEN, "Share this setting"),
                       (keys.JOIN_OPEN, "Join a class")):
        page.locator(f".st-key-{box} summary").click()
        expect(page.locator(f".st-key-{box} details")).to_have_attribute("open", "")
        expect(page.locator(f".st-key-{box} summary")).to_contain_text(title)
        wait_idle(page)  # the run a lazy box starts as it opens: it redraws the sidebar (a box opened meanwhile closed)
    switch_to(page, "中文")
    for box, title in ((keys.HOW_TO_READ_OPEN, "如何"), (keys.SHARE_OPEN, "分享这个设置"), (keys.JOIN_OPEN, "加入班级")):
        expect(page.locator(f".st-key-{box} summary")).to_contain_text(title)
        expect(page.locator(f".st-key-{box} details")).to_have_attribute("open", "")
    expect(page.locator(f".st-key-{keys.SHARE_OPEN} [data-testid='stCode']")).to_be_visible()  # its link is made
    expect(dataset).to_have_value("MNIST 样本（自带）")


def test_my_runs_open_and_delete_stay_side_by_side_in_chinese(page):
    """A saved run's line is long in Chinese: its two buttons wrap under it together (删除 was left alone on a line)."""
    open_page(page, "train?n_train=500&epochs=1&lang=zh")
    button(page, "训练").click()
    page.get_by_text("分错的测试").first.wait_for()
    page.locator(f".st-key-{keys.MY_RUNS_OPEN} summary").click()
    buttons = page.locator(f".st-key-{keys.MY_RUNS_OPEN}").get_by_role("button")
    expect(buttons.filter(has_text="删除")).to_be_visible()
    page.wait_for_function("""key => { const shown = [...document.querySelectorAll(`.st-key-${key} button`)]
        .filter(b => ["打开", "删除"].includes(b.innerText.trim())).map(b => b.getBoundingClientRect().top);
        return shown.length === 2 && Math.abs(shown[0] - shown[1]) < 2; }""", arg=keys.MY_RUNS_OPEN)


def test_a_chinese_browser_opens_the_app_in_chinese(browser, app_url):
    context, page = new_tab(browser, app_url, locale="zh-CN")
    try:
        open_page(page, "")
        expect(page.get_by_role("heading", name="搭建一个全连接网络", exact=True)).to_be_visible()
        open_page(page, "?lang=en")  # the link's word wins
        expect(page.get_by_role("heading", name="Build a fully connected network", exact=True)).to_be_visible()
    finally:
        context.close()


def test_the_chosen_language_and_big_text_stay_on_every_page_and_for_an_address_typed_later(page):
    """A walk found the language switch showing neither language after a page change, a typed /draw back in English
    after 中文 was chosen, and a teacher's bookmark of the board small again after the projector switch."""
    open_page(page, "train")
    switch_to(page, "中文")
    expect(page.get_by_role("heading", name="在 MNIST 上训练", exact=True)).to_be_visible()
    page.get_by_test_id("stSidebarNavLink").filter(has_text="搭建").click()
    expect(page.get_by_role("heading", name="搭建一个全连接网络", exact=True)).to_be_visible()
    expect(page.locator(FRESH).get_by_role("radio", name="中文", exact=True)).to_be_checked()  # still shown chosen
    page.get_by_text("投影用大字号").click()
    page.wait_for_function("() => location.search.includes('classroom=1')")
    # the browser keeps both (the page writes its cookies once the run that remembers them has drawn)
    page.wait_for_function(
        "() => document.cookie.includes('fcviz_projector=1') && document.cookie.includes('fcviz_lang=zh')")
    open_page(page, "draw")  # typed, as a bookmark: the address says neither
    expect(page.get_by_role("heading", name="手写一个数字", exact=True)).to_be_visible()
    page.wait_for_function("() => getComputedStyle(document.body).fontSize === '20px'")  # the classroom view
    expect(page.locator(FRESH).get_by_role("radio", name="中文", exact=True)).to_be_checked()
    open_page(page, "class?lang=en&classroom=0")  # a link's words win
    expect(page.get_by_role("heading", name="Class", exact=True)).to_be_visible()
    page.wait_for_function("() => getComputedStyle(document.body).fontSize !== '20px'")
