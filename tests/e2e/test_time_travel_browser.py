"""Time travel in Chromium: slide back through a run on Train, see the same point on Draw, go back to the best epoch."""
import re

from playwright.sync_api import expect

from fcviz_dev.browser import button, metric, open_page, wait_idle
from fcviz_dev.drawing import CANVAS, DIGITS, draw

SLIDER = "Time travel"


def shown(page):
    return page.get_by_test_id("stSlider").filter(has_text=SLIDER).get_by_test_id("stSliderThumbValue")


def travel_to(page, label: str, key: str | None = None, presses: int = 0) -> None:
    """Move the epoch slider with the keyboard (`key` once, then ArrowRight `presses` times) until it shows `label`."""
    thumb = page.get_by_test_id("stSlider").filter(has_text=SLIDER).get_by_role("slider")
    if key:
        thumb.press(key)
    for _ in range(presses):
        before = shown(page).inner_text()
        thumb.press("ArrowRight")
        expect(shown(page)).not_to_have_text(before)
    expect(shown(page)).to_have_text(re.compile(label))
    wait_idle(page)


def travel_to_an_epoch(page, at_least: int) -> int:
    """Press ArrowRight until the slider shows a whole epoch ≥ `at_least`: which points a run keeps depends on
    its best epoch (a wide network's snapshots are thinned around it), so the test does not count presses."""
    for _ in range(40):
        travel_to(page, ".", presses=1)
        found = re.match(r"\d+", shown(page).inner_text())
        if found and int(found.group()) >= at_least:
            return int(found.group())
    raise AssertionError(f"no epoch ≥ {at_least} on the slider")


def accuracy_shown(page) -> float:
    """The test accuracy the tab shows at the point chosen (with the confusion matrix there, when it is not the
    end: at the end the matrix is the Test set tab's)."""
    caption = page.get_by_text(re.compile(r"(at this point|At the end of training) · test accuracy [\d.]+%"))
    expect(caption).to_be_visible()
    return float(re.search(r"test accuracy ([\d.]+)%", caption.inner_text()).group(1))


def open_time_travel(page) -> None:
    """Open the results' Time travel tab (only the open tab is drawn) and wait for its slider."""
    page.get_by_role("tab", name="Time travel", exact=True).click()
    expect(page.get_by_role("tab", name="Time travel", exact=True)).to_have_attribute("aria-selected", "true")
    shown(page).wait_for()
    wait_idle(page)


def test_slide_back_through_a_run_and_stop_at_its_best_epoch(page):
    open_page(page, "train?units=512,512&n_train=500&epochs=30")  # overfits: the best epoch comes early
    button(page, "Train").click()
    page.get_by_role("tab", name="Time travel", exact=True).wait_for()  # the results are there
    open_time_travel(page)
    end = float(metric(page, "Test accuracy").inner_text().rstrip("%"))
    expect(shown(page)).to_have_text(re.compile(r"^30"))
    assert accuracy_shown(page) == end
    confusion = page.locator("[data-testid='stPlotlyChart']").filter(has_text="true digit")
    expect(confusion).to_have_count(0)  # at the end it is the Test set tab's matrix: not shown twice


    travel_to(page, "^start$", key="Home")
    expect(page.get_by_text("You are looking back")).to_contain_text("start")
    assert accuracy_shown(page) < 30  # random weights: about one digit in ten
    expect(confusion).to_have_count(1)  # an earlier point: its own matrix
    epoch = travel_to_an_epoch(page, at_least=2)
    assert 30 < accuracy_shown(page)

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Draw").click()  # the same point on the Draw page
    page.locator(CANVAS).wait_for()
    expect(shown(page)).to_have_text(re.compile(rf"^{epoch}\b"))
    draw(page, DIGITS["7"])
    expect(page.get_by_test_id("fcviz-prediction")).to_be_visible()
    expect(page.get_by_text("You are looking back")).to_contain_text(re.compile(rf"at {epoch}\b"))

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()
    open_time_travel(page)
    best = page.get_by_role("button", name=re.compile(r"Use the network from the best epoch \(\d+\)"))
    epoch = int(re.search(r"\((\d+)\)", best.inner_text()).group(1))
    assert epoch < 30
    best.click()
    expect(metric(page, "Epochs")).to_have_text(str(epoch))
    expect(page.get_by_role("button", name=re.compile("Use the network from the best epoch"))).to_have_count(0)
    expect(shown(page)).to_have_text(re.compile(rf"^{epoch}\b"))


def test_a_reload_after_the_training_keeps_time_travel(page):
    """A reload right after a training has ended opens the same run, its snapshots with it: time travel stays (the
    run reopened from the class store has none, and the tab said so)."""
    open_page(page, "train?n_train=500&epochs=3")
    button(page, "Train").click()
    page.get_by_role("tab", name="Time travel", exact=True).wait_for()  # ended
    wait_idle(page)
    page.reload()  # the address names the saved run: a new session opens it by its link
    open_time_travel(page)
    expect(shown(page)).to_have_text(re.compile(r"^3"))
    travel_to(page, "^start$", key="Home")
    assert accuracy_shown(page) < 30  # the weights before training, kept along the way
