"""The class store's database: where it is (`FCVIZ_DB`, a SQLAlchemy URL: by default a SQLite file in
`var/` beside the app, made on first start; PostgreSQL (`postgresql+psycopg://…`) when several page servers
share one class), its schema made and upgraded by the Alembic migrations in `fcviz/store/migrations` when it
opens, and one transaction per call. Every call raises `StoreUnavailable` when the database cannot be
reached, and the app then goes on without saving.

Secrets we only compare (a student's device token, a teacher's key) are kept as SHA-256 (`digest`); a
run's token is its link, so it is kept as it is.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from fcviz import environment
from fcviz.cache import Bounded
from fcviz.i18n import later
from fcviz.store import tables
from fcviz.store.tables import NICKNAME_LENGTH, ClassOwnerRow, MyDigitRow, RunRow

DEFAULT_DB = Path(__file__).resolve().parents[2] / "var" / "fcviz.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
TOKEN_BYTES = 24  # 192 bits: a run's link, a device's token, a teacher's key
TOUCH_EVERY = timedelta(hours=1)  # a record's `last_used` is written at most this often (not on every rerun)
TOUCHES_KEPT = 50_000  # records this process remembers having touched

T = TypeVar("T")


class StoreUnavailable(RuntimeError):
    """The database could not be reached or written: the app goes on without saving."""


class NotAllowed(ValueError):
    """A code, token or key that does not open what was asked, or a limit reached; the message says which."""


def default_url() -> str:
    """The database the server's owner named in `FCVIZ_DB`, else a SQLite file beside the app."""
    return os.environ.get(environment.DB) or f"sqlite:///{DEFAULT_DB}"


def new_token() -> str:
    """A fresh secret: a run's link, a device's token or a teacher's key."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: str) -> str:
    """How a secret we only compare is kept: a leaked database opens no board and no device's runs."""
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_nickname(name: str) -> str:
    """Plain text, one line, at most 24 characters (shown as text, never as Markdown or HTML)."""
    return " ".join(str(name).split())[:NICKNAME_LENGTH]


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (several servers at once: PostgreSQL serialises them)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7316)"))  # one migrating server at a time
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Database:
    """One database and its transactions: the base of every kind of record the store keeps. `now` is its
    clock (tests move it forward to see records expire); a record used is `_touch`ed, at most hourly."""

    def __init__(self, url: str | None = None, now: Callable[[], datetime] = tables.now) -> None:
        self.now = now
        self._touched: Bounded[tuple, datetime] = Bounded(TOUCHES_KEPT)
        url = url or default_url()
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        connect = {"timeout": 30, "check_same_thread": False} if url.startswith("sqlite") else {"connect_timeout": 5}
        self.engine = create_engine(url, connect_args=connect, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        try:
            migrate(self.engine)
        except SQLAlchemyError as e:
            raise StoreUnavailable(later("the database cannot be opened ({error})", error=type(e).__name__)) from e

    def _do(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` in one transaction; database trouble becomes StoreUnavailable."""
        try:
            with self._sessions() as session, session.begin():
                return work(session)
        except SQLAlchemyError as e:
            raise StoreUnavailable(later("the database cannot be reached ({error})", error=type(e).__name__)) from e

    def _touch(self, s: Session, table, key: object, *where) -> None:
        """Mark the rows of `table` matching `where` as used now (the record `key`, as this process remembers
        it): at most once per `TOUCH_EVERY` by this process, and never back in time (another server's clock)."""
        at = self.now()
        last = self._touched.get((table.__tablename__, key))
        if last is not None and last <= at < last + TOUCH_EVERY:
            return
        s.execute(update(table).where(*where, table.last_used < at).values(last_used=at)
                  .execution_options(synchronize_session=False))
        self._touched.put((table.__tablename__, key), at)

    def seen(self, owner: str) -> None:
        """A device was seen (a session of its browser started): its runs, its digits and the classes it keeps
        are used, and expire only when it has not been seen for the store's keeping time."""
        def work(s: Session) -> None:
            for table in (RunRow, MyDigitRow, ClassOwnerRow):
                self._touch(s, table, ("device", digest(owner)), table.owner_hash == digest(owner))
        self._do(work)

    def close(self) -> None:
        """Let go of the database's connections (tests, a server shutting down)."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Write-ahead logging: readers never wait for the writer; foreign keys on (SQLite's default is off)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
