"""The files the Dockerfile copies are all the app needs: run it from a folder holding only those."""
import re
import shutil

import pytest

from fcviz import environment
from fcviz_dev.appserver import ROOT, running_app
from fcviz_dev.browser import open_page


def copied_paths() -> list[str]:
    """The sources of the Dockerfile's COPY lines."""
    paths = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if m := re.match(r"COPY\s+(.+)\s+\S+$", line.strip()):
            paths += m.group(1).split()
    return paths


@pytest.fixture(scope="module")
def image_url(tmp_path_factory):
    image = tmp_path_factory.mktemp("image")
    for path in copied_paths():
        source = ROOT / path
        (shutil.copytree if source.is_dir() else shutil.copy)(source, image / path)
    with running_app(root=image, env={environment.WORKERS: "1"}) as url:
        yield url


def test_dockerfile_copies_the_app_and_its_data():
    assert {"requirements.txt", "app.py", "pages", "fcviz", "ui", ".streamlit"} <= set(copied_paths())


def test_app_runs_from_the_copied_files_alone(page, image_url):
    page.app_url = image_url
    open_page(page, "")
    page.get_by_text("Total params").first.wait_for()
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()
    page.get_by_text("training on 4,000 of 4,000").wait_for()  # the bundled MNIST sample is in the image
