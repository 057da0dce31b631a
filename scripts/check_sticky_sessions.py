"""Check the README's load-balancer advice: two app replicas behind HAProxy, with and without stickiness.

Starts two app servers and HAProxy (Debian: `apt-get install haproxy`) on localhost, then six
students each load a .keras file on the Draw page through the balancer. With the README's
sticky-cookie configuration every upload must work; with plain round robin some reach the
replica that does not hold their session and fail. Run: .venv/bin/python scripts/check_sticky_sessions.py
"""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from fcviz.files.persist import model_to_bytes
from fcviz.net.model import build_model
from fcviz.settings.spec import NetworkSpec
from fcviz_dev.appserver import free_port, running_app
from fcviz_dev.streamlit_client import Session

STUDENTS = 6


def haproxy_config(port: int, replicas: list[str], sticky: bool) -> str:
    servers = "\n".join(f"    server r{i} {url.split('//')[1]} check" + (f" cookie r{i}" if sticky else "")
                        for i, url in enumerate(replicas))
    return textwrap.dedent(f"""\
        defaults
            mode http
            timeout connect 5s
            timeout client 60s
            timeout server 60s
        frontend class
            bind 127.0.0.1:{port}
            default_backend fcviz
        backend fcviz
            balance roundrobin
            {"cookie FCVIZ insert indirect nocache" if sticky else ""}
            timeout tunnel 2h
        """) + servers + "\n"


async def student(url: str, model: bytes) -> str | None:
    """None if the uploaded model reached the Draw page, else what went wrong."""
    session = Session(url)
    try:
        await session.open()
        await session.switch_page("Draw")
        await session.upload("draw_upload", "teacher.keras", model)
        return None if any(k.startswith("draw_canvas_") for k in session.page.widgets) else "no canvas"
    except Exception as e:  # noqa: BLE001  (a failed student is the result being measured)
        return f"{type(e).__name__}: {str(e)[:90]}"
    finally:
        await session.close()


def through_balancer(replicas: list[str], sticky: bool, model: bytes) -> list[str | None]:
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".cfg") as cfg:
        cfg.write(haproxy_config(port, replicas, sticky))
        cfg.flush()
        proxy = subprocess.Popen(["haproxy", "-f", cfg.name])
        try:
            time.sleep(1.0)
            url = f"http://127.0.0.1:{port}"

            async def lesson():
                return await asyncio.gather(*(student(url, model) for _ in range(STUDENTS)))

            return asyncio.run(lesson())
        finally:
            proxy.terminate()
            proxy.wait(10)


def main() -> None:
    if shutil.which("haproxy") is None:
        sys.exit("haproxy not found: apt-get install haproxy")
    model = model_to_bytes(build_model(NetworkSpec()))
    with running_app() as first, running_app() as second:
        for sticky in (True, False):
            results = through_balancer([first, second], sticky, model)
            failed = [r for r in results if r]
            print(f"{'sticky cookie' if sticky else 'round robin  '}: {STUDENTS - len(failed)} of {STUDENTS} "
                  f"uploads worked" + (f" (e.g. {failed[0]})" if failed else ""))


if __name__ == "__main__":
    main()
