"""Take Chromium screenshots of every page into docs/ (used for the README and for review).

Usage: python scripts/screenshots.py [name ...]     e.g.  python scripts/screenshots.py build train
       python scripts/screenshots.py sizes           every page's first screen, 3 sizes × 2 languages
"""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from fcviz_dev.appserver import ROOT, chromium_browser, running_app
from fcviz_dev.browser import wait_idle

OUT = ROOT / "docs"


def shot(page, name: str, whole: bool = True) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the content instead."""
    page.wait_for_timeout(800)
    if whole:
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 40, 6000))})
        page.wait_for_timeout(800)
    page.screenshot(path=str(OUT / f"{name}.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})
    print("wrote", OUT / f"{name}.png")


def at(page, element, name: str) -> None:
    """The viewport with `element` at its top: one part of a page, as a reader scrolls to it."""
    element.scroll_into_view_if_needed()
    element.evaluate("e => e.scrollIntoView({block: 'start'})")
    shot(page, name, whole=False)


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid='stMainBlockContainer']", timeout=60_000)
    wait_idle(page)


def build(page, url: str) -> None:
    open_page(page, f"{url}/?units=256,64&act=relu,tanh&dropout=0.2,0")
    shot(page, "build")


def train(page, url: str) -> None:
    open_page(page, f"{url}/train?units=512&act=relu")
    epochs = page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")
    epochs.focus()
    for _ in range(20):
        epochs.press("ArrowRight")  # 30 epochs on 4,000 digits: overfitting shows
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    live_epochs(page, 4)
    shot(page, "train-running", whole=False)
    page.get_by_text("Misclassified test digits").wait_for(timeout=180_000)  # the results, under the curves
    wait_idle(page)
    shot(page, "train")
    slider = page.get_by_test_id("stSlider").filter(has_text="Time travel")
    slider.get_by_role("slider").press("Home")
    for _ in range(3):  # start, ⅛, ¼, ½ of the first epoch
        slider.get_by_role("slider").press("ArrowRight")
        page.wait_for_timeout(300)
    slider.get_by_text("½ of epoch 1").wait_for()
    wait_idle(page)
    at(page, page.get_by_role("heading", name="Time travel through this run"), "train-travel")
    slider.get_by_role("slider").press("End")
    wait_idle(page)
    page.get_by_text("This run as Python code").click()
    at(page, page.get_by_text("This run as Python code"), "train-code")



def draw(page, url: str) -> None:
    from fcviz_dev.drawing import DIGITS
    from fcviz_dev.drawing import draw as draw_digit

    open_page(page, f"{url}/draw")
    page.get_by_role("button", name="now").click()
    page.locator("[data-testid='stBidiComponentIsolated'] canvas.upper-canvas").wait_for(timeout=120_000)
    wait_idle(page)
    shot(page, "draw-empty", whole=False)
    draw_digit(page, DIGITS["7"])
    page.get_by_test_id("fcviz-prediction").wait_for(timeout=60_000)
    wait_idle(page)
    shot(page, "draw")
    page.get_by_role("radio", name="2", exact=True).click()  # which pixels would make it a 2
    page.get_by_text("would make it more of a 2").wait_for()
    wait_idle(page)
    strip = page.get_by_test_id("stPlotlyChart").filter(has=page.locator(".scatterlayer .point")).first
    strip.scroll_into_view_if_needed()
    box = strip.locator(".scatterlayer .point").nth(9).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a unit's own sum
    page.locator("annotation", has_text="b_{9}").wait_for(state="attached")
    wait_idle(page)
    at(page, page.get_by_role("heading", name="Which pixels flip it"), "draw-explain")


FINETUNE_WORDS = {  # what the fine-tune screenshot clicks, in each language
    "en": ("now", "It really is a", "Add to my digits", "My digits ({n})", "Fine-tune on my handwriting",
           "Fine-tune:", "Use the fine-tuned network"),
    "zh": ("现在", "它其实是", "加入我的数字", "我的数字（{n} 张）", "在我的笔迹上微调", "微调：", "使用微调后的网络"),
}


def finetune(page, url: str, lang: str = "en") -> None:
    """Six labelled drawings (two of each of 7, 1 and 0, one of each pair held out), fine-tuned on."""
    from fcviz_dev.drawing import CANVAS, DIGITS, scaled
    from fcviz_dev.drawing import draw as draw_digit

    now, really, add, mine, title, go, use = FINETUNE_WORDS[lang]
    open_page(page, f"{url}/draw?lang={lang}")
    if page.get_by_role("button", name=now).count():  # no network yet: train one here
        page.get_by_role("button", name=now).click()
    page.locator(CANVAS).wait_for(timeout=120_000)
    wait_idle(page)
    for n, (digit, size) in enumerate([("7", 1.0), ("1", 1.0), ("0", 1.0), ("7", 0.7), ("1", 0.7), ("0", 0.7)], 1):
        old = page.locator(CANVAS).element_handle()
        draw_digit(page, scaled(DIGITS[digit], size, 140 * (1 - size), 140 * (1 - size)))
        page.get_by_test_id("fcviz-prediction").wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_test_id("stSelectbox").filter(has_text=really).click()
        page.get_by_role("option", name=digit, exact=True).click()
        wait_idle(page)
        page.get_by_role("button", name=add).click()
        page.wait_for_function("el => !el.isConnected", arg=old)
        page.get_by_text(mine.format(n=n)).wait_for()
        wait_idle(page)
    page.get_by_text(title).click()
    page.get_by_role("button", name=go).click()
    page.get_by_role("button", name=use).wait_for(timeout=180_000)
    wait_idle(page)
    at(page, page.get_by_text(title), "draw-finetune" if lang == "en" else f"{lang}-draw-finetune")


def inside(page, url: str) -> None:
    open_page(page, f"{url}/inside")
    shot(page, "inside")
    page.get_by_role("radio", name="(2, 3, 4) · (5, 4, 6)", exact=True).click()
    page.get_by_role("button", name="Time them").click()
    page.get_by_text("numpy is faster by").wait_for(state="attached")
    wait_idle(page)
    at(page, page.get_by_role("heading", name="Tensor operations: a shapes lab"), "inside-shapes")


def fashion(page, url: str) -> None:
    """The lecture's side-by-side: the same wide network on 4,000 MNIST digits, then on 4,000 clothes."""
    open_page(page, f"{url}/train?units=512,512&epochs=20&n_train=4000")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_role("button", name="Download model").wait_for(timeout=300_000)
    open_page(page, f"{url}/train?units=512,512&epochs=20&n_train=4000&data=fashion")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Misclassified test images").wait_for(timeout=300_000)
    wait_idle(page)
    shot(page, "fashion")


