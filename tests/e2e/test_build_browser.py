"""Drive the Build page in headless Chromium: drag and type on sliders, pick an activation, read Keras' numbers."""
import re
from urllib.parse import unquote

from playwright.sync_api import expect

from fcviz_dev.browser import (
    FRESH,
    PAINTING,
    choose,
    metric,
    open_page,
    pill,
    set_slider,
    slider_shows,
    wait_for_address,
    wait_idle,
)


def table(page):
    return page.get_by_test_id("stTable")


def test_default_page_shows_keras_shapes(page):
    open_page(page)
    for text in ("(784, 128)", "(128,)", "100,480"):
        expect(table(page)).to_contain_text(text)
    expect(metric(page, "Total params")).to_have_text("101,770")
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(2)  # the diagram, and the spread at initialisation


def test_the_build_pages_own_address_opens_it_with_the_links_settings(page):
    """`/build` (typed after the page's name in the navigation) opens the Build page at the app's root, where
    Streamlit serves the first page, with the link's settings: no "Page not found" dialog."""
    open_page(page, "build?units=64")
    expect(network(page)).to_contain_text("784-64-10")
    wait_for_address(page, "/build", present=False)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert "units=64" in unquote(page.url)


def test_keyboard_on_width_slider_changes_kernel_and_total(page):
    open_page(page)
    set_slider(page, "Units", "1024", jump="End")
    for text in ("(784, 1024)", "(1024,)", "(1024, 10)"):
        expect(table(page)).to_contain_text(text)
    expect(metric(page, "Total params")).to_have_text(f"{784 * 1024 + 1024 + 1024 * 10 + 10:,}")


def width_box(page, nth=0):
    """The box beside the `nth` hidden layer's Units slider, to type its width in."""
    return page.get_by_test_id("stSidebar").get_by_test_id("stNumberInput").nth(nth).locator("input")


def network(page):
    """The line naming the network (`784-128-10`) that the current run drew."""
    return page.locator(FRESH).filter(has=page.get_by_text("Network", exact=True)).get_by_test_id("stMarkdown")


def test_typing_a_width_or_clicking_a_lecture_size_builds_it_in_one_move(page):
    open_page(page)
    width_box(page).fill("256")
    width_box(page).press("Enter")
    expect(network(page)).to_contain_text("784-256-10")
    expect(table(page)).to_contain_text("(784, 256)")
    expect(slider_shows(page, "Units")).to_have_text("256")  # the slider shows what was typed
    expect(pill(page, "build_units_0_sizes", "256")).to_have_attribute("aria-checked", "true")  # a lecture size
    wait_idle(page)
    assert "units=256" in unquote(page.url)

    pill(page, "build_units_0_sizes", "512").click()
    expect(network(page)).to_contain_text("784-512-10")
    expect(slider_shows(page, "Units")).to_have_text("512")
    expect(width_box(page)).to_have_value("512")

    width_box(page).fill("300")
    width_box(page).press("Tab")  # leaving the box sets it too
    expect(network(page)).to_contain_text("784-300-10")
    expect(width_box(page)).to_have_value("300")
    expect(pill(page, "build_units_0_sizes", "512")).to_have_attribute("aria-checked", "false")
    set_slider(page, "Units", "302")  # and the box follows the slider
    expect(width_box(page)).to_have_value("302")
    expect(network(page)).to_contain_text("784-302-10")


def test_a_width_out_of_bounds_is_refused_by_its_box(page):
    open_page(page, "?units=256,128")
    expect(width_box(page, 1)).to_have_value("128")  # a link's widths show in the boxes
    width_box(page).fill("5000")
    width_box(page).press("Enter")
    wait_idle(page)
    width_box(page).fill("")
    width_box(page).press("Tab")  # an emptied box gets the width back
    expect(width_box(page)).to_have_value("256")
    wait_idle(page)
    expect(network(page)).to_contain_text("784-256-128-10")
    expect(slider_shows(page, "Units")).to_have_text("256")


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
    wait_for_address(page, "dropout=0.5,0.0")  # the link carries it


