"""The Draw page behind one prediction, in Chromium: which pixels flip it, and a clicked unit's own sum."""
import re

import pytest
from playwright.sync_api import expect

from fcviz_dev.browser import FRESH, choose, open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw

NUMBER = r"(-?\d+\.\d+)"


def unit_field(page):
    """The number field that picks the unit (a selectbox's open list can carry the same label)."""
    return page.get_by_role("spinbutton", name="Unit", exact=True)


@pytest.fixture
def drawn(page):
    open_page(page, "draw?units=64,32")
    page.locator(FRESH).get_by_role("button", name="now").click()
    page.locator(CANVAS).wait_for(timeout=120_000)
    wait_idle(page)
    draw(page, DIGITS["7"])
    expect(page.get_by_test_id("fcviz-prediction")).to_contain_text(re.compile(r"Prediction\s*\d"))
    wait_idle(page)
    return page


def equation(page, unit: int) -> tuple[float, float, float]:
    """(Σ x·w, b, h) of `unit`, read from its equation as KaTeX keeps its source, once it is that unit's."""
    source = page.locator("annotation", has_text=f"b_{{{unit}}}")
    expect(source).to_have_count(1)
    tex = source.text_content()
    total, bias, z = (float(v) for v in re.search(rf"= {NUMBER} \+ \(?{NUMBER}\)? = {NUMBER}", tex).groups())
    assert total + bias == pytest.approx(z, abs=2e-3)
    return total, bias, float(re.findall(NUMBER, tex)[-1])


def test_pixel_effects_follow_the_picked_digit_and_a_clicked_unit_shows_its_sum(drawn):
    shown = int(re.search(r"Prediction\s*(\d)", drawn.get_by_test_id("fcviz-prediction").inner_text()).group(1))
    expect(drawn.get_by_text(re.compile(rf"would make it more of a {shown}\b"))).to_be_visible()
    other = 3 if shown != 3 else 8
    drawn.locator(FRESH).get_by_role("radio", name=str(other), exact=True).click()
    expect(drawn.get_by_text(re.compile(rf"would make it more of a {other}\b"))).to_be_visible()
    expect(drawn.get_by_text(re.compile(rf"strongest push towards a {other} is at row \d+, column \d+"))).to_be_visible()

    # on the same drawing, a click on a unit of the activations shows its own sum
    strip = drawn.get_by_test_id("stPlotlyChart").filter(has=drawn.locator(".scatterlayer .point")).first
    strip.scroll_into_view_if_needed()
    box = strip.locator(".scatterlayer .point").nth(5).bounding_box()
    drawn.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(unit_field(drawn)).to_have_value("5")
    expect(drawn.get_by_text(re.compile(r"Only the \d+ pixels with ink add anything"))).to_be_visible()
    total, bias, h = equation(drawn, 5)
    assert h == pytest.approx(max(total + bias, 0.0), abs=2e-3)  # relu

    # a unit of the second hidden layer: its inputs are the first layer's 64 outputs, shown as bars
    choose(drawn, drawn.get_by_test_id("stSelectbox").filter(has_text="Layer"), "hidden_2 · hidden layer 2 (32 units)")
    expect(drawn.get_by_text("Its inputs are the previous layer's 64 outputs h")).to_be_visible()
    expect(drawn.get_by_test_id("stPlotlyChart").filter(has_text="contribution h·w")).to_be_visible()

    # the output unit of the predicted digit: its h is the probability the page shows
    shown = drawn.get_by_test_id("fcviz-prediction").inner_text()
    digit, percent = re.search(r"Prediction\s*(\d)\s*(\d+)%", shown).groups()
    choose(drawn, drawn.get_by_test_id("stSelectbox").filter(has_text="Layer"), "output · output layer (10 units)")
    unit = unit_field(drawn)
    unit.fill(digit)
    unit.press("Enter")
    expect(drawn.locator("annotation", has_text="softmax")).to_have_count(1)
    assert round(equation(drawn, int(digit))[2] * 100) == pytest.approx(int(percent), abs=1)


def test_a_unit_clicked_in_the_build_diagram_shows_its_sum_on_the_draw_page(drawn):
    drawn.get_by_test_id("stSidebarNavLink").filter(has_text="Build").click()
    diagram = drawn.get_by_test_id("stPlotlyChart").first
    diagram.locator(".scatterlayer .trace").nth(2).wait_for()  # edges, inputs, the first hidden layer
    wait_idle(drawn)
    point = diagram.locator(".scatterlayer .trace").nth(2).locator(".point").nth(3)  # its fourth unit from the bottom
    box = point.bounding_box()
    drawn.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(drawn.get_by_text("Draw a digit to see the own sum of unit 3 of hidden_1")).to_be_visible()  # on Draw
    drawn.locator(CANVAS).wait_for()
    wait_idle(drawn)
    draw(drawn, DIGITS["7"])
    expect(drawn.get_by_role("heading", name="A neuron's own sum")).to_be_visible()
    expect(unit_field(drawn)).to_have_value("3")
    equation(drawn, 3)
