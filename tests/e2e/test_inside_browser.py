"""The Inside page in Chromium: default network, then every lecture preset, with no exception."""
import re

import pytest
from playwright.sync_api import expect

from fcviz.presets import PRESETS
from fcviz_dev.browser import FRESH, metric, open_page


def test_default_network_inside(page):
    open_page(page, "inside")
    main = page.get_by_test_id("stMainBlockContainer")
    for text in ("h1 = relu(X (4, 784) @ W1 (784, 128) + b1 (128,)) → (4, 128)", "Matrix size-incompatible",
                 "def forward("):
        expect(main).to_contain_text(text)
    diff = metric(page, "Largest difference, numpy vs Keras, on this input")
    expect(diff).to_have_text(re.compile(r"\d"))
    assert float(diff.inner_text()) < 1e-5


@pytest.mark.parametrize("key", list(PRESETS))
def test_presets_render(page, key):
    label, spec = PRESETS[key]
    open_page(page, "inside")
    page.locator(FRESH).get_by_role("button", name=label, exact=True).click()
    page.get_by_text(f"Network {spec.name}").wait_for()
    first = "h1 = " if spec.hidden else "out = "
    expect(page.get_by_test_id("stMain").get_by_test_id("stCode").first).to_have_text(re.compile(f"^{first}"))
