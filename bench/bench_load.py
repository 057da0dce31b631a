"""A class on one server: 30 students at once, in real browser pages, against a real app server.

Every student opens the app, changes the network on the Build page twice, goes to Draw, loads
the model the teacher handed out (a .keras file) and draws two digits. Five of them also train
their own network briefly on the bundled sample first (and so queue for the training slots,
which default to one per CPU core). Students arrive one second apart, as a class does.

Prints, for each kind of interaction, the p50/p95 time from the interaction (key press, click,
upload, pen lifted) to the updated page, the number of failed sessions (target 0) and the
server's peak resident memory (target <= 1.5 GB). Browsers and server share this machine's
cores, so the times are an upper bound for students on their own laptops.

Talks only to 127.0.0.1, stops by itself (each session has a time limit). Environment:
FCVIZ_LOAD_SESSIONS (30), FCVIZ_LOAD_TRAINERS (5).
"""
from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from tests.e2e.appserver import CHROMIUM_ARGS, find_chromium, memory_kib, running_app  # noqa: E402
from tests.e2e.drawing import CANVAS, DIGITS  # noqa: E402

SESSIONS = int(os.environ.get("FCVIZ_LOAD_SESSIONS", "30"))
TRAINERS = int(os.environ.get("FCVIZ_LOAD_TRAINERS", "5"))
SESSION_LIMIT = 900  # seconds: a session still busy after this counts as failed
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
TOTAL = "[data-testid='stMetric']:has-text('Total params') [data-testid='stMetricValue']"


def handout_model(path: Path) -> None:
    """The teacher's model: 784-128-10 trained on the bundled sample, saved as the Train page saves it."""
    from fcviz.data import load_dataset
    from fcviz.persist import run_to_bytes
    from fcviz.spec import NetworkSpec
    from fcviz.train_config import TrainConfig
    from fcviz.training import Run, Trainer

    ds = load_dataset("sample")
    run = Run(NetworkSpec(), TrainConfig(), ds)
    Trainer(run, ds, 5).start().join()
    path.write_bytes(run_to_bytes(run.model, run.config, run.epochs))


class Student:
    def __init__(self, number: int, browser, url: str, model_file: Path, times: dict[str, list[float]]) -> None:
        self.number, self.browser, self.url, self.model_file, self.times = number, browser, url, model_file, times

    async def timed(self, kind: str, action, done) -> None:
        """Run `action`, then wait for `done`; record the time in between under `kind`."""
        start = time.perf_counter()
        await action()
        await done()
        await self.page.wait_for_selector(IDLE)
        self.times[kind].append(time.perf_counter() - start)

    async def slider_step(self, label: str, key: str, presses: int = 1) -> None:
        thumb = self.page.get_by_test_id("stSlider").filter(has_text=label).first.get_by_role("slider")
        await thumb.focus()
        for _ in range(presses):
            await thumb.press(key)
            await self.page.wait_for_timeout(50)
        await self.page.wait_for_selector(IDLE)

    async def change_network(self, label: str) -> None:
        before = await self.page.locator(TOTAL).inner_text()

        async def press():
            thumb = self.page.get_by_test_id("stSlider").filter(has_text=label).first.get_by_role("slider")
            await thumb.press("ArrowRight")

        await self.timed("build: slider to new table", press, lambda: self.page.wait_for_function(
            "([sel, old]) => { const el = document.querySelector(sel); return el && el.innerText !== old; }",
            arg=[TOTAL, before]))

    async def go(self, name: str, title: str) -> None:
        link = self.page.get_by_test_id("stSidebarNavLink").filter(has_text=name)
        await self.timed("switch page", link.click,
                         lambda: self.page.get_by_role("heading", name=title).wait_for())

    async def train(self) -> None:
        await self.go("Train", "Train on MNIST")
        await self.slider_step("Training-set size", "Home")
        await self.slider_step("Training-set size", "ArrowRight", 6)  # 500 digits
        await self.slider_step("Epochs", "Home")
        await self.slider_step("Epochs", "ArrowRight", 2)  # 3 epochs
        start = time.perf_counter()
        feedback = self.page.get_by_test_id("stProgress").or_(self.page.get_by_text("Waiting for a free training slot"))
        await self.timed("train: click to progress or queue place",
                         self.page.get_by_role("button", name="Train", exact=True).click,
                         lambda: feedback.first.wait_for())
        await self.page.get_by_text("Misclassified test digits").wait_for(timeout=SESSION_LIMIT * 1000)
        self.times["train: whole training, queue included"].append(time.perf_counter() - start)

    async def draw(self, strokes) -> None:
        box = await self.page.locator(CANVAS).bounding_box()
        for stroke in strokes:
            await self.page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
            await self.page.mouse.down()
            for x, y in stroke[1:]:
                await self.page.mouse.move(box["x"] + x, box["y"] + y, steps=10)
        await self.timed("draw: pen up to prediction", self.page.mouse.up,
                         lambda: self.page.get_by_test_id("fcviz-prediction").wait_for())

    async def lesson(self) -> None:
        context = await self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = await context.new_page()
        self.page.set_default_timeout(180_000)
        try:
            await self.timed("open the app", lambda: self.page.goto(self.url),
                             lambda: self.page.locator(TOTAL).wait_for())
            await self.change_network("Units")
            await self.change_network("Hidden layers")
            if self.number < TRAINERS:
                await self.train()
            await self.go("Draw", "Draw a digit")
            if self.number >= TRAINERS:  # the others load the model the teacher handed out
                await self.timed("draw: upload model to canvas",
                                 lambda: self.page.locator("input[type=file]").first.set_input_files(self.model_file),
                                 lambda: self.page.locator(CANVAS).wait_for())
            await self.page.locator(CANVAS).wait_for()
            await self.draw(DIGITS["7"])
            await self.timed("draw: clear", self.page.get_by_role("button", name="Clear").click,
                             lambda: self.page.get_by_text("Draw a digit from 0 to 9").wait_for())
            await self.page.locator(CANVAS).wait_for()
            await self.draw(DIGITS["1"])
            if await self.page.get_by_test_id("stException").count():
                raise RuntimeError(await self.page.get_by_test_id("stException").first.inner_text())
        finally:
            await context.close()


