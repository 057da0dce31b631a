"""Take Chromium screenshots of every page into docs/ (used for the README and for review).

Usage: python scripts/screenshots.py [page ...]     e.g.  python scripts/screenshots.py build
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.appserver import ROOT, chromium_browser, running_app, wait_idle  # noqa: E402

PAGES = {"build": ""}


def main(names: list[str]) -> None:
    names = names or list(PAGES)
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with running_app() as url, sync_playwright() as pw, chromium_browser(pw) as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for name in names:
            page.goto(f"{url}/{PAGES[name]}")
            page.wait_for_selector("[data-testid='stMainBlockContainer']", timeout=60_000)
            wait_idle(page)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print("wrote", out / f"{name}.png")


if __name__ == "__main__":
    main(sys.argv[1:])
