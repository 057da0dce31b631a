"""What the store keeps, and for how long: classes, runs, my digits and the devices' records of their classes
not used for `FCVIZ_KEEP_DAYS` days (30 by default) are deleted by the app itself. A class goes with
everything in it (its runs, its drawings, the devices' records of it).

Every record has a `last_used` time, written when it is used (`Database._touch`: at most hourly). `expire`
deletes what is past its date in small transactions (`BATCH` rows each), so a page server's users never wait
long on it; several page servers may expire the same PostgreSQL database at once: each batch locks the rows it
deletes and skips rows another server has locked, and the deletes only delete what is still past its date.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fcviz import environment
from fcviz.store.classes import CLASS_TABLES
from fcviz.store.database import Database
from fcviz.store.tables import ClassOwnerRow, ClassRow, MyDigitRow, RunRow

DEFAULT_KEEP_DAYS = 30
KEEP_DAYS_RANGE = (1, 3650)
BATCH = 500  # rows deleted per transaction
CLASSES_PER_BATCH = 20  # classes emptied per transaction (their rows count towards BATCH)
EXPIRE_EVERY = timedelta(days=1)  # how often a page server expires the store, after once at start
OWN_TABLES = (RunRow, MyDigitRow, ClassOwnerRow)  # records that expire by their own `last_used`


def keep_days(environ: Mapping[str, str] = os.environ) -> int:
    """The days a record not used is kept (`FCVIZ_KEEP_DAYS`); a value that is not a whole number of days
    from 1 to 3650 gives the default, with a warning in the log."""
    low, high = KEEP_DAYS_RANGE
    return environment.whole_number(environment.KEEP_DAYS, low, high, environ) or DEFAULT_KEEP_DAYS


@dataclass
class Expired:
    """What one `expire` deleted: rows per table (a class's own rows under their tables) and transactions."""

    rows: dict[str, int] = field(default_factory=dict)
    transactions: int = 0

    def add(self, table: str, n: int) -> None:
        """Count `n` more rows of `table`."""
        if n:
            self.rows[table] = self.rows.get(table, 0) + n


def expire(store: Database, days: int, now: datetime | None = None) -> Expired:
    """Delete every class, run, digit and device's class not used for `days` days before `now` (the store's
    clock by default), one small transaction at a time; what it deleted."""
    cutoff = (now or store.now()) - timedelta(days=days)
    done = Expired()
    while _one(store, done, lambda s: _classes_batch(s, cutoff, done)):
        pass
    for table in OWN_TABLES:
        while _one(store, done, lambda s: _own_batch(s, table, cutoff, done)):
            pass
    return done


def _one(store: Database, done: Expired, work) -> bool:
    """One transaction of `work`; whether it deleted anything (then there may be more)."""
    done.transactions += 1
    return store._do(work) > 0


def _locked_ids(s: Session, table, cutoff: datetime, limit: int) -> list[int]:
    """Up to `limit` ids of `table`'s rows past `cutoff`, locked for this transaction; rows another server's
    transaction holds are skipped (it deletes them, or they were just used). SQLite has one writer anyway."""
    return list(s.scalars(select(table.id).where(table.last_used < cutoff).order_by(table.id).limit(limit)
                          .with_for_update(skip_locked=True)))


def _classes_batch(s: Session, cutoff: datetime, done: Expired) -> int:
    """Empty some classes past their date (at most `BATCH` of their rows); the emptied ones go too."""
    ids = _locked_ids(s, ClassRow, cutoff, CLASSES_PER_BATCH)
    if not ids:
        return 0
    deleted = 0
    for table in CLASS_TABLES:
        rows = list(s.scalars(select(table.id).where(table.class_id.in_(ids)).order_by(table.id)
                              .limit(BATCH - deleted)))
        if rows:
            n = s.execute(delete(table).where(table.id.in_(rows))).rowcount
            done.add(table.__tablename__, n)
            deleted += len(rows)
        if deleted >= BATCH:
            return deleted  # more of these classes' rows next time
    n = s.execute(delete(ClassRow).where(ClassRow.id.in_(ids), ClassRow.last_used < cutoff)).rowcount
    done.add(ClassRow.__tablename__, n)
    return deleted + len(ids)


def _own_batch(s: Session, table, cutoff: datetime, done: Expired) -> int:
    """Delete up to `BATCH` rows of `table` past their date."""
    ids = _locked_ids(s, table, cutoff, BATCH)
    if ids:
        done.add(table.__tablename__, s.execute(delete(table).where(table.id.in_(ids),
                                                                    table.last_used < cutoff)).rowcount)
    return len(ids)
