"""The Inside page in Chromium: default network, then every lecture preset, with no exception."""
import pytest

from fcviz.presets import PRESETS
from fcviz_dev.browser import open_page, wait_idle


def test_default_network_inside(page):
    open_page(page, "inside")
    page.get_by_test_id("stMetric").filter(has_text="Largest difference").wait_for()  # the page has rendered
    text = page.get_by_test_id("stMainBlockContainer").inner_text()
    assert "h1 = relu(X (4, 784) @ W1 (784, 128) + b1 (128,)) → (4, 128)" in text
    assert "Matrix size-incompatible" in text and "def forward(" in text
    diff = page.get_by_test_id("stMetric").filter(has_text="Largest difference").get_by_test_id("stMetricValue")
    assert float(diff.inner_text()) < 1e-5


@pytest.mark.parametrize("key", list(PRESETS))
def test_presets_render(page, key):
    label, spec = PRESETS[key]
    open_page(page, "inside")
    page.get_by_role("button", name=label, exact=True).click()
    wait_idle(page)
    page.get_by_text(f"Network {spec.name}").wait_for()
    assert page.get_by_test_id("stMain").get_by_test_id("stCode").first.inner_text().startswith("h1 = " if spec.hidden else "out = ")
