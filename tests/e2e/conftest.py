"""Fixtures for tests that drive the real app in headless Chromium.

Outside CI a machine without Chromium skips these with the reason; in CI (CI=true) a
missing browser fails the run, so a green CI always means the browser tests ran.
"""
import os

import pytest
from playwright.sync_api import sync_playwright

from fcviz_dev.appserver import chromium_browser, find_chromium, running_app
from fcviz_dev.browser import new_tab, wait_idle


@pytest.fixture(scope="session")
def app_url():
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if find_chromium() is None:
        message = "no system Chromium: run `make test` (it installs Debian's chromium) or set FCVIZ_CHROMIUM"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as pw, chromium_browser(pw) as b:
        yield b


@pytest.fixture
def page(browser, app_url):
    """A new browser session (own Streamlit session) on the app; fails the test on any shown exception."""
    context, pg = new_tab(browser, app_url)
    pg.set_default_timeout(60_000)
    yield pg
    try:
        wait_idle(pg)  # the last action's run has ended: it could still show an exception
        assert pg.get_by_test_id("stException").count() == 0, pg.get_by_test_id("stException").first.inner_text()
    finally:
        context.close()
