"""The README's set-up for a bigger class: `dask scheduler` and `dask worker` started from their
command-line tools, the app pointed at them with FCVIZ_DASK_SCHEDULER, a training run from Chromium."""
import time

from distributed import Client
from playwright.sync_api import expect

from fcviz import environment
from fcviz.train.worker import TOPIC
from fcviz_dev.appserver import descendants, running_app
from fcviz_dev.browser import button, metric, new_tab, open_page, wait_idle
from fcviz_dev.cluster import external_cluster


def test_a_training_runs_on_an_external_scheduler_and_worker(browser):
    with external_cluster() as address, running_app(env={environment.DASK_SCHEDULER: address}) as url, \
            Client(address, timeout=30) as watcher:
        heard: list[dict] = []  # what that scheduler sends its subscribers (it keeps no history of it)
        watcher.subscribe_topic(TOPIC, lambda event: heard.append(event[1]))
        context, page = new_tab(browser, url)
        try:
            page.set_default_timeout(120_000)
            open_page(page, "train?n_train=1000&epochs=2")  # (a link: the sliders are another test's)
            button(page, "Train").click()
            page.get_by_text("Misclassified test digits").wait_for()
            expect(metric(page, "Epochs")).to_have_text("2")
            wait_idle(page)
            expect(page.get_by_text("could not be reached")).to_have_count(0)
            expect(page.get_by_test_id("stException")).to_have_count(0)
        finally:
            context.close()
        assert descendants(url.pid) == []  # the page server started no workers of its own
        deadline = time.monotonic() + 30  # the page may show the end before the last event reaches this client
        while (epochs := [msg["epoch"][0] for msg in list(heard) if msg["epoch"]]) != [1, 2] \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert epochs == [1, 2]  # the run's epochs were reported through that scheduler
