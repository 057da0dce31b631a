"""The class store: runs that outlive a session or a server, classes, the class's own handwriting.

A SQLAlchemy database named by `FCVIZ_DB` (a SQLAlchemy URL): by default a SQLite file in `var/`
beside the app, made on first start; PostgreSQL (`postgresql+psycopg://…`) when several page
servers share one class. The schema is made and upgraded by the Alembic migrations in
`fcviz/store/migrations` when the store opens. Secrets we only compare (a student's device token, a
teacher's key) are kept as SHA-256; a run's token is its link, so it is kept as it is.
Every write is one transaction; every method raises `StoreUnavailable` when the database cannot be
reached, and the app then goes on without saving.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path

import numpy as np
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker, undefer

from fcviz import environment
from fcviz.cache import Bounded
from fcviz.i18n import N_, later
from fcviz.store import handwriting
from fcviz.store.tables import CODE_LENGTH, LABEL_LENGTH, NICKNAME_LENGTH, ClassRow, DrawingRow, MyDigitRow, RunRow, now

DEFAULT_DB = Path(__file__).resolve().parents[2] / "var" / "fcviz.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed
TOKEN_BYTES = 24  # 192 bits: a run's link, a device's token, a teacher's key

RUNS_PER_OWNER = 50  # a device's runs kept: the oldest go first
RUNS_PER_CLASS = 2_000
DRAWINGS_PER_MINUTE = 20  # per device
DRAWINGS_PER_CLASS = 1500
CLASS_NAME_LENGTH = 60
SCORES_KEPT = 20_000  # (run, handwriting set) accuracies remembered by this process

_scores: Bounded[tuple[str, tuple], float | None] = Bounded(SCORES_KEPT)


NOT_TEACHER = N_("This teacher link is not valid.")  # the same words for a wrong code and a wrong key
NO_CLASS = N_("There is no class with this code.")


class StoreUnavailable(RuntimeError):
    """The database could not be reached or written: the app goes on without saving."""


class NotAllowed(ValueError):
    """A code, token or key that does not open what was asked, or a limit reached; the message says which."""


def default_url() -> str:
    return os.environ.get(environment.DB) or f"sqlite:///{DEFAULT_DB}"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_nickname(name: str) -> str:
    """Plain text, one line, at most 24 characters (shown as text, never as Markdown or HTML)."""
    return " ".join(str(name).split())[:NICKNAME_LENGTH]


def clean_code(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch in CODE_ALPHABET)[:CODE_LENGTH]


@dataclass(frozen=True)
class ClassInfo:
    code: str
    name: str


@dataclass(frozen=True)
class RunFacts:
    """What is known of a run that ended: saved from a `NewRun`, shown as a `RunSummary`."""

    label: str
    network: str
    params: int
    data: str
    state: str
    settings: dict
    epochs: list[dict]
    train_accuracy: float
    test_accuracy: float
    test_loss: float

    @property
    def gap(self) -> float:
        """Train minus test accuracy: how much the network learned the training set by heart."""
        return self.train_accuracy - self.test_accuracy


@dataclass(frozen=True, kw_only=True)
class RunSummary(RunFacts):
    """A run as the lists and the board show it (no model)."""

    token: str
    nickname: str
    created: object


@dataclass(frozen=True)
class SavedRun:
    """Everything a saved run's link reopens."""

    summary: RunSummary
    batches: list[list[float]]
    confusion: list[list[int]]
    predictions: np.ndarray
    model: bytes
    class_code: str | None


@dataclass(frozen=True, kw_only=True)
class NewRun(RunFacts):
    """What the app saves when a run ends."""

    batches: list[list[float]]
    confusion: list[list[int]]
    predictions: np.ndarray
    model: bytes
    weights: bytes = b""  # `fcviz.store.handwriting.pack` of its Dense layers


