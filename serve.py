"""Serve the app the way a class uses it: `streamlit run asgi.py` (app.py's pages and the live feed of trainings),
then one visit of its first page before any student's.

The first page a server shows imports TensorFlow and every page's modules (~3.3 s of CPU here) and starts the training
workers: the first student after a start waited ~7 s (12 s on a busy 2-core machine) where a later one waits ~3 s.
This visit, as a teacher who opens the app before the class, pays that once, as soon as the server answers.
`make run` and the container start the app through this file.

Usage: python serve.py [options of `streamlit run`], e.g. python serve.py --server.port 8501
"""
from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time

from fcviz_dev.appserver import READY, answers

START_SECONDS = 120  # the server answers its health check within this, or serve.py gives up
# `streamlit run`, with every connection sending at once from the first (fcviz.patches.reply_without_delay)
STREAMLIT = ("from fcviz.patches import reply_without_delay; reply_without_delay(); "
             "from streamlit.web.cli import main; main(prog_name='streamlit')")


def port_of(options: list[str]) -> int:
    """The port the options give Streamlit (`--server.port 8502` or `--server.port=8502`), 8501 by default."""
    for i, option in enumerate(options):
        if option == "--server.port" and i + 1 < len(options):
            return int(options[i + 1])
        if option.startswith("--server.port="):
            return int(option.split("=", 1)[1])
    return 8501


def healthy(base: str, process: subprocess.Popen) -> bool:
    """Wait until the server answers its health check; False if it ended or did not answer in time."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
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


def main(options: list[str]) -> int:
    base = f"http://127.0.0.1:{port_of(options)}"
    process = subprocess.Popen([sys.executable, "-c", STREAMLIT, "run", "asgi.py", *options])
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())  # a container's stop reaches the server
    try:
        if healthy(base, process):
            try:
                asyncio.run(first_visit(base))
                print(f"fcviz: the first page is loaded; {READY}", flush=True)
            except Exception as e:  # noqa: BLE001  (the server serves all the same; the first student waits)
                print(f"fcviz: the first visit failed ({type(e).__name__}: {e}); the first student loads the app",
                      flush=True)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
