"""Serve the app the way a class uses it: `streamlit run asgi.py` (app.py's pages and the live feed of trainings),
then one visit of its first page before any student's.

The first page a server shows imports TensorFlow and every page's modules (~3.3 s of CPU here) and starts the training
workers: the first student after a start waited ~7 s (12 s on a busy 2-core machine) where a later one waits ~3 s.
This visit, as a teacher who opens the app before the class, pays that once, as soon as the server answers.
`make run` and the container start the app through this file.

A page server is one Python process: however little a page run costs, a class of 100 clicking keeps one core busy
and its clicks queue behind one another while the machine's other core is idle. So this file starts
`FCVIZ_PAGE_SERVERS` page servers (by default two; 1 for one person on a laptop) behind HAProxy (Debian's `haproxy`),
which sends each browser to one of them (the one with the fewest connections when it first comes) and keeps it there
with a cookie: a student's session, uploads, pictures and live feed are in that server's memory. The training workers
are then one cluster the page servers share, started here (its scheduler in this process, not in a page server), each
page server queueing for its share of the workers; the class store is one database (a SQLite file, or `FCVIZ_DB`'s
PostgreSQL), migrated here once. Without HAProxy it says so and starts one page server.

Usage: python serve.py [options of `streamlit run`], e.g. python serve.py --server.port 8501
"""
from __future__ import annotations

import asyncio
import logging
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fcviz import environment
from fcviz_dev.appserver import READY, answers, free_port

START_SECONDS = 120  # the server answers its health check within this, or serve.py gives up
# `streamlit run`, with every connection sending at once from the first (fcviz.patches.reply_without_delay)
STREAMLIT = ("from fcviz.patches import reply_without_delay; reply_without_delay(); "
             "from streamlit.web.cli import main; main(prog_name='streamlit')")
# A class of 100 on 2 cores, 30 of them training: interaction p95 0.34 s with two page servers against 1.6 s with one
# (bench/bench_load.py, 2026-12-07); each more costs ~250 MiB (PSS) and its own first page at start.
CLASS_PAGE_SERVERS = 2
# A page server's matrix products are small (a drawing through a network, the Build page's 64 digits) and many students'
# pages run at once: OpenBLAS's second thread bought nothing and, spinning after every product until its timeout,
# burned ~110 ms of CPU for each new width on the Build page (194 against 86 ms a width; a stroke, a page switch alike
# either way; 2026-12-07). The training workers have one thread each already (Dask's nannies set these).
ONE_THREAD_MATH = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
HAPROXY = "haproxy"  # Debian's package of that name (`make run` installs it)
STICKY_COOKIE = "fcviz_server"  # which page server a browser's requests go to (HAProxy sets and reads it)
# How long HAProxy waits: a tab's websocket may be quiet for long (a student reading); a page server that does not
# answer a request within `server` seconds is broken, not busy (a page run sends its first message within a second).
PROXY_TIMEOUTS = {"connect": "5s", "client": "60s", "server": "60s", "tunnel": "2h", "http-request": "30s"}


def option_value(options: list[str], name: str) -> str | None:
    """The value the options give Streamlit's `name` (`--server.port 8502` or `--server.port=8502`), or None."""
    for i, option in enumerate(options):
        if option == name and i + 1 < len(options):
            return options[i + 1]
        if option.startswith(name + "="):
            return option.split("=", 1)[1]
    return None


def port_of(options: list[str]) -> int:
    """The port the options give Streamlit, 8501 by default."""
    return int(option_value(options, "--server.port") or 8501)


def without(options: list[str], *names: str) -> list[str]:
    """The options but those named (with their values): what every page server gets alike."""
    kept, skip = [], False
    for option in options:
        if skip:
            skip = False
        elif option in names:
            skip = True
        elif not option.startswith(tuple(name + "=" for name in names)):
            kept.append(option)
    return kept


def page_server_count() -> int:
    """`FCVIZ_PAGE_SERVERS`: how many page server processes (more than one need HAProxy); by default
    `CLASS_PAGE_SERVERS`, or one per core on a machine with fewer."""
    return environment.whole_number(environment.PAGE_SERVERS, high=64) or min(CLASS_PAGE_SERVERS, os.cpu_count() or 1)


def proxy_config(address: str, port: int, backends: list[int]) -> str:
    """HAProxy's configuration: students' browsers at `address:port`, each kept on one of the page servers
    listening on 127.0.0.1 at `backends` (a new browser goes to the one with the fewest connections)."""
    timeouts = "\n".join(f"    timeout {name} {value}" for name, value in PROXY_TIMEOUTS.items())
    servers = "\n".join(f"    server page{i} 127.0.0.1:{p} check cookie page{i}" for i, p in enumerate(backends, 1))
    bind = f"[{address}]" if ":" in address else address  # an IPv6 address in brackets; "" is every interface
    return f"""global
    maxconn {connections()}

defaults
    mode http
{timeouts}

frontend students
    bind {bind}:{port}
    default_backend pages

backend pages
    balance leastconn
    cookie {STICKY_COOKIE} insert indirect nocache httponly attr "SameSite=Strict"
    option httpchk GET /_stcore/health
{servers}
"""


