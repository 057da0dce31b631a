"""Train in the real app: click Train, read the plotted points and the accuracy; Stop; leave and come back."""
import re

from playwright.sync_api import expect

from fcviz.lessons.heroes import HEROES
from fcviz_dev.browser import PROGRESS, button, metric, open_page, set_slider, slider_shows, wait_for_epoch, wait_idle
from ui import keys

CURVES = "[data-testid='stPlotlyChart'] .js-plotly-plot"
TRACES = f"""() => {{ const plot = document.querySelector("{CURVES}");
    return plot ? Object.fromEntries(plot.data.filter(t => t.name)
        .map((t, i) => [t.name + '#' + i, {{x: Array.from(t.x), y: Array.from(t.y)}}])) : {{}}; }}"""


def curve_points(page, epochs: int) -> dict:
    """The x/y arrays of every trace of the curves, once the test curve has all `epochs` points."""
    page.wait_for_function(f"""() => Object.entries(({TRACES})()).some(([k, v]) =>
        k.startsWith('test (after each epoch)') && v.x.length === {epochs})""")
    return page.evaluate(TRACES)


def test_train_shows_curves_and_accuracy(page):
    open_page(page, "train")
    set_slider(page, "Training-set size", "1,000")
    set_slider(page, "Epochs", "4")
    expect(page.get_by_text("training on 1,000 of 4,000 digits")).to_be_visible()  # what will be trained
    button(page, "Train").click()
    page.get_by_text("Misclassified test digits").wait_for()
    points = curve_points(page, 4)
    test_loss = next(v for k, v in points.items() if k.startswith("test (after each epoch)"))
    train_loss = next(v for k, v in points.items() if k.startswith("train (epoch average)"))
    assert test_loss["x"] == [1, 2, 3, 4] and train_loss["x"] == [1, 2, 3, 4]
    assert all(0 < y < 3 for y in test_loss["y"]) and train_loss["y"][-1] < train_loss["y"][0]
    expect(metric(page, "Epochs")).to_have_text("4")
    expect(page.get_by_test_id("stMetricLabel").get_by_text("Epochs", exact=True)).to_have_count(1)  # one row
    value = float(metric(page, "Test accuracy").inner_text().rstrip("%"))
    assert 60 <= value <= 100
    delta = page.get_by_test_id("stMetricDelta")  # the gap, signed, without an arrow that would sign it twice
    expect(delta).to_contain_text(re.compile(r"^[+-]\d+\.\d pts vs train$"))
    expect(page.get_by_test_id("stMetricDeltaIcon-Down").or_(page.get_by_test_id("stMetricDeltaIcon-Up"))).to_have_count(0)
    open_tab(page, "Code and downloads")
    expect(page.get_by_role("button", name="Download model")).to_be_visible()


def test_opened_by_its_address_the_train_page_has_the_charts_code_before_its_first_training_ends(page):
    """Streamlit's chart code comes with the first chart a browser is sent: the Train page sends a hidden, empty one
    first, so that the finished curves take over from the live ones at once (they vanished for ~3 s while it loaded)."""
    open_page(page, "train?n_train=500&epochs=2")
    code = page.locator(f".st-key-{keys.CHART_CODE}")
    code.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").wait_for(state="attached")
    expect(code).to_be_hidden()
    button(page, "Train").click()
    page.get_by_text("Misclassified test digits").wait_for()
    expect(page.locator(CURVES).first).to_be_visible()
    expect(code).to_have_count(0)  # gone once the page has charts of its own


def open_tab(page, name: str) -> None:
    """Open one of the results' tabs (only the open one is drawn: the click reruns the page)."""
    page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")
    wait_idle(page)


