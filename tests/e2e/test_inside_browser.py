"""The Inside page in Chromium: default network, then every lecture preset, with no exception."""
import re

import pytest
from playwright.sync_api import expect

from fcviz.lessons.presets import PRESETS
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
    # the legends (the weights' histograms, the activation functions) at the charts' 15 px: Streamlit's theme gave 12
    page.wait_for_function("""() => { const texts = [...document.querySelectorAll('.legendtext')];
        return texts.length >= 5 && texts.every(t => t.style.fontSize === '15px'); }""")


@pytest.mark.parametrize("key", list(PRESETS))
def test_presets_render(page, key):
    label, spec = PRESETS[key]
    open_page(page, "inside")
    page.locator(FRESH).get_by_role("button", name=label, exact=True).click()
    page.get_by_text(f"Network {spec.name}").wait_for()
    first = "h1 = " if spec.hidden else "out = "
    expect(page.get_by_test_id("stMain").get_by_test_id("stCode").first).to_have_text(re.compile(f"^{first}"))


def axes_of(page, operation: str):
    """The block of one operation's verdict (`a + b`, `a * b`, `np.dot(a, b)`) in the shapes lab."""
    return page.get_by_test_id("stColumn").filter(has=page.locator("code", has_text=operation)).filter(
        has=page.get_by_test_id("fcviz-axes")).last


def test_shapes_lab_gives_numpys_verdicts_and_times_the_naive_loops(page):
    open_page(page, "inside")
    page.locator(FRESH).get_by_role("radio", name="(2, 3, 4) · (5, 4, 6)", exact=True).click()  # a pill
    expect(page.get_by_label("Shape of a")).to_have_value("(2, 3, 4)")
    expect(axes_of(page, "np.dot(a, b)")).to_contain_text("shape (2, 3, 5, 6)")
    expect(axes_of(page, "a + b")).to_contain_text("operands could not be broadcast together with shapes (2,3,4) (5,4,6)")

    b = page.get_by_label("Shape of b")
    b.fill("(4,)")
    b.press("Enter")
    expect(axes_of(page, "a + b")).to_contain_text("shape (2, 3, 4)")
    expect(axes_of(page, "np.dot(a, b)")).to_contain_text("shape (2, 3)")

    b.fill("(2, 3); rm -rf /")
    b.press("Enter")
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("write a shape as numbers in brackets")

    page.locator(FRESH).get_by_role("button", name="Time them").click()
    table = page.get_by_test_id("stDataFrame").filter(has_text="numpy is faster by")
    expect(table).to_contain_text("naive_matrix_dot(x, y)")
    expect(table).to_contain_text("×")