def board(page, url: str) -> None:
    """A teacher creates a class, three students join it and train, the board shows their runs."""
    open_page(page, f"{url}/class")
    page.get_by_label("Class name").fill("Deep learning, group B")
    page.get_by_role("button", name="Create a class").click()
    page.get_by_text("Students join with the code").wait_for(timeout=60_000)
    wait_idle(page)
    shot(page, "class-new", whole=False)
    code = page.get_by_test_id("stCode").filter(has_text="/?class=").inner_text().strip().rsplit("=", 1)[1]
    for nick, units in (("Ann", "32"), ("Bo", "256,64"), ("Cy", "512")):
        context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
        student = context.new_page()
        open_page(student, f"{url}/train?class={code}&units={units}&n_train=1000")
        student.get_by_role("textbox", name="Nickname").fill(nick)
        student.get_by_role("button", name="Join").click()
        student.get_by_text("Class: Deep learning, group B").wait_for(timeout=60_000)
        wait_idle(student)
        student.get_by_role("button", name="Train", exact=True).click()
        student.get_by_test_id("stCode").filter(has_text="?run=").wait_for(timeout=180_000)
        if nick == "Ann":
            wait_idle(student)
            shot(student, "train-saved")
        context.close()
    page.get_by_test_id("stMetric").filter(has_text="Runs").get_by_text("3", exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    shot(page, "class")


def chinese(page, url: str) -> None:
    """Every page in Chinese (docs/zh-*.png): a network built, trained, a digit drawn, a class with a run."""
    from fcviz_dev.drawing import DIGITS
    from fcviz_dev.drawing import draw as draw_digit

    open_page(page, f"{url}/?lang=zh&units=256,64&act=relu,tanh&dropout=0.2,0")
    shot(page, "zh-build")
    open_page(page, f"{url}/class?lang=zh")
    page.get_by_label("班级名称").fill("深度学习 B 组")
    page.get_by_role("button", name="创建班级").click()
    code = page.get_by_test_id("stCode").filter(has_text="/?class=")
    code.wait_for(timeout=60_000)
    code = code.inner_text().strip().rsplit("=", 1)[1]
    teacher = page.get_by_test_id("stCode").filter(has_text="&key=").text_content().strip()  # folded away
    open_page(page, f"{url}/train?lang=zh&class={code}&units=512&n_train=1000&epochs=15")
    page.get_by_role("textbox", name="昵称").fill("小明")
    page.get_by_role("button", name="加入").click()
    page.get_by_text("班级：深度学习 B 组").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="训练", exact=True).click()
    page.get_by_test_id("stCode").filter(has_text="?run=").wait_for(timeout=180_000)
    wait_idle(page)
    shot(page, "zh-train")
    page.get_by_test_id("stSidebarNavLink").filter(has_text="手写").click()
    page.locator("[data-testid='stBidiComponentIsolated'] canvas.upper-canvas").wait_for(timeout=120_000)
    wait_idle(page)
    draw_digit(page, DIGITS["7"])
    page.get_by_test_id("fcviz-prediction").wait_for(timeout=60_000)
    wait_idle(page)
    shot(page, "zh-draw")
    page.get_by_test_id("stSidebarNavLink").filter(has_text="内部").click()
    wait_idle(page)
    shot(page, "zh-inside")
    finetune(page, url, "zh")
    open_page(page, f"{url}{teacher[teacher.index('/class?'):]}&lang=zh")
    page.get_by_test_id("stMetric").filter(has_text="训练次数").get_by_text("1", exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    shot(page, "zh-class")


def heroes(page, url: str) -> None:
    """The heroes of deep learning: a deep network with batch norm and skip connections (Build, Inside), the heroes
    lesson trained to its table, and the gradients per layer."""
    deep = "units=256,256,256&bn=1,1,1&skip=1"
    open_page(page, f"{url}/?{deep}&init=normal")
    shot(page, "heroes-build")
    open_page(page, f"{url}/inside?{deep}")
    shot(page, "heroes-inside")
    open_page(page, f"{url}/train")
    page.get_by_test_id("stMain").get_by_role("radio", name="Heroes of deep learning, one at a time",
                                              exact=True).click()
    page.get_by_role("button", name="Train all 5, one after another").click()
    page.get_by_text("more after this one").wait_for()
    page.get_by_text("more after this one").wait_for(state="detached", timeout=300_000)
    page.get_by_text("Misclassified test digits").wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_text("Gradients per layer").first.click()
    wait_idle(page)
    at(page, page.get_by_text("Gradients per layer").first, "heroes-gradients")
    page.get_by_role("tab", name="Compare runs", exact=True).click()
    page.get_by_test_id("stTable").wait_for()
    wait_idle(page)
    at(page, page.get_by_role("tab", name="Compare runs", exact=True), "heroes-table")


SIZES = {"desk": (1400, 1000, ""), "room": (1920, 1080, "&classroom=1"), "phone": (390, 844, "")}
TRAIN_WORD = {"en": "Train", "zh": "训练"}


def each_size(page):
    """For each language and size, a browser of its own with a tab at that size: (lang, size, the link's extra
    settings, the tab, the folder the shots go to)."""
    out = OUT / "sizes"
    out.mkdir(exist_ok=True)
    for lang in ("en", "zh"):
        for size, (width, height, extra) in SIZES.items():
            context = page.context.browser.new_context(viewport={"width": width, "height": height})
            tab = context.new_page()
            tab.set_default_timeout(120_000)
            yield lang, size, extra, tab, out
            context.close()


def sizes(page, url: str) -> None:
    """Every page's first screen (docs/sizes/PAGE-LANG-SIZE.png) at 1400×1000, 1920×1080 in the classroom view and
    390×844, in both languages, trained: what a student, a projector and a phone show without scrolling. Each
    language and size is a browser of its own: its network trained on Train comes back on Draw and Inside."""
    from fcviz_dev.drawing import CANVAS, DIGITS
    from fcviz_dev.drawing import draw as draw_digit

    for lang, size, extra, tab, out in each_size(page):

        def first_screen(name: str) -> None:
            wait_idle(tab)
            tab.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
            tab.wait_for_timeout(800)
            tab.screenshot(path=str(out / f"{name}-{lang}-{size}.png"))
            print("wrote", out / f"{name}-{lang}-{size}.png")

        query = f"?lang={lang}{extra}"
        open_page(tab, f"{url}/{query}&units=256,64")
        first_screen("build")
        open_page(tab, f"{url}/train{query}&units=256,64&epochs=5")
        tab.get_by_role("button", name=TRAIN_WORD[lang], exact=True).click()
        tab.get_by_test_id("stCode").filter(has_text="?run=").wait_for()
        first_screen("train")
        open_page(tab, f"{url}/draw{query}")  # typed: a new session, the device's newest run reopened
        tab.locator(CANVAS).wait_for()
        tab.locator(CANVAS).scroll_into_view_if_needed()
        draw_digit(tab, DIGITS["7"])
        tab.get_by_test_id("fcviz-prediction").wait_for()
        first_screen("draw")
        open_page(tab, f"{url}/inside{query}")
        first_screen("inside")
        open_page(tab, f"{url}/class{query}")
        first_screen("class")


def live_epochs(page, n: int) -> None:
    """Wait until the live chart holds `n` epochs (while the training runs)."""
    page.wait_for_function("n => { const el = document.querySelector(\"[data-testid='fcviz-live-chart']\"); "
                           "return el && +el.dataset.epochs >= n; }", arg=n, timeout=120_000)
    page.wait_for_timeout(300)


def live(page, url: str) -> None:
    """The live chart mid-training (docs/sizes/live-LANG-SIZE.png): 784-512-512-10, 60 epochs, at each size and in
    both languages, once it holds 8 epochs (the star and, on 4,000 digits, soon the overfitting band)."""
    for lang, size, extra, tab, out in each_size(page):
        open_page(tab, f"{url}/train?lang={lang}{extra}&units=512,512&epochs=60")
        tab.get_by_role("button", name=TRAIN_WORD[lang], exact=True).click()
        live_epochs(tab, 8)
        tab.get_by_test_id("fcviz-live-chart").scroll_into_view_if_needed()
        tab.screenshot(path=str(out / f"live-{lang}-{size}.png"))
        print("wrote", out / f"live-{lang}-{size}.png")


PAGES = {"live": live, "build": build, "train": train, "draw": draw, "finetune": finetune, "inside": inside,
         "fashion": fashion, "class": board, "zh": chinese, "sizes": sizes, "heroes": heroes}


def main(names: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    with running_app() as url, sync_playwright() as pw, chromium_browser(pw) as browser:
        for name in names or list(PAGES):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            PAGES[name](page, url)
            page.close()


if __name__ == "__main__":
    main(sys.argv[1:])