def connections() -> int:
    """The connections HAProxy takes at once: 4,000 (two sockets each) where this process may open as many files."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return 4000 if hard == resource.RLIM_INFINITY else max(100, min(4000, (hard - 100) // 2))


def local_base(address: str, port: int) -> str:
    """Where this machine reaches what listens at `address:port` ("" and the wildcards: 127.0.0.1; IPv6 bracketed)."""
    if address in ("", "0.0.0.0", "::"):
        return f"http://127.0.0.1:{port}"
    return f"http://[{address}]:{port}" if ":" in address else f"http://{address}:{port}"


def healthy(base: str, processes: list[subprocess.Popen]) -> bool:
    """Wait until the server at `base` answers its health check; False if a process ended or it did not answer."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and all(p.poll() is None for p in processes):
        if answers(base):
            return True
        time.sleep(0.25)
    return False


async def first_visit(base: str) -> None:
    """Open the app's first page once over Streamlit's own protocol, as a browser would, and leave."""
    from fcviz_dev.streamlit_client import Session

    session = Session(base)
    try:
        await session.open()
    finally:
        if getattr(session, "ws", None) is not None:
            await session.close()


async def first_visits(bases: list[str]) -> None:
    """The first visit of each page server, at once."""
    await asyncio.gather(*(first_visit(base) for base in bases))


def visit_first(bases: list[str]) -> str:
    """Load the first page on each server; what to say then (a failed visit is only said: the servers serve all the
    same)."""
    try:
        asyncio.run(first_visits(bases))
        return f"fcviz: the first page is loaded; {READY}"
    except Exception as e:  # noqa: BLE001  (the first student then loads the app)
        return f"fcviz: the first visit failed ({type(e).__name__}: {e}); the first student loads the app"


def supervise(processes: list[subprocess.Popen]) -> int:
    """Wait until one of the processes ends; its exit code."""
    while True:
        for p in processes:
            if p.poll() is not None:
                return p.returncode
        time.sleep(0.5)


def end(processes: list[subprocess.Popen]) -> None:
    """Stop the processes still running (a page server, HAProxy), each within 10 s."""
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def stopped(*_) -> None:
    """SIGTERM (a container's stop) ends serve.py as Ctrl-C does: its servers with it."""
    raise KeyboardInterrupt


def streamlit(options: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    """`streamlit run asgi.py` with `options`, its matrix products on one thread (`ONE_THREAD_MATH`, unless this
    environment says otherwise)."""
    return subprocess.Popen([sys.executable, "-c", STREAMLIT, "run", "asgi.py", *options],
                            env={**ONE_THREAD_MATH, **os.environ, **(env or {})})


def serve_one(options: list[str]) -> int:
    """One page server, its training workers its own (started by its first page)."""
    process, base = streamlit(options), f"http://127.0.0.1:{port_of(options)}"
    try:
        if healthy(base, [process]):
            print(visit_first([base]), flush=True)
        return supervise([process])
    finally:
        end([process])


def serve_many(options: list[str], n: int, proxy: str) -> int:
    """`n` page servers behind HAProxy, sharing one training cluster and one class store."""
    import dask
    import distributed  # noqa: F401  (its settings loaded before `dask.config.set` below, which would drop them after)

    from fcviz.patches import QUIET
    from fcviz.store.database import Database, StoreUnavailable
    from fcviz.train.engine import start_cluster
    from fcviz.train.slots import trainings_at_once

    try:
        Database().close()  # the schema made or upgraded once, before the servers open it at once
    except StoreUnavailable as e:
        print(f"fcviz: the class store: {e}; the page servers say so to their students", flush=True)
    cluster = None
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32)}  # one server's cookies valid on the others
    if not os.environ.get(environment.DASK_SCHEDULER):
        with dask.config.set(QUIET):
            cluster = start_cluster()
        env[environment.DASK_SCHEDULER] = cluster.scheduler_address
    env[environment.MAX_TRAININGS] = str(max(1, trainings_at_once() // n))  # each server's share of the trainings at once
    ports = [free_port() for _ in range(n)]
    shared = without(options, "--server.port", "--server.address")
    processes = [streamlit([*shared, "--server.port", str(p), "--server.address", "127.0.0.1"], env) for p in ports]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        if not all(healthy(base, processes) for base in bases):
            print("fcviz: a page server did not start", flush=True)
            return 1
        said = visit_first(bases)
        address, port = option_value(options, "--server.address") or "", port_of(options)
        with tempfile.TemporaryDirectory(prefix="fcviz-proxy-") as folder:
            config = Path(folder) / "haproxy.cfg"
            config.write_text(proxy_config(address, port, ports))
            processes.append(subprocess.Popen([proxy, "-db", "-f", str(config)]))
            base = local_base(address, port)
            if healthy(base, processes):  # (each page server says its own port: not for students)
                print(f"fcviz: {n} page servers behind HAProxy; students open port {port} ({base})", flush=True)
                print(said, flush=True)
            else:
                print(f"fcviz: HAProxy does not answer on port {port}", flush=True)
            return supervise(processes)
    finally:
        end(processes)
        if cluster is not None:
            logging.getLogger("distributed").setLevel(logging.CRITICAL)  # its nannies' complaints as it shuts down
            cluster.close()


def main(options: list[str]) -> int:
    n, proxy = page_server_count(), shutil.which(HAPROXY) or shutil.which(HAPROXY, path="/usr/sbin")
    if n > 1 and proxy is None:
        print(f"fcviz: {n} page servers need HAProxy (Debian's `haproxy`, `make haproxy`): one page server", flush=True)
        n = 1
    signal.signal(signal.SIGTERM, stopped)
    try:
        return serve_one(options) if n == 1 else serve_many(options, n, proxy)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
