"""A class on one server: 30 students at once against a real app server, one of them in Chromium.

Each student opens the app, changes the network on the Build page twice, goes to Draw, loads the
model the teacher handed out (a .keras file) and draws two digits; some of them first train
their own network briefly on the bundled sample (on the training engine's worker processes,
queueing for the training slots, one per worker). They arrive one second apart and think 2–8 s between interactions (reading the
page, aiming the mouse); FCVIZ_LOAD_THINK="0.5,2" makes them hammer instead.

29 students speak Streamlit's websocket protocol (fcviz_dev/streamlit_client.py): thirty real
Chromium pages on a 2-core machine would measure the browsers (each costs seconds of CPU to
open), not the server. One student uses a real headless Chromium page, so the table also shows
what a person sees under that load (interaction to updated page, rendering included).

The class is played twice, each on a fresh server: first with nobody training (the baseline),
then with FCVIZ_LOAD_TRAINERS students training. Prints p50/p95 per kind of interaction for both,
the ratio of the interaction p95s (target <= 2: trainings must not slow the pages), the whole
training's p95 (target <= 15 s), failed sessions (target 0), the peak resident memory of the
page server, and the peak memory the page server and its training workers hold together (their PSS
added up, target <= 2.5 GB for 30 students, <= 3 GB for 100; their RSS added up is printed too, but counts the TensorFlow libraries
the processes share once per process). Talks only to
127.0.0.1 and stops by itself (every session has a time limit). Environment: FCVIZ_LOAD_SESSIONS
(30), FCVIZ_LOAD_TRAINERS (10), FCVIZ_LOAD_THINK (seconds between interactions, "low,high").

FCVIZ_LOAD_LESSON=1 plays the lesson as a teacher runs it ("now press Train"): each trainer trains
the Train page's defaults (10 epochs on the 4,000-digit sample, their own network) and watches its
curves to the end, every answer of the live feed (as the page's browser code asks it); without it a trainer trains 3 epochs on 500
digits. Besides the table it prints what the live curves cost: the page server's CPU seconds per
training tick (the busy class's page-server CPU minus the idle class's, over the busy class's
ticks: an upper bound, as the trainers' other page runs count in it), its share of the CPU the
server and the workers used in the busy class, and the page server's memory per
connected session (its peak RSS growth over the sessions, from after a teacher's try of the lesson that
loaded TensorFlow and the pages; every class starts with that try).

The students' protocol clients (this process's class thread) run at nice `CLIENT_NICE`: in a room
they are the students' laptops, not the server's work, so they yield the two cores to the page servers (as bench_live's
watching tabs do, there under the idle policy: here the clients time the replies, so they keep the normal policy and
still come before the training workers). Until 2026-12-07 they ran at the server's priority and took 16-34 s of CPU a
class from it; FCVIZ_LOAD_CLIENT_NICE=0 plays it so again. (The one Chromium student's browser sets its own
priorities, as Chromium does.)
"""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from playwright.async_api import async_playwright

from fcviz_dev.appserver import (
    CHROMIUM_ARGS,
    find_chromium,
    memory_kib,
    page_servers,
    percentile,
    running_app,
    tree_cpu_seconds,
    tree_pss_kib,
    tree_rss_kib,
)
from fcviz_dev.drawing import CANVAS, DIGITS, canvas_png
from fcviz_dev.streamlit_client import Session
from ui import keys
from ui.first_paint import RUN_ENDED

SESSIONS = int(os.environ.get("FCVIZ_LOAD_SESSIONS", "30"))
TRAINERS = int(os.environ.get("FCVIZ_LOAD_TRAINERS", "10"))
THINK = tuple(float(t) for t in os.environ.get("FCVIZ_LOAD_THINK", "2,8").split(","))
LESSON = os.environ.get("FCVIZ_LOAD_LESSON") == "1"
MEMORY_TARGET_MIB = 2560 if SESSIONS <= 30 else 3072  # what the page servers and workers may hold (PSS)
SESSION_LIMIT = 600  # seconds: a session still busy after this counts as failed
TOTAL = "[data-testid='stMetricValue']"  # the Build page's first metric: total params
BROWSER = "in Chromium"
CLIENT_NICE = int(os.environ.get("FCVIZ_LOAD_CLIENT_NICE", "10"))  # the students' clients: their laptops' work
TICK = "train: one tick of the live curves"  # an answer of the live feed (or a fragment rerun, where not served)


