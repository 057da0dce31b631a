"""The class store's tables (SQLAlchemy 2). The schema itself is made by the Alembic migrations in
`fcviz/store/migrations`; a test checks they and these tables agree."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

CODE_LENGTH = 6  # a class code, read aloud and typed by students
TOKEN_LENGTH = 32  # secrets.token_urlsafe(24): 192 bits
HASH_LENGTH = 64  # sha256 hex of a secret we only compare (owner tokens, teacher keys)
NICKNAME_LENGTH = 24
LABEL_LENGTH = 200
CLASS_NAME_LENGTH = 60  # a class's name as the teacher types it (kept in a LABEL_LENGTH column)


def now() -> datetime:
    """The rows' creation time: timezone-aware UTC, as the columns store it."""
    return datetime.now(timezone.utc)


def used_column() -> Mapped[datetime]:
    """The column a record's expiry reads (`fcviz.store.expiry`): when it was last used, indexed."""
    return mapped_column(DateTime(timezone=True), default=now, index=True)


class Base(DeclarativeBase):
    """The base every table of the class store shares: one metadata, which the test compares with the migrations."""


class ClassRow(Base):
    """A class a teacher opened: the code its students type to join, and the hash of the teacher's key."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    key_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    name: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    last_used: Mapped[datetime] = used_column()  # opened, joined, its board viewed, a run saved in it


class ClassOwnerRow(Base):
    """A class a device created or opened by its teacher link: the device opens its board by itself from then
    on. The teacher key is kept sealed with the device's token (`fcviz.store.class_owners`), which the store
    never keeps, so a leaked database opens no board."""

    __tablename__ = "class_owners"
    __table_args__ = (UniqueConstraint("owner_hash", "class_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))  # the unique constraint's first column: indexed
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    sealed_key: Mapped[str] = mapped_column(String(HASH_LENGTH))  # the teacher key, sealed with the device's token
    opened: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)  # last opened on the device
    last_used: Mapped[datetime] = used_column()  # the device last seen (any page), or the class opened on it


class RunRow(Base):
    """A finished or stopped run: enough to show it again (curves, test results) and to use its model."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), unique=True)
    owner_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(NICKNAME_LENGTH), default="")
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    network: Mapped[str] = mapped_column(String(LABEL_LENGTH))  # e.g. 784-128-10
    params: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(String(LABEL_LENGTH))  # the data set's source name
    state: Mapped[str] = mapped_column(String(16))
    settings: Mapped[dict] = mapped_column(JSON)  # the link's query: Settings.from_link restores it
    tuned_on: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # drawings it was fine-tuned on
    epochs: Mapped[list] = mapped_column(JSON)  # EpochStats as dicts
    # deferred: the lists and the board read many runs and need neither; a run's link loads them
    batches: Mapped[list] = mapped_column(JSON, deferred=True)  # BatchPoint as [x, loss, accuracy, *grads]
    train_accuracy: Mapped[float] = mapped_column(Float)
    test_accuracy: Mapped[float] = mapped_column(Float)
    test_loss: Mapped[float] = mapped_column(Float)
    confusion: Mapped[list] = mapped_column(JSON, deferred=True)  # 10×10 [true][predicted]
    predictions: Mapped[bytes] = deferred(mapped_column(LargeBinary))  # test-set predicted classes, uint8
    model: Mapped[bytes] = deferred(mapped_column(LargeBinary))  # the .keras file
    weights: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # its Dense weights (fcviz.store.handwriting)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    last_used: Mapped[datetime] = used_column()  # opened by its link, its device seen, its class's board viewed


class DrawingRow(Base):
    """A drawing a student labelled and gave to the class's handwriting set: 28×28 uint8, as MNIST."""

    __tablename__ = "drawings"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    owner_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), index=True)
    nickname: Mapped[str] = mapped_column(String(NICKNAME_LENGTH), default="")
    label: Mapped[int] = mapped_column(Integer)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)


class MyDigitRow(Base):
    """A drawing a student labelled as one of their own digits (a device's own test and fine-tune set), 28×28
    uint8; it outlives the session, as the device's runs do."""

    __tablename__ = "my_digits"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), index=True)
    label: Mapped[int] = mapped_column(Integer)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    last_used: Mapped[datetime] = used_column()  # read or added to, its device seen