def test_an_experiment_runs_from_the_top_of_the_page_in_two_clicks_and_its_results_fit_the_first_screen(page):
    open_page(page, "train")
    experiment = page.get_by_test_id("stMain").get_by_role("radio", name="Overfit on purpose", exact=True)
    assert experiment.bounding_box()["y"] < 400  # at the top, not below the fold
    experiment.click()  # one click loads it
    expect(experiment).to_have_attribute("aria-checked", "true")
    expect(page.get_by_text("What happens when a wide network sees only 500 digits, 40 times?")).to_be_visible()
    expect(slider_shows(page, "Training-set size")).to_have_text("500")  # the sidebar is the experiment's
    expect(slider_shows(page, "Epochs")).to_have_text("40")
    expect(page.get_by_text("784-512-512-10", exact=True)).to_be_visible()
    button(page, "Train").click()  # the other runs it
    expect(metric(page, "Epochs")).to_have_text("40")
    page.get_by_text("Misclassified test digits").wait_for()
    wait_idle(page)
    expect(page.get_by_text("What to look for: Wide network, 500 training digits")).to_be_visible()
    assert "units=512%2C512" in page.url or "units=512,512" in page.url
    for shown in (page.locator(CURVES).first, metric(page, "Train accuracy"), metric(page, "Test accuracy"),
                  metric(page, "Test loss"), metric(page, "Epochs")):  # on the first screen, no scrolling
        box = shown.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 1000, box


# Batch 8 on the 4,000-digit sample is 500 steps an epoch: 200 epochs outlast these tests on any
# machine, so the training is still running when they act on it (at batch 128 the engine trains
# 15 epochs in about two seconds, between two polls of the page).
LONG_RUN = "train?epochs=200&batch=8"


def shown_epoch(page) -> int:
    """The epoch the progress bar shows now (wait for it first with `wait_for_epoch`)."""
    return int(page.locator(PROGRESS).inner_text().split("epoch ")[1].split(" of")[0])


def test_stop_during_a_long_run(page):
    open_page(page, "train?batch=8")
    set_slider(page, "Epochs", "200", jump="End")
    button(page, "Train").click()
    wait_for_epoch(page, 3)
    button(page, "Stop").click()
    stopped = page.get_by_text(re.compile(r"Stopped after \d+ of 200 epochs")).first
    stopped.wait_for(timeout=30_000)  # shown once, with the final count
    epochs = int(re.search(r"after (\d+) of", stopped.inner_text()).group(1))
    assert 2 <= epochs < 200
    expect(metric(page, "Epochs")).to_have_text(str(epochs))  # the run's record says the same
    expect(button(page, "Train")).to_be_enabled()
    expect(button(page, "Stop")).to_be_disabled()


def test_training_survives_page_switch_and_slider_moves(page):
    open_page(page, LONG_RUN)
    button(page, "Train").click()
    wait_for_epoch(page, 2)
    set_slider(page, "Learning rate", "0.003")  # a widget change reruns the page mid-training
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Build").click()
    page.get_by_test_id("stTable").wait_for()
    wait_idle(page)
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()
    wait_for_epoch(page, 2)
    before = shown_epoch(page)
    # the same training, still going: the line names the epoch under way, so "before + 2" under way is before + 1 done
    # (the Stop below once came while the epoch after "before + 1" had not ended: stopped after `before`)
    wait_for_epoch(page, before + 2)
    button(page, "Stop").click()
    stopped = page.get_by_text(re.compile(r"Stopped after \d+ of 200 epochs")).first
    stopped.wait_for(timeout=30_000)
    epochs = int(re.search(r"after (\d+) of", stopped.inner_text()).group(1))
    assert before + 1 <= epochs < 200
    expect(metric(page, "Epochs")).to_have_text(str(epochs))
    page.get_by_text("Misclassified test digits").wait_for()


def test_a_run_trained_with_augmentation_says_so_and_is_measured_on_moved_digits(page):
    open_page(page, "train?augment=1&n_train=1000&epochs=2&units=32")
    expect(page.get_by_role("switch", name="Augmentation")).to_be_checked()
    button(page, "Train").click()
    page.get_by_text("Misclassified test digits").wait_for()
    open_tab(page, "Moved digits")
    line = page.get_by_test_id("stMarkdownContainer").filter(has_text="Moved test digits")
    expect(line).to_contain_text(re.compile(r"0 px: \d+% · 2 px: \d+% · 3 px: \d+% · 4 px: \d+%"))
    expect(page.get_by_text("This run was trained with augmentation")).to_be_visible()
    open_tab(page, "Code and downloads")
    code = page.get_by_test_id("stCode").filter(has_text="augment(x_train[order], training=True)")
    expect(code).to_have_count(1)