def handout_model() -> bytes:
    """The teacher's model: 784-128-10 trained on the bundled sample, saved as the Train page saves it."""
    from fcviz.data.loading import load_dataset
    from fcviz.files.persist import run_to_bytes
    from fcviz.settings.spec import NetworkSpec
    from fcviz.settings.train_config import TrainConfig
    from fcviz.train.engine import InlineEngine
    from fcviz.train.training import Run, Trainer

    ds = load_dataset("sample")
    run = Run(NetworkSpec(), TrainConfig(), ds)
    Trainer(run, ds, 5, engine=InlineEngine()).start().join()  # in this process: the class's server is measured
    return run_to_bytes(run.model, run.config, run.epochs)


class ProtocolStudent:
    """A student whose browser is `streamlit_client.Session`."""

    def __init__(self, number: int, url: str, model: bytes, times: dict[str, list[float]], trainers: int,
                 think: tuple[float, float] = THINK) -> None:
        self.number, self.url, self.model, self.times, self.trainers = number, url, model, times, trainers
        self.rng, self.think_range = random.Random(number), think

    async def timed(self, kind: str, action) -> float:
        """Think, then do `action` and record how long the server took; return when the action began."""
        await asyncio.sleep(self.rng.uniform(*self.think_range))
        start = time.perf_counter()
        await action
        self.times[kind].append(time.perf_counter() - start)
        return start

    async def lesson(self) -> None:
        s = Session(self.url)
        await self.timed("open the app", s.open())
        try:
            await self.timed("build: slider to new table", s.slide("build_units_0", 100 + self.number))
            assert s.page.has(f"784-{100 + self.number}-10"), "the Build page did not follow the slider"
            await self.timed("build: slider to new table", s.slide("build_n_hidden", 2))
            assert s.page.has(f"784-{100 + self.number}-64-10"), "the Build page did not add the layer"
            if self.number < self.trainers:
                await self.timed("switch page", s.switch_page("Train"))
                if not LESSON:  # a short training; in a lesson, the page's defaults
                    await s.select_slide("train_size", "500")
                    await s.slide("train_epochs", 3)
                start = await self.timed("train: click to progress or queue place", s.click(keys.TRAIN_GO))
                # followed by the live feed; without it: in the queue, starting (the workers, or this training) or
                # under way
                assert keys.TRAIN_LIVE in s.page.widgets or s.page.has("Waiting for a free training slot") \
                    or s.page.has("Starting the training") or "progress" in s.page.kinds()
                self.times[TICK] += await s.follow_feed(keys.TRAIN_LIVE)  # as the live chart's code does
                while s.fragments:  # (a server without the feed: the page's timer polls the training)
                    self.times[TICK] += await s.run_fragments()
                assert s.page.has("Misclassified test digits"), "training did not finish"
                self.times["train: whole training, queue included"].append(time.perf_counter() - start)
            await self.timed("switch page", s.switch_page("Draw"))
            if self.number >= self.trainers:
                await self.timed("draw: upload model to canvas", s.upload("draw_upload", "teacher.keras", self.model))
            for digit in ("7", "1"):
                canvas = next(k for k in s.page.widgets if k.startswith("draw_canvas_"))
                await self.timed("draw: pen up to prediction",
                                 s.set_component(canvas, {"drawing": {"raw": None, "data": canvas_png(DIGITS[digit])}}))
                assert s.page.has("Prediction"), "no prediction shown"
                await self.timed("draw: clear", s.click("draw_clear"))
        finally:
            await s.close()


