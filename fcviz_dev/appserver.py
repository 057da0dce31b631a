"""Start `streamlit run asgi.py` (the app and its live feed, as serve.py starts it) on a free port and a headless system Chromium for it.

Used by the browser tests, the screenshot script and the benchmarks. Playwright cannot
download a browser here, so it drives Debian's Chromium (`fcviz_dev.browser` drives the pages).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def find_chromium() -> str | None:
    env = os.environ.get("FCVIZ_CHROMIUM")
    for path in ([env] if env else []) + list(CHROMIUM_CANDIDATES):
        if path and Path(path).exists():
            return path
    return shutil.which("chromium")


class AppURL(str):
    """The app's base URL; `.pid` is the server process, for the benchmarks that read its memory."""

    pid: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


READY = "students can come"  # what serve.py says once it has loaded the first page


def answers(base: str) -> bool:
    """Whether the Streamlit server at `base` answers its health check now."""
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return r.read().decode() == "ok"
    except OSError:
        return False


@contextlib.contextmanager
def running_app(script: str = "asgi.py", timeout: float = 90.0, env: dict[str, str] | None = None,
                root: Path = ROOT, serve: bool = False) -> Iterator[AppURL]:
    """Yield the base URL of a fresh app server run from `root` (with `env` added to its environment); `serve`: started
    as `make run` starts it (serve.py), once it has loaded the first page (`url.pid` is then serve.py's)."""
    port = free_port()
    log = open(root / f".streamlit-{port}.log", "w")
    start = [sys.executable, "serve.py"] if serve else [sys.executable, "-m", "streamlit", "run", script]
    proc = subprocess.Popen(
        [*start, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=root, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    url = AppURL(f"http://127.0.0.1:{port}")
    url.pid = proc.pid
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early: {Path(log.name).read_text()[-2000:]}")
            if answers(url) and (not serve or READY in Path(log.name).read_text()):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not become healthy in time")
            time.sleep(0.25)
        try:
            yield url
        except BaseException:  # a test failed while this server ran: what the server said shows with it
            log.flush()
            print(f"--- the app server's log (port {port}), last lines:\n{Path(log.name).read_text()[-4000:]}",
                  file=sys.stderr)
            raise
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


@contextlib.contextmanager
def chromium_browser(playwright) -> Iterator[object]:
    path = find_chromium()
    if path is None:
        raise RuntimeError("no Chromium found: apt-get install -y chromium (or set FCVIZ_CHROMIUM)")
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def memory_kib(pid: int) -> dict[str, int]:
    """The process' resident memory now (VmRSS) and at its peak so far (VmHWM), in KiB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")}


def descendants(pid: int) -> list[int]:
    """The processes `pid` started, and theirs (the training engine's workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int, part: bytes) -> list[int]:
    """The process and its descendants whose command line holds `part` (b"streamlit", b"haproxy", b"spawn_main": a
    Dask worker), from /proc; one that ended meanwhile is left out."""
    def holds(p: int) -> bool:
        try:
            return part in Path(f"/proc/{p}/cmdline").read_bytes()
        except OSError:
            return False
    return [p for p in [pid, *descendants(pid)] if holds(p)]


def page_servers(pid: int) -> list[int]:
    """The page server processes (`streamlit run`) among the process and its descendants: serve.py starts one, or
    several behind HAProxy."""
    return running(pid, b"streamlit")


def tree_rss_kib(pid: int) -> tuple[int, int]:
    """Resident memory now of the process and of its descendants (the server, and its training workers)."""
    def rss(p: int) -> int:
        try:
            return memory_kib(p)["VmRSS"]
        except (OSError, KeyError):
            return 0
    return rss(pid), sum(rss(p) for p in descendants(pid))


def cpu_seconds(pid: int) -> float:
    """The CPU time the process has used so far (user + system), in seconds, from /proc; 0 once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)


def tree_cpu_seconds(pid: int, seen: dict[int, float]) -> None:
    """The CPU seconds used so far by the process and each of its descendants (the server and its workers), into
    `seen` (a worker recycled meanwhile keeps its last reading)."""
    for p in [pid, *descendants(pid)]:
        seen[p] = max(seen.get(p, 0.0), cpu_seconds(p))


def percentile(values: list[float], q: float) -> float:
    """The `q`-quantile of `values` (0.95: the p95), the nearest of them."""
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def pss_kib(pid: int) -> int:
    """The process' proportional share of memory (Pss), in KiB: a page it shares with n processes counts 1/n.
    Summed over processes it is the memory they hold, where RSS sums count a shared page (TensorFlow's
    libraries, about 550 MiB in each process here) once per process."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def tree_pss_kib(pid: int) -> int:
    """What the process and its descendants (the server and its training workers) hold together, in KiB."""
    total = 0
    for p in [pid, *descendants(pid)]:
        try:
            total += pss_kib(p)
        except OSError:  # ended meanwhile
            pass
    return total
