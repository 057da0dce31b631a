"""Drive the Build page in headless Chromium: drag and type on sliders, pick an activation, read Keras' numbers."""
from urllib.parse import unquote

from playwright.sync_api import expect

from fcviz_dev.browser import choose, metric, open_page, set_slider, slider_shows, wait_idle


def table(page):
    return page.get_by_test_id("stTable")


def test_default_page_shows_keras_shapes(page):
    open_page(page)
    for text in ("(784, 128)", "(128,)", "100,480"):
        expect(table(page)).to_contain_text(text)
    expect(metric(page, "Total params")).to_have_text("101,770")
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1)


def test_keyboard_on_width_slider_changes_kernel_and_total(page):
    open_page(page)
    set_slider(page, "Units", "1024", jump="End")
    for text in ("(784, 1024)", "(1024,)", "(1024, 10)"):
        expect(table(page)).to_contain_text(text)
    expect(metric(page, "Total params")).to_have_text(f"{784 * 1024 + 1024 + 1024 * 10 + 10:,}")


def test_dragging_layer_slider_and_choosing_activation(page):
    open_page(page)
    widget = page.get_by_test_id("stSlider").filter(has_text="Hidden layers")
    box = widget.get_by_test_id("stSliderThumbValue").locator("..").bounding_box()  # the visible thumb
    track = widget.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.40, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    expect(slider_shows(page, "Hidden layers")).not_to_have_text("1")
    wait_idle(page)
    layers = int(slider_shows(page, "Hidden layers").inner_text())
    assert 2 <= layers <= 5  # dragged to about 40 % of 0..8
    expect(table(page)).to_contain_text(f"hidden_{layers}")
    expect(table(page)).not_to_contain_text(f"hidden_{layers + 1}")
    expect(table(page)).to_contain_text("(128, 64)")  # new layers start at 64 units: hidden_2 connects 128 to 64

    choose(page, page.get_by_test_id("stSelectbox").filter(has_text="Activation").nth(1), "sigmoid")
    row = table(page).locator("tr").filter(has_text="hidden_2")
    expect(row).to_contain_text("sigmoid")
    expect(row).to_contain_text("(128, 64)")


def test_dropout_per_layer_adds_a_dropout_layer(page):
    open_page(page, "?units=256,64")
    set_slider(page, "Dropout after it", "0.50")
    row = table(page).locator("tr").filter(has_text="dropout_1")
    expect(row).to_contain_text("Dropout")
    expect(row).to_contain_text("(None, 256)")
    page.wait_for_url(lambda url: "dropout=0.5,0.0" in unquote(url))  # the link carries it