class BrowserStudent:
    """The same lesson in a real Chromium page: what a person sees, rendering included."""

    def __init__(self, browser, url: str, model_file: Path, times: dict[str, list[float]]) -> None:
        self.browser, self.url, self.model_file, self.times = browser, url, model_file, times

    async def timed(self, kind: str, action, done) -> None:
        """Run `action`, then wait for `done` and an idle script; record the time in between."""
        await asyncio.sleep(sum(THINK) / 2)
        start = time.perf_counter()
        await action()
        await done()
        await self.page.wait_for_selector(RUN_ENDED)
        self.times[f"{kind} {BROWSER}"].append(time.perf_counter() - start)

    async def change_network(self, label: str) -> None:
        before = await self.page.locator(TOTAL).first.inner_text()
        thumb = self.page.get_by_test_id("stSlider").filter(has_text=label).first.get_by_role("slider")
        await thumb.focus()
        await self.timed("build: slider to new table", lambda: thumb.press("ArrowRight"),
                         lambda: self.page.wait_for_function(
                             "([sel, old]) => { const el = document.querySelector(sel); return el && el.innerText !== old; }",
                             arg=[TOTAL, before]))

    async def draw(self, strokes) -> None:
        # once the page's run has ended (as `fcviz_dev.drawing.draw`): a canvas read while a run still laid the page
        # out could move, and the stroke then missed it (twice in eight classes, the "1" after Clear never answered)
        await self.page.locator(CANVAS).wait_for()
        await self.page.wait_for_selector(RUN_ENDED)
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
        self.page.set_default_timeout(120_000)
        try:
            await self.timed("open the app", lambda: self.page.goto(self.url),
                             lambda: self.page.locator(TOTAL).first.wait_for())
            await self.change_network("Units")
            await self.change_network("Hidden layers")
            link = self.page.get_by_test_id("stSidebarNavLink").filter(has_text="Draw")
            await self.timed("switch page", link.click,
                             lambda: self.page.get_by_role("heading", name="Draw a digit").wait_for())
            await self.timed("draw: upload model to canvas",
                             lambda: self.page.locator("input[type=file]").first.set_input_files(self.model_file),
                             lambda: self.page.locator(CANVAS).wait_for())
            for digit in ("7", "1"):
                await self.draw(DIGITS[digit])
                old = await self.page.locator(CANVAS).element_handle()  # Clear gives a new canvas
                await self.timed("draw: clear", self.page.get_by_role("button", name="Clear").click,
                                 lambda: self.page.get_by_text("Draw a digit from 0 to 9").wait_for())
                await self.page.wait_for_function("el => !el.isConnected", arg=old)
                await self.page.locator(CANVAS).wait_for()
            if await self.page.get_by_test_id("stException").count():
                raise RuntimeError(await self.page.get_by_test_id("stException").first.inner_text())
        finally:
            await context.close()


def pages_rss_kib(pid: int) -> int:
    """The page servers' RSS added up, in KiB."""
    return sum(memory_kib(p)["VmRSS"] for p in page_servers(pid))


PSS_SECONDS = 3.0  # the held memory (PSS) is read at most this often, and when the RSS reaches a new height: reading it
# walks every page table of the app's processes, ~80-100 ms of CPU for the class's ~3 GB. Read every 0.5 s (until the
# afternoon of 2026-12-07) the sampler alone took a sixth of a core from the server it measured, at the moments it read.
PSS_AGAIN_SECONDS = 1.0  # a new height of the RSS is read as PSS no sooner than this after the last reading
RSS_GROWTH = 1.02  # a new height: this much above the RSS at the last PSS reading


def rss_now(pid: int) -> tuple[int, int]:
    """KiB: the page servers' RSS, and the RSS of every process of the app (page servers, workers, HAProxy) added up:
    cheap to read (each process' status)."""
    first, rest = tree_rss_kib(pid)
    return pages_rss_kib(pid), first + rest


async def sample_memory(pid: int, peak: list[int], cpu: dict[int, float], stop: asyncio.Event) -> None:
    """Peaks, in KiB, of the page servers' RSS, the app's RSS added up and what the app holds (PSS: read every
    `PSS_SECONDS`, and soon after the RSS added up reaches a new height), and the CPU used; read in a thread."""
    last_pss, rss_high = -PSS_SECONDS, 0
    while not stop.is_set():
        pages, tree = await asyncio.to_thread(rss_now, pid)
        now = time.perf_counter()
        if now - last_pss >= PSS_SECONDS or (tree > rss_high * RSS_GROWTH and now - last_pss >= PSS_AGAIN_SECONDS):
            peak[2] = max(peak[2], await asyncio.to_thread(tree_pss_kib, pid))
            last_pss, rss_high = now, max(rss_high, tree)
        peak[0], peak[1] = max(peak[0], pages), max(peak[1], tree)
        await asyncio.to_thread(tree_cpu_seconds, pid, cpu)
        await asyncio.sleep(0.5)


