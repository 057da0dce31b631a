"""One student moves a slider while four classmates watch long trainings: what the live curves cost the others.

The app is served as in a class (a fresh serve.py: its page servers, the training engine's worker processes). Four watchers,
each a tab in a Chromium of their own at the lowest CPU priority (Linux's idle policy: as on their own laptops, their
rendering is not the server's work), open the Train page with 784-512-512-10 and 60 epochs (a link) and press
Train; they watch until the end. Meanwhile one student, in another Chromium, moves the Build page's Units slider one
step at a time and waits for the new table (the total's new value). The same moves are first made with nobody
training (quiet).

Printed: the slider's p50 and p90 quiet and busy and their ratio (target busy p50 ≤ 1.5× quiet), and the page
server's share of the CPU the server and its workers used while the four trained (target < 20 %), with the page
server's CPU seconds per second of training. FCVIZ_BENCH_MOVES sets the moves per phase (default 20).
FCVIZ_BENCH_WATCHERS=protocol makes the watchers speak Streamlit's protocol instead (`fcviz_dev.streamlit_client`:
they ask the live feed for every tick, as the browser's code does, but draw nothing): what the ticks cost the server,
without four browsers drawing charts on the same two cores.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import sys
import threading
import time

from playwright.sync_api import sync_playwright

from fcviz.train.worker import lower_priority
from fcviz_dev.appserver import (
    CHROMIUM_ARGS,
    descendants,
    find_chromium,
    page_servers,
    percentile,
    running_app,
    tree_cpu_seconds,
)
from fcviz_dev.browser import PROGRESS
from fcviz_dev.streamlit_client import Session
from ui import keys
from ui.first_paint import RUN_ENDED

MOVES = int(os.environ.get("FCVIZ_BENCH_MOVES", "20"))
WATCHERS = 4
WATCH = "units=512,512&epochs=60"  # the watchers' link to the Train page
IN_BROWSERS = os.environ.get("FCVIZ_BENCH_WATCHERS", "chromium") != "protocol"
TOTAL = "[data-testid='stMetricValue']"  # the Build page's first number: the total of parameters
SETTLE = 0.7  # seconds between moves: a student reads the new table


def move_slider(page, times: list[float], moves: int) -> None:
    """Move the Units slider one step `moves` times; each time, the seconds until the page shows the new total."""
    thumb = page.get_by_test_id("stSlider").filter(has_text="Units").first.get_by_role("slider")
    for i in range(moves):
        before = page.locator(TOTAL).first.inner_text()
        thumb.focus()
        start = time.perf_counter()
        thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function("([sel, old]) => { const el = document.querySelector(sel); "
                               "return el && el.innerText !== old; }", arg=[TOTAL, before])
        times.append(time.perf_counter() - start)
        page.wait_for_selector(RUN_ENDED)
        time.sleep(SETTLE)


def lowest_priority(browser: list[int]) -> None:
    """The watchers' browser (`browser`: its main processes) and every process it started at the lowest CPU priority
    Linux has, as the training workers (the idle policy, and nice 19 besides): their laptops' work, not the server's.
    (At nice 19 alone, two busy processes of nothing but numpy made the slider 1.55x slower on this machine: four tabs
    drawing there measured the machine more than the server.) The student who moves the slider keeps the normal
    priority."""
    for p in [*browser, *(child for main in browser for child in descendants(main))]:
        lower_priority(pid=p)


class ChromiumWatchers:
    """The four classmates in their own Chromium: each a tab on the Train page."""

    def __init__(self, browser, url: str) -> None:
        self.tabs = []
        for _ in range(WATCHERS):
            tab = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            tab.set_default_timeout(600_000)
            tab.goto(f"{url}/train?{WATCH}")
            tab.get_by_role("button", name="Train", exact=True).wait_for()
            tab.wait_for_selector(RUN_ENDED)
            self.tabs.append(tab)

    def train(self) -> None:
        for tab in self.tabs:
            tab.get_by_role("button", name="Train", exact=True).click()
        for tab in self.tabs:
            tab.locator(PROGRESS).or_(tab.get_by_text("Waiting for a free training slot")).first.wait_for()

    def wait(self, each) -> int:
        """Until every training has ended, calling `each()` as each ends; how many ended."""
        for tab in self.tabs:
            tab.get_by_text("Misclassified test digits").wait_for()
            each()
        return len(self.tabs)


class ProtocolWatchers:
    """The four classmates as Streamlit protocol clients in a thread of their own: every answer of the live feed,
    no drawing."""

    def __init__(self, url: str) -> None:
        self.url, self.pressed, self.ended = url, threading.Event(), 0
        self.thread = threading.Thread(target=asyncio.run, args=(self._class(),), daemon=True)
        self.thread.start()

    async def _watch(self) -> None:
        s = Session(self.url)
        await s.open(WATCH)
        await s.switch_page("Train")
        await asyncio.to_thread(self.pressed.wait)
        await s.click(keys.TRAIN_GO)
        await s.follow_feed(keys.TRAIN_LIVE)  # as the live chart's code does
        while s.fragments:  # (a server without the feed: the page's timer polls the training)
            await s.run_fragments()
        assert s.page.has("Misclassified test digits"), "training did not finish"
        self.ended += 1
        await s.close()

    async def _class(self) -> None:
        await asyncio.gather(*(self._watch() for _ in range(WATCHERS)))

    def train(self) -> None:
        self.pressed.set()
        time.sleep(1.0)  # the clicks' runs

    def wait(self, each) -> int:
        while self.thread.is_alive():
            each()
            self.thread.join(0.5)
        return self.ended


def main() -> None:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium: run `make chromium` (Debian's chromium) or set FCVIZ_CHROMIUM")
    with running_app(serve=True, timeout=180) as url, sync_playwright() as pw:  # as `make run` starts it
        before_watchers = set(descendants(os.getpid()))
        watchers_browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        watchers = [p for p in descendants(os.getpid()) if p not in before_watchers]
        lowest_priority(watchers)
        mover_browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        mover = mover_browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        mover.set_default_timeout(180_000)
        mover.goto(f"{url}/build")
        mover.locator(TOTAL).first.wait_for()
        mover.wait_for_selector(RUN_ENDED)
        quiet: list[float] = []
        move_slider(mover, quiet, 3)  # warm: the first moves build Keras' first models
        quiet.clear()
        move_slider(mover, quiet, MOVES)

        watching = ChromiumWatchers(watchers_browser, url) if IN_BROWSERS else ProtocolWatchers(url)
        lowest_priority(watchers)  # and the tabs' processes
        start_cpu: dict[int, float] = {}
        tree_cpu_seconds(url.pid, start_cpu)
        started = time.perf_counter()
        watching.train()  # all four are training (or queued) before the moves begin
        busy: list[float] = []
        move_slider(mover, busy, MOVES)
        cpu: dict[int, float] = dict(start_cpu)
        finished = watching.wait(lambda: tree_cpu_seconds(url.pid, cpu))
        seconds = time.perf_counter() - started
        tree_cpu_seconds(url.pid, cpu)
        used = {p: cpu[p] - start_cpu.get(p, 0.0) for p in cpu}
        server = sum(used.pop(p, 0.0) for p in page_servers(url.pid))
        workers = sum(used.values())  # the training workers (and serve.py, HAProxy)
        watchers_browser.close()
        mover_browser.close()

    q50, b50 = statistics.median(quiet), statistics.median(busy)
    who = "tabs in Chromium" if IN_BROWSERS else "protocol clients (no drawing)"
    print(f"\n== {WATCHERS} {who} watch 784-512-512-10 train 60 epochs while one student moves the Units slider "
          f"({MOVES} moves each; {os.cpu_count()} cores)")
    print(f"slider to new table, quiet: p50 {q50 * 1000:.0f} ms, p90 {percentile(quiet, 0.9) * 1000:.0f} ms")
    print(f"slider to new table, busy:  p50 {b50 * 1000:.0f} ms, p90 {percentile(busy, 0.9) * 1000:.0f} ms")
    print(f"busy / quiet p50: {b50 / q50:.2f}x ({'met' if b50 / q50 <= 1.5 else 'MISSED'} <= 1.5x)")
    share = server / max(server + workers, 1e-9)
    print(f"while the {finished} trained ({seconds:.0f} s): page server {server:.1f} CPU s, workers {workers:.1f} CPU s; "
          f"the page server's share {share:.0%} ({'met' if share < 0.2 else 'MISSED'} < 20 %), "
          f"{server / seconds:.2f} CPU s per second")


if __name__ == "__main__":
    main()
