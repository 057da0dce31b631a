"""The files the Dockerfile copies are all the app needs: run it from a folder holding only those."""
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from fcviz import environment
from fcviz_dev.appserver import ROOT, descendants, page_servers, running, running_app
from fcviz_dev.browser import open_page
from serve import CLASS_PAGE_SERVERS, ONE_THREAD_MATH

WORKER = b"spawn_main"  # a Dask worker's command line (started by multiprocessing's spawn)


def copied_paths() -> list[str]:
    """The sources of the Dockerfile's COPY lines."""
    paths = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if m := re.match(r"COPY\s+(.+)\s+\S+$", line.strip()):
            paths += m.group(1).split()
    return paths


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    """A folder holding only what the Dockerfile copies."""
    folder = tmp_path_factory.mktemp("image")
    for path in copied_paths():
        source = ROOT / path
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / path)
    return folder


@pytest.fixture(scope="module")
def image_url(image):
    with running_app(root=image, env={environment.WORKERS: "1"}) as url:
        yield url


def test_dockerfile_copies_the_app_and_its_data():
    assert {"requirements.txt", "app.py", "asgi.py", "serve.py", "pages", "fcviz", "ui", ".streamlit"} <= set(copied_paths())


def test_app_runs_from_the_copied_files_alone(page, image_url):
    page.app_url = image_url
    open_page(page, "")
    page.get_by_text("Total params").first.wait_for()
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()
    page.get_by_text("training on 4,000 of 4,000").wait_for()  # the bundled MNIST sample is in the image


def test_serve_loads_the_first_page_before_any_student(image):
    """serve.py (the container's and `make run`'s start) loads TensorFlow in its page servers and starts the training
    workers before any student opens a page (it says so once the first page has run in each page server), and a stop
    reaches every process it started."""
    with running_app(root=image, env={environment.WORKERS: "1"}, serve=True, timeout=180) as url:  # waits for READY
        servers = page_servers(url.pid)
        assert len(servers) == min(CLASS_PAGE_SERVERS, os.cpu_count()), "not the page servers a class gets by default"
        for server in servers:
            assert "tensorflow" in Path(f"/proc/{server}/maps").read_text()  # loaded before any student came
            environ = dict(v.split("=", 1) for v in Path(f"/proc/{server}/environ").read_text().split("\0") if "=" in v)
            assert {k: environ.get(k) for k in ONE_THREAD_MATH} == {**ONE_THREAD_MATH, **{
                k: os.environ[k] for k in ONE_THREAD_MATH if k in os.environ}}  # matrix products on one thread
        deadline = time.monotonic() + 120  # the workers start while the first pages run
        while not running(url.pid, WORKER) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert running(url.pid, WORKER), "no training worker started"
        started = descendants(url.pid)
    deadline = time.monotonic() + 30  # serve.py was stopped (SIGTERM, as a container's stop): all it started ends too
    while any(Path(f"/proc/{p}").exists() for p in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in started if Path(f"/proc/{p}").exists()], "a process outlived serve.py"
