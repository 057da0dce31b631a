"""Drive the Build page in headless Chromium: drag and type on sliders, pick an activation, read Keras' numbers."""
from fcviz_dev.browser import open_page, wait_idle


def table_text(page) -> str:
    return page.get_by_test_id("stTable").inner_text()


def slider(page, label: str, nth: int = 0):
    return page.get_by_test_id("stSlider").filter(has_text=label).nth(nth).get_by_role("slider")


def total_params(page) -> str:
    return page.get_by_test_id("stMetric").filter(has_text="Total params").get_by_test_id("stMetricValue").inner_text()


def test_default_page_shows_keras_shapes(page):
    open_page(page)
    text = table_text(page)
    assert "(784, 128)" in text and "(128,)" in text and "100,480" in text
    assert total_params(page) == "101,770"
    assert page.get_by_test_id("stPlotlyChart").count() == 1


def test_keyboard_on_width_slider_changes_kernel_and_total(page):
    open_page(page)
    thumb = slider(page, "Units")
    thumb.focus()
    thumb.press("End")  # 1,024 units
    wait_idle(page)
    text = table_text(page)
    assert "(784, 1024)" in text and "(1024,)" in text and "(1024, 10)" in text
    assert total_params(page) == f"{784 * 1024 + 1024 + 1024 * 10 + 10:,}"


def test_dragging_layer_slider_and_choosing_activation(page):
    open_page(page)
    widget = page.get_by_test_id("stSlider").filter(has_text="Hidden layers")
    box = widget.get_by_test_id("stSliderThumbValue").locator("..").bounding_box()  # the visible thumb
    track = widget.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.40, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    wait_idle(page)
    layers = int(slider(page, "Hidden layers").input_value())
    assert 2 <= layers <= 5  # dragged to about 40 % of 0..8
    text = table_text(page)
    assert f"hidden_{layers}" in text and f"hidden_{layers + 1}" not in text
    # new layers start at 64 units: hidden_2's kernel connects 128 to 64
    assert "(128, 64)" in text

    page.get_by_test_id("stSelectbox").filter(has_text="Activation").nth(1).click()
    page.get_by_role("option", name="sigmoid").click()
    wait_idle(page)
    row = page.get_by_test_id("stTable").locator("tr").filter(has_text="hidden_2").inner_text()
    assert "sigmoid" in row and "(128, 64)" in row
