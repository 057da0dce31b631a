"""Several students on one server: a training queue with visible position, and a closed tab frees its slot."""
import re

import pytest
from playwright.sync_api import expect

from fcviz import environment
from fcviz_dev.appserver import running_app
from fcviz_dev.browser import button, metric, new_tab, open_page, set_slider, wait_for_epoch


@pytest.fixture(scope="module")
def one_slot_url():
    """A server with one worker (so one training at a time) that lets a closed tab go after one second."""
    with running_app(env={environment.WORKERS: "1", environment.SESSION_GRACE: "1"}) as url:
        yield url


def student(browser, url, path="train"):
    context, page = new_tab(browser, url)
    open_page(page, path)
    return context, page


def test_closing_a_training_tab_lets_the_next_student_train(browser, one_slot_url):
    first_ctx, first = student(browser, one_slot_url, "train?batch=8")  # 500 steps an epoch
    second_ctx, second = student(browser, one_slot_url)
    try:
        set_slider(first, "Epochs", "200", jump="End")  # with batch 8 it would hold the slot for minutes
        button(first, "Train").click()
        wait_for_epoch(first, 1)

        button(second, "Train").click()
        second.get_by_text("Waiting for a free training slot: number 1 in the queue").wait_for()

        first_ctx.close()  # the first student closes the tab mid-training
        # an epoch of the second's done: its number (a warm worker trains the sample's 10 epochs in about 0.4 s,
        # between two of the page's polls, so the progress bar may never be seen)
        expect(metric(second, "Epochs")).to_have_text(re.compile(r"^\d+$"), timeout=60_000)
        expect(second.get_by_test_id("stException")).to_have_count(0)
    finally:
        second_ctx.close()
