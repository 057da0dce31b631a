"""Driving the app's pages in Chromium the way a user does, waiting on what the page shows.

Every helper waits on the condition it reads (an element, a value, a slider's shown value) and
sets values through what the page shows, then checks they are what was meant: a busy machine
makes reruns slow, and a test that reads once after an action fails there.
"""
from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ui import keys
from ui.first_paint import RUN_ENDED

TIMEOUT_MS = 120_000
expect.set_options(timeout=TIMEOUT_MS)


def new_tab(browser, url: str, width: int = 1400, height: int = 1000, locale: str = "en-US"):
    """A browser context of its own (so its own Streamlit session) and a page in it, pointed at `url`; `locale`
    is the browser's language (what it sends as its preference)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.app_url = url
    return context, pg


def open_page(page: Page, path: str = "") -> None:
    """Open `path` as a new visitor and wait until the page is whole: its first run, and the run that draws its charts
    once the browser shows the rest (`ui.first_paint`)."""
    page.goto(f"{page.app_url}/{path}")
    page.wait_for_selector("[data-testid='stMainBlockContainer']")
    wait_idle(page)
    wait_painted(page)


PAINTING = f".st-key-{keys.PAINTED}"  # on a new visitor's first screen until the browser asks for its charts


def wait_painted(page: Page) -> None:
    """Wait until a page that opened light has drawn its charts too (nothing to wait for on a later run)."""
    page.wait_for_selector(PAINTING, state="detached", timeout=TIMEOUT_MS)
    wait_idle(page)


def wait_for_address(page: Page, part: str, present: bool = True) -> None:
    """Wait until the address bar holds `part` (decoded), or no longer holds it: the page rewrites its address with
    `history.replaceState`, which `page.wait_for_url` did not always see (it timed out twice with the address right)."""
    page.wait_for_function("([part, present]) => decodeURIComponent(location.href).includes(part) === present",
                           arg=[part, present])


def wait_idle(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the script has finished its current run (Streamlit's own e2e idiom)."""
    page.wait_for_selector(RUN_ENDED, timeout=timeout)
    page.wait_for_timeout(100)  # let the last delta render
    page.wait_for_selector(RUN_ENDED, timeout=timeout)


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.eE+-]", "", text))


def slider_shows(page: Page, label: str, nth: int = 0) -> Locator:
    """The value the `nth` slider labelled `label` shows above its thumb."""
    return page.get_by_test_id("stSlider").filter(has_text=label).nth(nth).get_by_test_id("stSliderThumbValue")


SHOWN_CHANGED = """([label, nth, before]) => {
    const w = [...document.querySelectorAll("[data-testid='stSlider']")].filter(e => e.innerText.includes(label))[nth];
    const v = w && w.querySelector("[data-testid='stSliderThumbValue']");
    return v !== null && v !== undefined && v.innerText !== before; }"""


def set_slider(page: Page, label: str, target: str, jump: str | None = None, nth: int = 0) -> None:
    """Move the (`nth`) slider labelled `label` with the keyboard, as a user can, until it shows `target`
    (written as the page writes it: "1,000", "0.01"); `jump` ("Home"/"End") gets there first.

    Keys pressed while a rerun redraws the slider can be lost, so each press waits until the
    page shows its effect, and the value is checked again once the script has run.
    """
    thumb = page.get_by_test_id("stSlider").filter(has_text=label).nth(nth).get_by_role("slider")
    shown = slider_shows(page, label, nth)
    for _ in range(5):  # a rerun may put back an older value: then move again
        if jump and shown.inner_text() != target:
            thumb.press(jump)
        for _ in range(500):
            now = shown.inner_text()
            if now == target:
                break
            if _number(now) == _number(target):
                raise ValueError(f"the {label} slider shows {now!r}: write the target as the page does")
            thumb.press("ArrowRight" if _number(now) < _number(target) else "ArrowLeft")
            try:
                page.wait_for_function(SHOWN_CHANGED, arg=[label, nth, now], timeout=5_000)
            except PlaywrightTimeout:
                pass  # the press was lost: read again and press again
        wait_idle(page)
        if shown.inner_text() == target:
            break
    expect(shown).to_have_text(target)


def metric(page: Page, label: str) -> Locator:
    """The value of the metric labelled exactly `label` (wait on it with `expect`)."""
    return page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)).get_by_test_id("stMetricValue")


# While a training runs, its progress line is the live feed's (`ui/train/browser/live_chart.js`)
PROGRESS = "[data-testid='fcviz-feed-status'].progress"


def wait_for_epoch(page: Page, n: int, timeout: float = 60_000) -> None:
    """Until the progress line says epoch n or later (the feed's answers can skip a quick epoch)."""
    page.wait_for_function(
        """([sel, n]) => { const el = document.querySelector(sel);
                  const m = el && el.innerText.match(/[Ee]poch (\\d+) of/); return m && +m[1] >= n; }""",
        arg=[PROGRESS, n], timeout=timeout)


FRESH = "[data-testid='stElementContainer'][data-stale='false']"  # not left over from the run before


def button(page: Page, name: str) -> Locator:
    """The button labelled `name` that the current script run drew. While a rerun is under way, the
    previous run's elements stay on the page (stale) beside the new ones: a button can show twice."""
    return page.locator(FRESH).get_by_role("button", name=name, exact=True)


def pill(page: Page, key: str, name: str) -> Locator:
    """The option `name` of the pills (or segmented control) with widget key `key` that the current script run
    drew; click it to pick it, and its `aria-checked` says whether it is the one picked."""
    return page.locator(f"{FRESH}.st-key-{key}").get_by_role("radio", name=name, exact=True)


def choose(page: Page, selectbox: Locator, option: str | None = None, tries: int = 20) -> None:
    """Open `selectbox` and pick `option` (by its text; None: the first). A click that lands while the
    page is still laying out can leave the menu closed, so open it until the option shows; a pick that
    lands during a rerun can leave it open (its list then shares labels with the fields below), so
    close it and pick again until the menu is gone and the box shows the option."""
    target = page.get_by_role("option", name=option, exact=True) if option else page.get_by_role("option").first
    menus = page.get_by_role("listbox")
    shown = selectbox.get_by_role("combobox")  # the picked option is its value
    for _ in range(tries):
        selectbox.click()
        try:
            target.wait_for(timeout=3000)
            target.click(timeout=3000)
            expect(menus).to_have_count(0, timeout=3000)
        except (PlaywrightTimeout, AssertionError):
            page.keyboard.press("Escape")
            continue
        if option is None or shown.input_value() == option:
            break
    expect(menus).to_have_count(0)
    if option is not None:
        expect(shown).to_have_value(option)


def saved_run_token(page: Page) -> str:
    """Once the page shows the run's private link (the training ended and it was saved): its token."""
    link = page.get_by_test_id("stCode").filter(has_text="?run=")
    link.wait_for()
    return link.inner_text().strip().rsplit("=", 1)[1]


def join_class(page: Page, nick: str, class_name: str) -> None:
    """Join the class the page's sidebar offers (its code filled in by a class link, or typed) as `nick`."""
    nickname = page.get_by_role("textbox", name="Nickname")
    nickname.fill(nick)
    nickname.press("Enter")  # the box's value reaches the server before Join reads it
    wait_idle(page)
    button(page, "Join").click()
    page.get_by_text(f"Class: {class_name}").wait_for()
