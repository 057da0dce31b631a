"""Fashion-MNIST in Chromium: trained on clothes, the pages name the classes, and Draw says it reads no digits."""
import re

from playwright.sync_api import expect

from fcviz_dev.browser import button, open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw


def test_a_network_trained_on_clothes_names_them_everywhere(page):
    open_page(page, "train?data=fashion&n_train=3000&epochs=2&units=64")
    expect(page.get_by_text("training on 3,000 of 60,000")).to_be_visible()
    button(page, "Train").click()
    page.get_by_text("Misclassified test images").wait_for()
    confusion = page.get_by_test_id("stPlotlyChart").filter(has_text="Ankle boot").first
    expect(confusion).to_contain_text("true class")
    expect(page.get_by_text("0 T-shirt/top · 1 Trouser")).to_be_visible()
    clothes = r"(T-shirt/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot)"
    expect(page.get_by_text(re.compile(rf"Hardest class: {clothes} \(|Hardest, tied at .*: {clothes}(, {clothes})+\.")
                            )).to_be_visible()

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Draw").click()
    page.locator(CANVAS).wait_for()
    wait_idle(page)
    draw(page, DIGITS["1"])
    expect(page.get_by_text("This network was trained on clothes (Fashion-MNIST)")).to_be_visible()
    expect(page.get_by_test_id("fcviz-prediction")).to_contain_text(re.compile(
        r"Prediction\s*(T-shirt/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot)"))
