"""A student's first page: from navigation to the Build page's first number, against a bare Streamlit page.

"Everyone open the link" starts every lesson. Both apps are served the same way (a fresh `streamlit run`, headless
Chromium); each visitor is a fresh browser context, as a student opening the class link. Printed: the first visitor
after the server starts, and the median of the next ones, for fcviz and for a bare page (a title, one metric, one
slider), with their ratio. Targets (issue 31): a new visitor's first number within 1.5× the bare page's; the first
visitor after start within 5 s: the app started as `make run` and the container start it (serve.py, which loads the
first page once before any student), measured once serve.py says so. FCVIZ_BENCH_VISITORS sets how many visitors
(default 8).

fcviz's server sends every reply at once (`fcviz.patches.reply_without_delay`); a stock Streamlit server leaves
Nagle's algorithm on, and its replies wait for the browser's delayed acknowledgements. So the bare page is measured
twice: as stock Streamlit serves it, and with the same fix applied on its first run as fcviz applies it.
"""
from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from fcviz_dev.appserver import ROOT, chromium_browser, running_app
from fcviz_dev.browser import PAINTING
from ui.first_paint import RUN_ENDED, SKELETON

BARE = '''import streamlit as st
st.title("A bare page")
st.metric("Total params", "101,770")
st.slider("Units", 1, 1024, 128)
'''
BARE_QUICK = "from fcviz.patches import reply_without_delay\nreply_without_delay()\n" + BARE
VISITORS = int(os.environ.get("FCVIZ_BENCH_VISITORS", "8"))
# The page notes when its first number is on screen: in the animation frame after the number has a box, just before
# the browser paints it (milliseconds since the navigation started). Playwright's own wait polls from the page's
# main thread, so a script evaluated right after the number (plotly.js: ~0.6 s) delayed what it saw by up to a second.
FIRST_NUMBER_PAINTED = """
new MutationObserver((changes, observer) => {
  const number = document.querySelector("[data-testid='stMetricValue']");
  if (!number || !number.getBoundingClientRect().width) return;
  observer.disconnect();
  requestAnimationFrame(() => { window.firstNumberAt = performance.now(); });
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["class", "style"]});
"""


# The page is whole: its script has run, no element is still loading its script, nothing more is asked for. A visitor
# stays until then, so that the next one (on the same two cores) does not pay for the last one's charts, as students
# on their own laptops do not.
SETTLED = f"""() => !document.querySelector("{PAINTING}, {SKELETON}")
    && document.querySelector("{RUN_ENDED}")"""


def first_number(browser, url: str) -> float:
    """Seconds from navigation to the first metric's value on screen, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.add_init_script(FIRST_NUMBER_PAINTED)
        page.goto(url, wait_until="commit")
        seconds = page.wait_for_function("window.firstNumberAt", timeout=120_000).json_value() / 1000
        page.wait_for_function(SETTLED, timeout=120_000)  # as on the student's own laptop: the next one finds it idle
        return seconds
    finally:
        context.close()


def visits(browser, url: str) -> tuple[float, list[float]]:
    """The first visitor's time and the next visitors' times."""
    first = first_number(browser, url)
    return first, [first_number(browser, url) for _ in range(VISITORS)]


def main() -> None:
    with sync_playwright() as pw, chromium_browser(pw) as browser, tempfile.TemporaryDirectory() as bare_dir:
        Path(bare_dir, "bare.py").write_text(BARE)
        Path(bare_dir, "bare_quick.py").write_text(BARE_QUICK)
        with running_app("bare.py", root=Path(bare_dir)) as url:
            bare_first, bare = visits(browser, url)
        with running_app("bare_quick.py", root=Path(bare_dir), env={"PYTHONPATH": str(ROOT)}) as url:
            _, quick = visits(browser, url)
        with running_app() as url:
            app_first, app = visits(browser, url)
        with running_app(serve=True, timeout=180) as url:  # as `make run` starts it
            served_first = first_number(browser, url)
    bare_median, app_median, quick_median = statistics.median(bare), statistics.median(app), statistics.median(quick)
    print(f"bare Streamlit page: first visitor {bare_first:.2f} s, next {VISITORS}: median {bare_median:.2f} s "
          f"({min(bare):.2f}–{max(bare):.2f})")
    print(f"bare page, replies sent at once: next {VISITORS}: median {quick_median:.2f} s "
          f"({min(quick):.2f}–{max(quick):.2f})")
    print(f"fcviz Build page:    first visitor {app_first:.2f} s, next {VISITORS}: median {app_median:.2f} s "
          f"({min(app):.2f}–{max(app):.2f})")
    ratio = app_median / bare_median
    print(f"ratio of medians {ratio:.2f}x (target <= 1.5x: {'met' if ratio <= 1.5 else 'MISSED'}); against the bare "
          f"page with replies sent at once {app_median / quick_median:.2f}x; first visitor "
          f"after `streamlit run` {app_first:.2f} s, after serve.py (`make run`, the container) says the first page is "
          f"loaded {served_first:.2f} s (target <= 5 s: {'met' if served_first <= 5 else 'MISSED'})")


if __name__ == "__main__":
    main()
