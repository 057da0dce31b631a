"""A run outlives its server: trained in Chromium, the server killed with SIGKILL (workers and all),
a new server on the same database, and the run's private link shows the same run."""
import os
import signal

from playwright.sync_api import expect

from fcviz import environment
from fcviz_dev.appserver import descendants, running_app
from fcviz_dev.browser import button, metric, new_tab, open_page, saved_run_token, wait_idle


def test_a_runs_link_shows_it_after_the_server_is_killed_and_restarted(browser, tmp_path):
    env = {environment.DB: f"sqlite:///{tmp_path / 'class.db'}", environment.WORKERS: "1"}  # one training: one worker
    with running_app(env=env) as url:
        context, page = new_tab(browser, url)
        open_page(page, "train?n_train=1000&epochs=2")
        button(page, "Train").click()
        token = saved_run_token(page)
        accuracy = metric(page, "Test accuracy").inner_text()
        assert f"run={token}" in page.url  # a reload opens it again
        context.close()
        for pid in [url.pid, *descendants(url.pid)]:  # the machine crashes: nothing is shut down cleanly
            os.kill(pid, signal.SIGKILL)
    with running_app(env=env) as url:
        context, page = new_tab(browser, url)
        try:
            page.goto(f"{url}/train?run={token}")
            expect(metric(page, "Test accuracy")).to_have_text(accuracy)
            expect(metric(page, "Epochs")).to_have_text("2")
            page.get_by_text("Misclassified test digits").wait_for()
            wait_idle(page)
            expect(page.get_by_test_id("stException")).to_have_count(0)
        finally:
            context.close()