async def class_session(url, model: bytes, model_file: Path, trainers: int
                        ) -> tuple[dict, list[str], list[int], dict[int, float]]:
    """Play the class; its times, failed sessions, memory peaks and the CPU each process used meanwhile."""
    times: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    peak, stop = [0, 0, 0], asyncio.Event()
    before: dict[int, float] = {}
    tree_cpu_seconds(url.pid, before)
    cpu = dict(before)
    sampler = asyncio.create_task(sample_memory(url.pid, peak, cpu, stop))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)

        async def one(i: int) -> None:
            await asyncio.sleep(i * 1.0)  # students arrive one after another
            in_browser = i == SESSIONS // 2  # arrives mid-class, when the server is busiest
            student = BrowserStudent(browser, url, model_file, times) if in_browser else \
                ProtocolStudent(i, url, model, times, trainers)
            try:
                await asyncio.wait_for(student.lesson(), SESSION_LIMIT)
            except Exception as e:  # noqa: BLE001  (a failed session is a result, not a crash)
                # the error's first line, and for a Playwright wait the locator it waited for
                lines = str(e).splitlines() or [""]
                waited = next((line.strip() for line in lines if "waiting for" in line), "")
                failures.append(f"student {i}: {type(e).__name__}: {lines[0][:160]} {waited[:200]}".rstrip())

        await asyncio.gather(*(one(i) for i in range(SESSIONS)))
        await browser.close()
    stop.set()
    await sampler
    tree_cpu_seconds(url.pid, cpu)
    used = {p: seconds - before.get(p, 0.0) for p, seconds in cpu.items()}
    return times, failures, peak, used


