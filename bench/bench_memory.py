"""Does the server's memory stay flat while one student trains, resets and retrains 50 times?

Drives the real app in headless Chromium (Train page: Train, wait for the result, Reset) and
reads the server's resident memory from /proc after each cycle. Every cycle builds a new Keras
model, optimizer and traced training function; the ones replaced must be freed.

Prints RSS at start, after the first cycle (TensorFlow warmed up: the baseline) and after the
last, and the growth per cycle over the second half. Target: the second half grows less than
0.2 MiB per cycle (the trainings run in workers; a job kept by mistake, with its weights and
optimizer state, is 0.5-1.6 MB). The workers' memory after the first and last cycle is printed beside it.

Then, on a fresh server, one training on 60,000 images (Debian's Fashion-MNIST, as a data-folder
set): the page server's peak while it trains against its memory with the data set chosen and
shown. Target: <= 100 MB more (the training runs in a worker, which holds the data once).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from playwright.sync_api import sync_playwright

from fcviz.data.loading import DEBIAN_FASHION, IDX_FILES
from fcviz.data.sources import FASHION
from fcviz_dev.appserver import chromium_browser, memory_kib, running_app, tree_rss_kib
from fcviz_dev.browser import set_slider, wait_idle

CYCLES = int(os.environ.get("FCVIZ_BENCH_CYCLES", "50"))
LARGE_LIMIT = 600  # seconds for the 60,000-image training: a page that never shows its end fails the bench


def cycle(page) -> None:
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Misclassified test digits").wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_role("button", name="Reset", exact=True).click()
    page.get_by_text("Press Train to fit the network").wait_for()
    wait_idle(page)


def mib(kib: int) -> float:
    return kib / 1024


def large_training(browser) -> None:
    if not all((DEBIAN_FASHION / name).is_file() for name in IDX_FILES.values()):
        raise SystemExit(f"Fashion-MNIST not found under {DEBIAN_FASHION}: `make fashion-mnist` (apt-get install dataset-fashion-mnist)")
    with running_app() as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(f"{url}/train?data={FASHION}&n_train=60000&epochs=2")
        page.get_by_text("training on 60,000 of 60,000").first.wait_for()
        wait_idle(page)
        time.sleep(2)
        before = memory_kib(url.pid)["VmRSS"]
        page.get_by_role("button", name="Train", exact=True).click()
        peak = before
        done = page.get_by_text("Misclassified test images")  # Fashion-MNIST: clothes, not digits
        deadline = time.monotonic() + LARGE_LIMIT
        while not done.is_visible():
            if time.monotonic() > deadline:
                raise SystemExit(f"the 60,000-image training did not end within {LARGE_LIMIT} s")
            peak = max(peak, memory_kib(url.pid)["VmRSS"])
            time.sleep(0.2)
        peak = max(peak, memory_kib(url.pid)["VmRSS"])  # sampled: the lifetime peak includes loading the data
        server, workers = tree_rss_kib(url.pid)
        print(f"one training on 60,000 images: page server {mib(before):.0f} MiB with the data shown, "
              f"peak {mib(peak):.0f} MiB while training: +{mib(peak - before):.0f} MiB (target <= 100 MiB); "
              f"its workers hold {mib(workers):.0f} MiB")
        page.close()


def main() -> None:
    with running_app() as url, sync_playwright() as pw, chromium_browser(pw) as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/train")
        wait_idle(page)
        set_slider(page, "Training-set size", "500")
        set_slider(page, "Epochs", "2")
        start = memory_kib(url.pid)["VmRSS"]
        rss = []
        t0 = time.perf_counter()
        for i in range(CYCLES):
            cycle(page)
            rss.append(memory_kib(url.pid)["VmRSS"])
            if i == 0:
                workers_first = tree_rss_kib(url.pid)[1]
            if (i + 1) % 10 == 0:
                print(f"  cycle {i + 1:3d}: RSS {mib(rss[-1]):7.1f} MiB", flush=True)
        assert page.get_by_test_id("stException").count() == 0
        half = CYCLES // 2
        per_cycle = (rss[-1] - rss[half - 1]) / max(1, CYCLES - half)
        print(f"server RSS at start          {mib(start):7.1f} MiB")
        print(f"after cycle 1 (baseline)     {mib(rss[0]):7.1f} MiB")
        print(f"after cycle {CYCLES:<3d}              {mib(rss[-1]):7.1f} MiB   "
              f"ratio to baseline {rss[-1] / rss[0]:.3f}")
        print(f"growth over cycles {half + 1}-{CYCLES}: {per_cycle / 1024:+.2f} MiB per cycle "
              f"(target < 0.2 MiB) · peak {mib(memory_kib(url.pid)['VmHWM']):.1f} MiB · "
              f"{(time.perf_counter() - t0) / CYCLES:.1f} s per cycle")
        print(f"its workers, together: {mib(workers_first):.0f} MiB after cycle 1, "
              f"{mib(tree_rss_kib(url.pid)[1]):.0f} MiB after cycle {CYCLES}")
        page.close()
        large_training(browser)


if __name__ == "__main__":
    main()
