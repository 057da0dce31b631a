"""My digits: a device's own labelled drawings, kept for fine-tuning across reloads and restarts."""
from __future__ import annotations

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fcviz.store import handwriting
from fcviz.store.database import Database, digest
from fcviz.store.drawings import drawn_images, not_too_fast, stored_drawing
from fcviz.store.tables import MyDigitRow


class MyDigitRecords(Database):
    """A device's own digits: the newest `handwriting.MAX_OWN`, at most so many a minute."""

    def add_my_digit(self, owner: str, label: int, image: np.ndarray) -> None:
        """A labelled drawing joins the device's own digits; beyond `handwriting.MAX_OWN` the oldest go."""
        label, stored = stored_drawing(label, image)

        def work(s: Session) -> None:
            not_too_fast(s, MyDigitRow, owner)
            self._touch(s, MyDigitRow, ("device", digest(owner)), MyDigitRow.owner_hash == digest(owner))
            s.add(MyDigitRow(owner_hash=digest(owner), label=label, image=stored, last_used=self.now()))
            s.flush()
            old = s.scalars(select(MyDigitRow.id).where(MyDigitRow.owner_hash == digest(owner))
                            .order_by(MyDigitRow.id.desc()).offset(handwriting.MAX_OWN)).all()
            if old:
                s.execute(delete(MyDigitRow).where(MyDigitRow.id.in_(old)))
        self._do(work)

    def my_digits(self, owner: str) -> tuple[np.ndarray, np.ndarray]:
        """The device's own digits, oldest first: images [n, 28, 28] float32 in 0..1, labels [n]."""
        def work(s: Session):
            self._touch(s, MyDigitRow, ("device", digest(owner)), MyDigitRow.owner_hash == digest(owner))
            return s.execute(select(MyDigitRow.image, MyDigitRow.label).where(MyDigitRow.owner_hash == digest(owner))
                             .order_by(MyDigitRow.id)).all()
        rows = self._do(work)
        return drawn_images(rows), np.array([r[1] for r in rows], np.int64)

    def forget_my_digits(self, owner: str) -> int:
        """Delete the device's own digits; how many there were."""
        return self._do(lambda s: s.execute(delete(MyDigitRow).where(MyDigitRow.owner_hash == digest(owner))).rowcount)