async def sample_memory(pid: int, peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], memory_kib(pid)["VmRSS"])
        await asyncio.sleep(0.5)


async def class_session(url, model_file: Path) -> tuple[dict[str, list[float]], list[str], int]:
    times: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    peak, stop = [0], asyncio.Event()
    sampler = asyncio.create_task(sample_memory(url.pid, peak, stop))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)

        async def one(i: int) -> None:
            await asyncio.sleep(i * 1.0)  # students arrive one after another
            try:
                await asyncio.wait_for(Student(i, browser, url, model_file, times).lesson(), SESSION_LIMIT)
            except Exception as e:  # noqa: BLE001  (a failed session is a result, not a crash)
                failures.append(f"student {i}: {type(e).__name__}: {str(e).splitlines()[0][:160]}")

        await asyncio.gather(*(one(i) for i in range(SESSIONS)))
        await browser.close()
    stop.set()
    await sampler
    return times, failures, max(peak[0], memory_kib(url.pid)["VmHWM"])


def main() -> None:
    if find_chromium() is None:
        sys.exit("no Chromium: run `make chromium` (Debian's chromium) or set FCVIZ_CHROMIUM")
    with tempfile.TemporaryDirectory() as tmp, running_app() as url:
        model_file = Path(tmp) / "teacher-784-128-10.keras"
        handout_model(model_file)
        start_rss = memory_kib(url.pid)["VmRSS"]
        t0 = time.perf_counter()
        times, failures, peak = asyncio.run(class_session(url, model_file))
        wall = time.perf_counter() - t0
    print(f"{SESSIONS} sessions ({TRAINERS} of them training) in {wall:.0f} s on {os.cpu_count()} cores")
    print(f"{'interaction':44s} {'n':>4s} {'p50 s':>7s} {'p95 s':>7s}")
    interactive = []
    for kind in sorted(times):
        values = sorted(times[kind])
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"{kind:44s} {len(values):4d} {statistics.median(values):7.2f} {p95:7.2f}")
        if not kind.startswith(("train: whole", "open")):
            interactive += values
    if interactive:
        interactive.sort()
        p95 = interactive[min(len(interactive) - 1, round(0.95 * (len(interactive) - 1)))]
        print(f"{'all interactions (not opening, not training)':44s} {len(interactive):4d} "
              f"{statistics.median(interactive):7.2f} {p95:7.2f}")
    print(f"failed sessions: {len(failures)} of {SESSIONS} (target 0)")
    for failure in failures:
        print("  " + failure)
    print(f"server RSS: {start_rss / 1024:.0f} MiB idle, peak {peak / 1024:.0f} MiB "
          f"(target <= 1536 MiB), ratio {peak / start_rss:.2f}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
