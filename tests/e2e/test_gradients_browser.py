"""The layers' gradients in the real app: a deep sigmoid network trains, the student opens "Gradients per layer"
under the curves while it trains, and sees the first layer's line lie far below the output layer's (issue 28)."""
from playwright.sync_api import expect

from fcviz_dev.browser import PROGRESS, button, open_page, wait_for_epoch

# The gradients' chart (its y axis is the only one titled with ∂loss/∂w): each line's name, its points' x and y
GRADIENTS = """() => { const plot = [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")]
    .find(p => ((p.layout.yaxis || {}).title || {}).text?.includes("∂loss/∂w"));
    return plot ? Object.fromEntries(plot.data.map(t => [t.name, {x: Array.from(t.x), y: Array.from(t.y)}])) : null;
}"""


EPOCHS = 60


def test_a_deep_sigmoid_networks_gradients_vanish_on_the_chart_while_it_trains(page):
    # six sigmoid layers and plain SGD (the experiment "Sigmoid vs relu: sigmoid"), for 60 epochs: long enough
    # (about 10 s) to open the chart and watch it grow while it trains, on a busy machine too
    six = ",".join(["64"] * 6), ",".join(["sigmoid"] * 6)
    open_page(page, f"train?units={six[0]}&act={six[1]}&opt=sgd&lr=0.1&epochs={EPOCHS}")
    button(page, "Train").click()
    wait_for_epoch(page, 1)
    gradients = page.get_by_test_id("stExpander").filter(has_text="Gradients per layer")
    gradients.get_by_text("Gradients per layer").click()
    expect(gradients.get_by_text("vanishing gradients")).to_be_visible()
    # live: the chart is there, with its lines, while the progress bar still counts epochs
    # (each value is read in the same call that waits for it: the chart is redrawn at every epoch)
    first = page.wait_for_function(f"""() => {{ const g = ({GRADIENTS})();
        return g?.hidden_1?.x.length > 0 && document.querySelector("{PROGRESS}") && g.hidden_1.x.length;
    }}""").json_value()
    page.wait_for_function(f"() => (({GRADIENTS})()?.hidden_1?.x.length || 0) > {first}")  # it grows as it trains
    page.get_by_text("Misclassified test digits").wait_for()  # the training has ended
    lines = page.wait_for_function(f"""() => {{ const g = ({GRADIENTS})();
        return Math.max(...(g?.output?.x || [0])) === {EPOCHS} && g; }}""").json_value()  # every epoch
    assert list(lines) == ["hidden_1", "hidden_2", "hidden_3", "hidden_4", "hidden_5", "hidden_6", "output"]
    first_layer, output = lines["hidden_1"]["y"], lines["output"]["y"]
    assert first_layer[-1] < output[-1] / 100  # vanished: more than two decades below the output layer's