def spread_chart(page):
    """The chart of each layer's z at initialisation, as the current run drew it."""
    return page.locator(f"{FRESH}.st-key-build_spread").get_by_test_id("stPlotlyChart")


def test_a_link_with_sigma_one_shows_the_start_and_its_exploding_spread(page):
    open_page(page, "?init=normal&units=128,128")
    start = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Initialisation")
    expect(start.get_by_role("combobox")).to_have_value("Normal, σ = 1")
    expect(page.get_by_text("The naive choice before Xavier", exact=False)).to_be_visible()
    chart = spread_chart(page)
    expect(chart).to_be_visible()
    expect(chart.locator("g.xtick")).to_have_count(3)  # hidden_1, hidden_2, output: every layer at once
    expect(chart).to_contain_text("output")
    sigmas = chart.locator("g.textpoint")
    expect(sigmas).to_have_count(3)
    expect(sigmas.last).to_contain_text(re.compile(r"σ = \d{3,}"))  # hundreds at the output: the spread exploded

    choose(page, start, "He (normal)")
    wait_for_address(page, "init=he")
    expect(spread_chart(page).locator("g.textpoint").last).to_contain_text(re.compile(r"σ = 0\.\d"))  # it stays


# What the page holds when its first number appears: recorded by the page itself, at that moment.
AT_FIRST_NUMBER = """
new MutationObserver((changes, observer) => {
  if (!document.querySelector("[data-testid=stMetricValue]")) return;
  window.atFirstNumber = {charts: document.querySelectorAll("[data-testid=stPlotlyChart]").length,
                          codes: document.querySelectorAll("[data-testid=stCode]").length};
  observer.disconnect();
}).observe(document, {subtree: true, childList: true});
"""


def test_a_new_visitor_sees_the_numbers_first_and_the_charts_follow_by_themselves(page):
    page.add_init_script(AT_FIRST_NUMBER)
    page.goto(f"{page.app_url}/")
    expect(metric(page, "Total params")).to_have_text("101,770")
    expect(table(page)).to_contain_text("(784, 128)")  # the table comes with the numbers
    # the diagram and the spread, then, with nothing done: the browser asked for them once it showed the numbers
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(2)
    expect(page.locator(PAINTING)).to_have_count(0)
    first = page.evaluate("window.atFirstNumber")
    assert first == {"charts": 0, "codes": 0}, first  # neither plotly.js nor the highlighter came before the numbers
    wait_idle(page)
    expect(page.get_by_test_id("stCode")).to_have_count(0)  # the whole page, without a code box: no highlighter loaded
    page.get_by_test_id("stSidebar").get_by_text("Share this setting").click()  # opened, the box makes its link
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stCode")).to_contain_text("units=128")
    wait_idle(page)
    page.reload()  # a reload is a new visitor: the same again
    expect(metric(page, "Total params")).to_have_text("101,770")
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(2)
    assert page.evaluate("window.atFirstNumber") == {"charts": 0, "codes": 0}


def test_a_network_built_before_any_training_is_kept_for_an_address_typed_later(page):
    open_page(page)
    width_box(page).fill("200")
    width_box(page).press("Enter")
    expect(network(page)).to_contain_text("784-200-10")
    # the browser keeps it (as it keeps the language) once the page has written its cookie
    page.wait_for_function("() => decodeURIComponent(document.cookie).includes('units=200')")
    open_page(page, "train")  # typed: no settings in the address
    expect(page.locator(FRESH).get_by_test_id("stMarkdown").filter(has_text="params · Data")).to_contain_text(
        "Network 784-200-10")
    wait_for_address(page, "units=200")
    open_page(page, "?units=64")  # a link that names a setting wins
    expect(network(page)).to_contain_text("784-64-10")
