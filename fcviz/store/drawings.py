"""The class's handwriting: labelled drawings students add to their class's set, the board's view of it, and
each run's accuracy on it."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fcviz.cache import Bounded
from fcviz.data.mnist import IMAGE_SIDE, N_CLASSES
from fcviz.i18n import N_, later
from fcviz.store import handwriting
from fcviz.store.classes import ClassRecords, clean_code
from fcviz.store.database import NotAllowed, clean_nickname, digest
from fcviz.store.tables import DrawingRow, RunRow, now

DRAWINGS_PER_MINUTE = 20  # per device
DRAWINGS_PER_CLASS = 1500
SCORES_KEPT = 20_000  # (run, handwriting set) accuracies remembered by this process

_scores: Bounded[tuple[str, tuple], float | None] = Bounded(SCORES_KEPT)


class DrawingRecords(ClassRecords):
    """The class's handwriting set."""

    def add_drawing(self, code: str, owner: str, label: int, image: np.ndarray, nickname: str = "") -> int:
        """A labelled 28×28 drawing (values 0..1, as the app's preprocessing gives) joins the class's set."""
        label, stored = stored_drawing(label, image)

        def work(s: Session) -> int:
            row = self._class_row(s, code)
            not_too_fast(s, DrawingRow, owner)
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
        return drawn_images(rows), np.array([r[1] for r in rows], np.int64), np.array([r[2] for r in rows], np.int64)

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
        """A teacher removes one drawing from the class's set; whether there was one."""
        def work(s: Session) -> bool:
            row = self._teacher_class(s, code, key)
            return s.execute(delete(DrawingRow).where(DrawingRow.id == int(drawing_id),
                                                      DrawingRow.class_id == row.id)).rowcount > 0
        return self._do(work)


def stored_drawing(label: int, image: np.ndarray) -> tuple[int, bytes]:
    """A drawing as stored: its label checked, its 28×28 pixels (0..1) as MNIST's uint8."""
    label = int(label)
    if not 0 <= label < N_CLASSES:
        raise NotAllowed(N_("A drawing's label is a digit from 0 to 9."))
    pixels = np.asarray(image, np.float32)
    if pixels.shape != (IMAGE_SIDE, IMAGE_SIDE) or not np.all(np.isfinite(pixels)):
        raise NotAllowed(N_("A drawing is 28×28 pixels."))
    return label, np.clip(np.rint(pixels * 255), 0, 255).astype(np.uint8).tobytes()


def drawn_images(rows) -> np.ndarray:
    """Stored drawings (rows whose first column is the image) as [n, 28, 28] float32 in 0..1."""
    return np.array([np.frombuffer(r[0], np.uint8) for r in rows], np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE) / 255


def not_too_fast(s: Session, table, owner: str) -> None:
    """At most `DRAWINGS_PER_MINUTE` drawings of one device a minute into `table` (a script cannot fill it)."""
    recent = s.scalar(select(func.count()).where(table.owner_hash == digest(owner),
                                                 table.created > now() - timedelta(minutes=1)))
    if recent >= DRAWINGS_PER_MINUTE:
        raise NotAllowed(later("At most {n} drawings a minute: wait a moment.", n=DRAWINGS_PER_MINUTE))
