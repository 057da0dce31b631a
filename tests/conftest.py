import os
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fcviz.train import engine
from fcviz_dev.postgres import new_database, running_postgres

ROOT = Path(__file__).resolve().parents[1]
# the app's class store for every test and every app server the tests start: a fresh SQLite file per test process
# (pytest-xdist's workers inherit the environment of the process that started them: sharing its file, two workers
# creating the tables at once failed with "the database cannot be opened"); a database given in FCVIZ_DB is kept
PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "main")
if "FCVIZ_DB" not in os.environ or os.environ.get("FCVIZ_TEST_DB_OF", PROCESS) != PROCESS:
    os.environ["FCVIZ_DB"] = f"sqlite:///{tempfile.mkdtemp(prefix='fcviz-test-db-')}/fcviz.db"
    os.environ["FCVIZ_TEST_DB_OF"] = PROCESS
APP = str(ROOT / "app.py")


@pytest.fixture(scope="session", autouse=True)
def training_engine():
    """The real engine (a Dask LocalCluster of worker processes), started once and closed at the end."""
    yield
    started = engine.use(None)
    if started is not None and hasattr(started, "close"):
        started.close()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server (Debian's binaries), started once for the tests that need one."""
    with running_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database of each kind the store supports: a SQLite file, and one on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fcviz.db'}"
    return new_database(request.getfixturevalue("postgres_server"), f"t{tmp_path.name.lower().replace('-', '_')}")


@pytest.fixture
def new_app():
    """A fresh AppTest of the whole app (not yet run); pages that import TensorFlow need a long timeout."""
    return lambda: AppTest.from_file(APP, default_timeout=90)


@pytest.fixture
def open_app(new_app):
    """Run the app (optionally with URL parameters), switch to `page`, and check nothing blew up."""

    def _open(page: str | None = None, query: dict | None = None) -> AppTest:
        at = new_app()
        if query:
            at.query_params.update(query)
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception
        return at

    return _open
