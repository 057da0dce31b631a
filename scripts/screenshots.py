"""Take Chromium screenshots of every page into docs/ (used for the README and for review).

Usage: python scripts/screenshots.py [name ...]     e.g.  python scripts/screenshots.py build train
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
    page.get_by_test_id("stProgress").wait_for(timeout=60_000)
    page.wait_for_timeout(4000)
    shot(page, "train-running", whole=False)
    page.get_by_role("button", name="Download model").wait_for(timeout=180_000)
    wait_idle(page)
    shot(page, "train")


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


def inside(page, url: str) -> None:
    open_page(page, f"{url}/inside")
    shot(page, "inside")


PAGES = {"build": build, "train": train, "draw": draw, "inside": inside}


def main(names: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    with running_app() as url, sync_playwright() as pw, chromium_browser(pw) as browser:
        for name in names or list(PAGES):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            PAGES[name](page, url)
            page.close()


if __name__ == "__main__":
    main(sys.argv[1:])