def on_laptops(work):
    """`work()` in a thread at nice `CLIENT_NICE` (on Linux a thread's own, inherited by the threads it starts); its
    result, or its exception raised here: the servers started before and after it keep their priority."""
    outcome: dict = {}

    def go() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), CLIENT_NICE)
            outcome["value"] = work()
        except BaseException as e:  # noqa: BLE001  (raised again in the caller's thread)
            outcome["error"] = e

    thread = threading.Thread(target=go, name="students-laptops")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def play(model: bytes, trainers: int) -> dict:
    """One class on a fresh server; prints its table and returns its summary."""
    with tempfile.TemporaryDirectory() as tmp, running_app(serve=True, timeout=180) as url:  # as `make run` starts it
        model_file = Path(tmp) / "teacher.keras"
        model_file.write_bytes(model)
        start_rss = pages_rss_kib(url.pid)
        # The teacher tries the lesson first (as before a class): TensorFlow and the pages are loaded, so the
        # sessions' own memory can be told from the server's.
        asyncio.run(ProtocolStudent(SESSIONS, url, model, defaultdict(list), SESSIONS + 1, think=(0, 0)).lesson())
        warm_rss = pages_rss_kib(url.pid)
        pages = page_servers(url.pid)
        t0, clients0 = time.perf_counter(), time.process_time()
        times, failures, (peak, peak_rss, peak_tree), cpu = on_laptops(
            lambda: asyncio.run(class_session(url, model, model_file, trainers)))
        wall, clients_cpu = time.perf_counter() - t0, time.process_time() - clients0
        server_cpu = sum(cpu.pop(p, 0.0) for p in pages)
        workers_cpu = sum(cpu.values())  # the training workers (and serve.py, HAProxy)
    n = sum(len(v) for k, v in times.items() if not k.startswith("train: whole"))
    what = "the page's defaults, watched to the end" if LESSON else "3 epochs on 500 digits"
    print(f"\n== {SESSIONS} sessions, {trainers} training ({what}), 1 in Chromium: {wall:.0f} s on "
          f"{os.cpu_count()} cores; the clients at nice {CLIENT_NICE}; "
          f"think time {THINK[0]:g}–{THINK[1]:g} s; {n} interactions, {n / wall:.1f} per second")
    print(f"{'interaction (server round trip unless in Chromium)':56s} {'n':>4s} {'p50 s':>7s} {'p95 s':>7s}")
    interactive = []
    for kind in sorted(times):
        values = times[kind]
        print(f"{kind:56s} {len(values):4d} {statistics.median(values):7.3f} {percentile(values, 0.95):7.3f}")
        if not kind.startswith(("train: whole", "open", TICK)) and BROWSER not in kind:
            interactive += values
    print(f"{'all protocol interactions (not opening, not training)':56s} {len(interactive):4d} "
          f"{statistics.median(interactive):7.3f} {percentile(interactive, 0.95):7.3f}")
    print(f"failed sessions: {len(failures)} of {SESSIONS} (target 0)")
    for failure in failures:
        print("  " + failure)
    print(f"page server RSS ({len(pages)} added up): {start_rss / 1024:.0f} MiB after serve.py's first visit, "
          f"{warm_rss / 1024:.0f} MiB after the "
          f"teacher's try, peak {peak / 1024:.0f} MiB; "
          f"with its training workers: peak {peak_tree / 1024:.0f} MiB held (PSS; target <= {MEMORY_TARGET_MIB} MiB), "
          f"{peak_rss / 1024:.0f} MiB of RSS added up (shared libraries counted once per process)")
    print(f"page server memory per connected session: {(peak - warm_rss) / 1024 / SESSIONS:.1f} MiB "
          "(its peak RSS growth over the teacher's try, per session)")
    share = server_cpu / max(server_cpu + workers_cpu, 1e-9)
    print(f"CPU used in the class: page server {server_cpu:.1f} s, training workers {workers_cpu:.1f} s "
          f"(page server's share {share:.0%}); the students' clients, this process, on the same cores: "
          f"{clients_cpu:.1f} s")
    training = times.get("train: whole training, queue included", [])
    return {"p95": percentile(interactive, 0.95), "failures": len(failures), "peak_tree": peak_tree,
            "training_p95": percentile(training, 0.95) if training else None, "server_cpu": server_cpu,
            "share": share, "ticks": len(times.get(TICK, []))}


def main() -> None:
    if find_chromium() is None:
        sys.exit("no Chromium: run `make chromium` (Debian's chromium) or set FCVIZ_CHROMIUM")
    model = handout_model()
    idle = play(model, 0)
    busy = play(model, TRAINERS)
    ratio = busy["p95"] / idle["p95"]
    print(f"\ninteraction p95 with {TRAINERS} training / with none: {busy['p95']:.2f} / {idle['p95']:.2f} s = "
          f"{ratio:.2f}x ({'met' if ratio <= 2 else 'MISSED'} <= 2x; {'met' if busy['p95'] <= 0.3 else 'MISSED'} "
          "<= 0.3 s)")
    if busy["ticks"]:
        per_tick = (busy["server_cpu"] - idle["server_cpu"]) / busy["ticks"]
        print(f"page server CPU per training tick: {per_tick * 1000:.1f} ms over {busy['ticks']} ticks (at most)")
    print(f"page server's share of the CPU in the busy class: {busy['share']:.0%} (the students' own pages count in "
          "it: the target on what watching a training costs is bench_live.py's)")
    if busy["training_p95"] is not None:
        print(f"whole training p95: {busy['training_p95']:.1f} s ({'met' if busy['training_p95'] <= 15 else 'MISSED'} "
              "<= 15 s)")
    print(f"peak memory held by the page server and workers (PSS): {max(idle['peak_tree'], busy['peak_tree']) / 1024:.0f} MiB "
          f"({'met' if max(idle['peak_tree'], busy['peak_tree']) <= MEMORY_TARGET_MIB * 1024 else 'MISSED'} "
          f"<= {MEMORY_TARGET_MIB} MiB)")
    if idle["failures"] or busy["failures"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
