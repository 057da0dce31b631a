"""Driving the app's pages in Chromium the way a user does, waiting on what the page shows."""
from __future__ import annotations


def new_tab(browser, url: str, width: int = 1400, height: int = 1000):
    """A browser context of its own (so its own Streamlit session) and a page in it, pointed at `url`."""
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    pg.app_url = url
    return context, pg


def open_page(page, path: str = "") -> None:
    page.goto(f"{page.app_url}/{path}")
    page.wait_for_selector("[data-testid='stMainBlockContainer']")
    wait_idle(page)


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the script has finished its current run (Streamlit's own e2e idiom)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_timeout(100)  # let the last delta render
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def set_slider(page, label: str, key: str, presses: int) -> None:
    """Move the slider labelled `label` with the keyboard, as a user can, and wait for the rerun."""
    thumb = page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
    thumb.focus()
    for _ in range(presses):
        thumb.press(key)
    wait_idle(page)


def wait_for_epoch(page, n: int, timeout: float = 60_000) -> None:
    """Until the progress bar says epoch n or later (polled reruns can skip a quick epoch)."""
    page.wait_for_function(
        """n => { const el = document.querySelector("[data-testid='stProgress']");
                  const m = el && el.innerText.match(/Epoch (\\d+) of/); return m && +m[1] >= n; }""",
        arg=n, timeout=timeout)


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)