def test_the_heroes_lesson_runs_from_one_pill_and_ends_with_what_each_hero_bought(page):
    open_page(page, "train")
    page.get_by_test_id("stMain").get_by_role("radio", name="Heroes of deep learning, one at a time",
                                              exact=True).click()
    expect(page.get_by_text("Which inventions made deep networks learn?")).to_be_visible()
    button(page, "Train all 5, one after another").click()
    page.get_by_text("more after this one").wait_for()  # the series runs (4 more after the first) ...
    expect(page.get_by_text("more after this one")).to_have_count(0, timeout=300_000)  # ... its last step ...
    page.get_by_text("Misclassified test digits").wait_for(timeout=120_000)  # ... has trained
    open_tab(page, "Compare runs")
    table = page.get_by_test_id("stTable")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(HEROES))
    expect(rows).to_contain_text([hero.name for hero in HEROES])  # one row per step, in the lesson's order
    overlaid = page.get_by_test_id("stMultiSelect").filter(has_text="Runs to overlay")  # every step's run chosen
    for hero in HEROES:
        expect(overlaid).to_contain_text(hero.name)
    column = table.locator("thead th").all_inner_texts().index("test accuracy")
    first, last = (float(rows.nth(i).locator("th, td").nth(column).inner_text().rstrip("%")) for i in (0, -1))
    assert first < 50 and last >= 85  # the recorded lesson: 30 % to 93 % (tests/test_heroes.py)


LIVE = "[data-testid='fcviz-live-chart']"
LIVE_TRACES = TRACES.replace(CURVES, LIVE)


def close(a: list, b: list) -> bool:
    return len(a) == len(b) and all(abs(u - v) <= 1e-5 * abs(v) for u, v in zip(a, b))


def test_the_live_chart_grows_point_by_point_and_the_finished_chart_has_the_same_points(page):
    open_page(page, "train?epochs=60&units=512,256")  # long enough for several ticks on a fast machine
    button(page, "Train").click()
    held = [0]
    for _ in range(3):  # three ticks that each brought new points, appended to the chart the browser holds
        held.append(page.wait_for_function(
            """([sel, n]) => { const el = document.querySelector(sel);
                               return el && +el.dataset.points > n ? +el.dataset.points : false; }""",
            arg=[LIVE, held[-1]]).json_value())
    live = page.wait_for_function(  # the live chart's curves a few epochs in, how many figures it was sent, its epochs'
        # axis (the empty chart it started as read 0 to 1 epoch: its axes then fit the points)
        f"""() => {{ const el = document.querySelector("{LIVE}");
                    return el && +el.dataset.epochs >= 3 ?
                        [({LIVE_TRACES})(), +el.dataset.figures, el._fullLayout.xaxis.range[1]] : false; }}"""
    ).json_value()
    traces, figures, last_epoch_shown = live
    assert figures == 1  # the figure once; every tick after it only its new points
    assert last_epoch_shown >= 3
    # the star of the lowest test loss moves as the epochs come, its epoch named in the legend (not over the curves)
    page.wait_for_function(f"""() => Object.keys(({LIVE_TRACES})()).some(k => /^lowest test loss: epoch [0-9]+#/.test(k))""")
    page.get_by_text("Misclassified test digits").wait_for()
    finished = curve_points(page, 60)
    for name, points in traces.items():  # what the live chart showed is the start of the finished curves (to the
        # six digits of its messages)
        if name.startswith("lowest test loss"):
            continue
        n = len(points["x"])
        assert n > 0 and all(close(finished[name][axis][:n], points[axis]) for axis in "xy"), name
    assert len(finished["train (during the epoch)#0"]["x"]) > held[-1]