def _summary(row: RunRow) -> RunSummary:
    return RunSummary(**{f.name: getattr(row, f.name) for f in fields(RunSummary)})


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (several servers at once: PostgreSQL serialises them)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7316)"))  # one migrating server at a time
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    def __init__(self, url: str | None = None) -> None:
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

    def _session(self) -> Session:
        return self._sessions()

    def _do(self, work):
        """Run `work(session)` in one transaction; database trouble becomes StoreUnavailable."""
        try:
            with self._session() as session, session.begin():
                return work(session)
        except SQLAlchemyError as e:
            raise StoreUnavailable(later("the database cannot be reached ({error})", error=type(e).__name__)) from e

    # classes ---------------------------------------------------------------------------------------

    def create_class(self, name: str) -> tuple[str, str]:
        """A new class: its code (for students) and its teacher key (for the board)."""
        key = new_token()
        name = " ".join(str(name).split())[:CLASS_NAME_LENGTH] or "My class"

        def work(s: Session) -> str:
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if s.scalar(select(ClassRow.id).where(ClassRow.code == code)) is None:
                    s.add(ClassRow(code=code, key_hash=digest(key), name=name))
                    return code
        return self._do(work), key

    def find_class(self, code: str) -> ClassInfo | None:
        row = self._do(lambda s: s.scalar(select(ClassRow).where(ClassRow.code == clean_code(code))))
        return None if row is None else ClassInfo(row.code, row.name)

    def _class_row(self, s: Session, code: str) -> ClassRow:
        row = s.scalar(select(ClassRow).where(ClassRow.code == clean_code(code)))
        if row is None:
            raise NotAllowed(NO_CLASS)
        return row

    def _teacher_class(self, s: Session, code: str, key: str) -> ClassRow:
        row = s.scalar(select(ClassRow).where(ClassRow.code == clean_code(code)))
        if row is None or not hmac.compare_digest(row.key_hash, digest(str(key))):
            raise NotAllowed(NOT_TEACHER)
        return row

    def is_teacher(self, code: str, key: str) -> bool:
        try:
            self._do(lambda s: self._teacher_class(s, code, key))
        except NotAllowed:
            return False
        return True

    # runs ------------------------------------------------------------------------------------------

    def save_run(self, run: NewRun, owner: str, class_code: str | None = None, nickname: str = "",
                 replace: str | None = None) -> str:
        """Save a run that ended; returns its token (its private link). `replace`: the token it was saved
        under before (a Continue), kept if that run is this owner's. Keeps a device's newest runs only."""

        def work(s: Session) -> str:
            token = new_token()
            if replace and s.execute(delete(RunRow).where(RunRow.token == str(replace),
                                                          RunRow.owner_hash == digest(owner))).rowcount:
                token = str(replace)
            class_id = None
            if class_code:
                row = self._class_row(s, class_code)
                if s.scalar(select(func.count()).where(RunRow.class_id == row.id)) >= RUNS_PER_CLASS:
                    raise NotAllowed(later("This class already has {n:,} runs, the most it keeps.", n=RUNS_PER_CLASS))
                class_id = row.id
            s.add(RunRow(token=token, owner_hash=digest(owner), class_id=class_id, nickname=clean_nickname(nickname),
                         label=run.label[:LABEL_LENGTH], network=run.network[:LABEL_LENGTH], params=run.params,
                         data=run.data[:LABEL_LENGTH], state=run.state, settings=run.settings, epochs=run.epochs,
                         batches=run.batches, train_accuracy=run.train_accuracy, test_accuracy=run.test_accuracy,
                         test_loss=run.test_loss, confusion=run.confusion,
                         predictions=np.asarray(run.predictions, np.uint8).tobytes(), model=run.model,
                         weights=run.weights or None))
            s.flush()
            old = s.scalars(select(RunRow.id).where(RunRow.owner_hash == digest(owner))
                            .order_by(RunRow.created.desc(), RunRow.id.desc()).offset(RUNS_PER_OWNER)).all()
            if old:
                s.execute(delete(RunRow).where(RunRow.id.in_(old)))
            return token
        return self._do(work)

    def run(self, token: str) -> SavedRun | None:
        """A run by its token (its link), model included; None if there is none."""
        def work(s: Session) -> SavedRun | None:
            row = s.scalar(select(RunRow).where(RunRow.token == str(token))
                           .options(undefer(RunRow.predictions), undefer(RunRow.model), undefer(RunRow.batches),
                                    undefer(RunRow.confusion)))
            if row is None:
                return None
            code = None if row.class_id is None else s.scalar(select(ClassRow.code).where(ClassRow.id == row.class_id))
            return SavedRun(_summary(row), row.batches, row.confusion,
                            np.frombuffer(row.predictions, np.uint8).astype(np.int64), row.model, code)
        return self._do(work)

    def runs_of(self, owner: str) -> list[RunSummary]:
        """A device's runs, newest first."""
        return self._do(lambda s: [_summary(r) for r in s.scalars(
            select(RunRow).where(RunRow.owner_hash == digest(owner)).order_by(RunRow.created.desc(), RunRow.id.desc()))])

    def delete_run(self, owner: str, token: str) -> bool:
        """A student deletes one of their own runs."""
        return self._do(lambda s: s.execute(delete(RunRow).where(
            RunRow.token == str(token), RunRow.owner_hash == digest(owner))).rowcount > 0)

    # the teacher's board ---------------------------------------------------------------------------

    def board(self, code: str, key: str) -> tuple[ClassInfo, list[RunSummary]]:
        def work(s: Session):
            row = self._teacher_class(s, code, key)
            runs = s.scalars(select(RunRow).where(RunRow.class_id == row.id)
                             .order_by(RunRow.created.desc(), RunRow.id.desc())).all()
            return ClassInfo(row.code, row.name), [_summary(r) for r in runs]
        return self._do(work)

    def remove_run(self, code: str, key: str, token: str) -> bool:
        def work(s: Session) -> bool:
            row = self._teacher_class(s, code, key)
            return s.execute(delete(RunRow).where(RunRow.token == str(token), RunRow.class_id == row.id)).rowcount > 0
        return self._do(work)

    # the class's handwriting -----------------------------------------------------------------------

    def add_drawing(self, code: str, owner: str, label: int, image: np.ndarray, nickname: str = "") -> int:
        """A labelled 28×28 drawing (values 0..1, as the app's preprocessing gives) joins the class's set."""
        label, stored = _drawing(label, image)

        def work(s: Session) -> int:
            row = self._class_row(s, code)
            _not_too_fast(s, DrawingRow, owner)
            if s.scalar(select(func.count()).where(DrawingRow.class_id == row.id)) >= DRAWINGS_PER_CLASS:
                raise NotAllowed(later("This class's handwriting set is full ({n:,} drawings).", n=DRAWINGS_PER_CLASS))
            drawing = DrawingRow(class_id=row.id, owner_hash=digest(owner), nickname=clean_nickname(nickname),
                                 label=label, image=stored)
            s.add(drawing)
            s.flush()
            return drawing.id
        return self._do(work)

    def handwriting(self, code: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The class's drawings: images [n, 28, 28] float32 in 0..1, labels [n], ids [n]."""
        def work(s: Session):
            row = self._class_row(s, code)
            return s.execute(select(DrawingRow.image, DrawingRow.label, DrawingRow.id)
                             .where(DrawingRow.class_id == row.id).order_by(DrawingRow.label, DrawingRow.id)).all()
        rows = self._do(work)
        return _images(rows), np.array([r[1] for r in rows], np.int64), np.array([r[2] for r in rows], np.int64)

    # my digits ---------------------------------------------------------------------------------------

    def add_my_digit(self, owner: str, label: int, image: np.ndarray) -> None:
        """A labelled drawing joins the device's own digits; beyond `handwriting.MAX_OWN` the oldest go."""
        label, stored = _drawing(label, image)

        def work(s: Session) -> None:
            _not_too_fast(s, MyDigitRow, owner)
            s.add(MyDigitRow(owner_hash=digest(owner), label=label, image=stored))
            s.flush()
            old = s.scalars(select(MyDigitRow.id).where(MyDigitRow.owner_hash == digest(owner))
                            .order_by(MyDigitRow.id.desc()).offset(handwriting.MAX_OWN)).all()
            if old:
                s.execute(delete(MyDigitRow).where(MyDigitRow.id.in_(old)))
        self._do(work)

    def my_digits(self, owner: str) -> tuple[np.ndarray, np.ndarray]:
        """The device's own digits, oldest first: images [n, 28, 28] float32 in 0..1, labels [n]."""
        rows = self._do(lambda s: s.execute(select(MyDigitRow.image, MyDigitRow.label)
                                            .where(MyDigitRow.owner_hash == digest(owner))
                                            .order_by(MyDigitRow.id)).all())
        return _images(rows), np.array([r[1] for r in rows], np.int64)

    def forget_my_digits(self, owner: str) -> int:
        """Delete the device's own digits; how many there were."""
        return self._do(lambda s: s.execute(delete(MyDigitRow).where(MyDigitRow.owner_hash == digest(owner))).rowcount)

    def drawing_ids(self, code: str) -> tuple[int, ...]:
        """Which drawings the class's set holds (without the images): enough to tell that it changed."""
        def work(s: Session) -> tuple[int, ...]:
            row = self._class_row(s, code)
            return tuple(s.scalars(select(DrawingRow.id).where(DrawingRow.class_id == row.id).order_by(DrawingRow.id)))
        return self._do(work)

    def handwriting_scores(self, code: str, tokens: list[str]) -> dict[str, float]:
        """Each run's accuracy on the class's handwriting (runs saved without weights are left out).
        Remembered per run and per state of the set: a board that polls costs nothing new."""
        images, labels, ids = self.handwriting(code)
        if len(ids) == 0:
            return {}
        version = (clean_code(code), len(ids), int(ids.sum()))
        missing = [t for t in tokens if (t, version) not in _scores]
        if missing:
            rows = self._do(lambda s: s.execute(select(RunRow.token, RunRow.weights).where(
                RunRow.token.in_(missing))).all())
            for token, weights in rows:
                _scores.put((token, version), None if weights is None else handwriting.accuracy(
                    handwriting.unpack(weights), images, labels))
        scores = {t: _scores.get((t, version)) for t in tokens}
        return {t: score for t, score in scores.items() if score is not None}

    def remove_drawing(self, code: str, key: str, drawing_id: int) -> bool:
        def work(s: Session) -> bool:
            row = self._teacher_class(s, code, key)
            return s.execute(delete(DrawingRow).where(DrawingRow.id == int(drawing_id),
                                                      DrawingRow.class_id == row.id)).rowcount > 0
        return self._do(work)

    def close(self) -> None:
        self.engine.dispose()


def _drawing(label: int, image: np.ndarray) -> tuple[int, bytes]:
    """A drawing as stored: its label checked, its 28×28 pixels (0..1) as MNIST's uint8."""
    label = int(label)
    if not 0 <= label <= 9:
        raise NotAllowed(N_("A drawing's label is a digit from 0 to 9."))
    pixels = np.asarray(image, np.float32)
    if pixels.shape != (28, 28) or not np.all(np.isfinite(pixels)):
        raise NotAllowed(N_("A drawing is 28×28 pixels."))
    return label, np.clip(np.rint(pixels * 255), 0, 255).astype(np.uint8).tobytes()


def _images(rows) -> np.ndarray:
    """Stored drawings (rows whose first column is the image) as [n, 28, 28] float32 in 0..1."""
    return np.array([np.frombuffer(r[0], np.uint8) for r in rows], np.float32).reshape(-1, 28, 28) / 255


def _not_too_fast(s: Session, table, owner: str) -> None:
    """At most `DRAWINGS_PER_MINUTE` drawings of one device a minute into `table` (a script cannot fill it)."""
    recent = s.scalar(select(func.count()).where(table.owner_hash == digest(owner),
                                                 table.created > now() - timedelta(minutes=1)))
    if recent >= DRAWINGS_PER_MINUTE:
        raise NotAllowed(later("At most {n} drawings a minute: wait a moment.", n=DRAWINGS_PER_MINUTE))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Write-ahead logging: readers never wait for the writer; foreign keys on (SQLite's default is off)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
