"""Runs: what a training leaves in the store (its link, its numbers, its model), a device's own list, and
the class's board of them."""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, undefer

from fcviz.i18n import later
from fcviz.store.classes import ClassInfo, ClassRecords
from fcviz.store.database import NotAllowed, clean_nickname, digest, new_token
from fcviz.store.tables import LABEL_LENGTH, ClassRow, RunRow

RUNS_PER_OWNER = 50  # a device's runs kept: the oldest go first
RUNS_PER_CLASS = 2_000


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
    tuned_on: int = 0  # drawings of a student's it was fine-tuned on (its settings say the rest)

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
    """A stored run as lists show it (its columns named as `RunSummary`'s fields)."""
    return RunSummary(**{f.name: getattr(row, f.name) for f in fields(RunSummary)})


class RunRecords(ClassRecords):
    """The store's runs: saved when a training ends, reopened by link, listed per device and per class."""

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
                         test_loss=run.test_loss, tuned_on=run.tuned_on, confusion=run.confusion,
                         predictions=np.asarray(run.predictions, np.uint8).tobytes(), model=run.model,
                         weights=run.weights or None, last_used=self.now()))
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
            self._touch(s, RunRow, row.id, RunRow.id == row.id)
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

    def board(self, code: str, key: str) -> tuple[ClassInfo, list[RunSummary]]:
        """The teacher's board: the class and its runs, newest first (NotAllowed for a wrong key)."""
        def work(s: Session):
            row = self._teacher_class(s, code, key)
            self._touch(s, RunRow, ("class", row.id), RunRow.class_id == row.id)  # shown: used
            runs = s.scalars(select(RunRow).where(RunRow.class_id == row.id)
                             .order_by(RunRow.created.desc(), RunRow.id.desc())).all()
            return ClassInfo(row.code, row.name), [_summary(r) for r in runs]
        return self._do(work)

    def remove_run(self, code: str, key: str, token: str) -> bool:
        """A teacher removes one run from the class's board; whether there was one."""
        def work(s: Session) -> bool:
            row = self._teacher_class(s, code, key)
            return s.execute(delete(RunRow).where(RunRow.token == str(token), RunRow.class_id == row.id)).rowcount > 0
        return self._do(work)
