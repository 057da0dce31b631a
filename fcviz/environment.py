"""The environment variables a server's owner can set, named once (the README's "Serving a class" says what
each does). Each is read where it acts; the names are here so that code, tests and docs agree."""
import logging
import os
from typing import Mapping

DATA_DIR = "FCVIZ_DATA_DIR"  # the data folder whose sets are offered by name (default: data/ beside app.py)
DB = "FCVIZ_DB"  # the class store's SQLAlchemy URL (default: SQLite in var/)
ENGINE = "FCVIZ_ENGINE"  # "inline": train in a thread of the page server (debugging only)
DASK_SCHEDULER = "FCVIZ_DASK_SCHEDULER"  # tcp://host:port of a Dask cluster to train on instead of the embedded one
WORKERS = "FCVIZ_WORKERS"  # the embedded cluster's worker processes (default: one per core)
MAX_TRAININGS = "FCVIZ_MAX_TRAININGS"  # trainings at once (default: one per worker)
WORKER_RECYCLE_MIB = "FCVIZ_WORKER_RECYCLE_MIB"  # a worker grown past this is replaced between trainings
PAGE_SERVERS = "FCVIZ_PAGE_SERVERS"  # page server processes serve.py starts behind HAProxy (default 2)
SESSION_GRACE = "FCVIZ_SESSION_GRACE"  # seconds a closed tab's training waits before it is cancelled
KEEP_DAYS = "FCVIZ_KEEP_DAYS"  # days a class, run, digit or device's record not used is kept (default 30, 1-3650)


def whole_number(name: str, low: int = 1, high: int = 10**6, environ: Mapping[str, str] = os.environ) -> int | None:
    """The variable `name` as a whole number from `low` to `high`; None if unset, or (logged) if anything else: a
    mistyped setting never stops the server."""
    value = environ.get(name, "").strip()
    if value.isascii() and value.isdigit() and low <= int(value) <= high:  # ("²" is a digit to Python)
        return int(value)
    if value:
        logging.getLogger("fcviz").warning("%s=%r is not a whole number from %d to %d: its default is used",
                                           name, value, low, high)
    return None
