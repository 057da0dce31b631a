"""Every page's text meets WCAG AA contrast, fresh and after a training, in both languages: axe-core (from npm,
installed by `make test`) runs its colour-contrast rule inside Chromium over what the page shows."""
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fcviz_dev.browser import button, new_tab, open_page, wait_idle
from fcviz_dev.drawing import DIGITS, draw

AXE = Path(sys.prefix) / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # `make axe`, into the venv
PAGES = ("", "train", "draw", "inside", "class")


def low_contrast(page) -> list[str]:
    """What axe-core finds below AA contrast on the page as it is now: one line per element."""
    wait_idle(page)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document, {runOnly: ['color-contrast']})).violations
        .flatMap(v => v.nodes.map(n => n.html.slice(0, 100) + ' :: '
                                       + (n.any[0] || {message: ''}).message.slice(0, 90)))""")


@pytest.fixture(scope="module")
def axe_installed():
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run `make axe` (make test does)")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_reads_at_aa_contrast_fresh_and_trained(browser, app_url, axe_installed, lang):
    context, page = new_tab(browser, app_url)
    try:
        found = []
        for path in PAGES:
            open_page(page, f"{path}?lang={lang}")
            found += [f"/{path}: {line}" for line in low_contrast(page)]
        open_page(page, f"train?lang={lang}&epochs=2")
        button(page, "训练" if lang == "zh" else "Train").click()
        expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=120_000)
        wait_idle(page)
        found += [f"/train trained: {line}" for line in low_contrast(page)]
        page.get_by_test_id("stSidebarNavLink").nth(2).click()  # Draw
        draw(page, DIGITS["7"])  # (waits for the canvas and the page's run)
        expect(page.get_by_test_id("fcviz-prediction")).to_be_visible()
        found += [f"/draw trained, drawn: {line}" for line in low_contrast(page)]
        page.get_by_test_id("stSidebarNavLink").nth(3).click()  # Inside
        found += [f"/inside trained: {line}" for line in low_contrast(page)]
        assert found == []
    finally:
        context.close()
