"""A teacher's classes on a device: a class the device created, or opened by its teacher link, is kept for
that device, so its board opens there by itself (after a reload, the next day) and the device lists its
classes. The teacher key is kept sealed with the device's token, which the store never keeps (only its
digest): the device gets the key back to open the board and show its links; a leaked database opens nothing."""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fcviz.store.classes import NOT_TEACHER, ClassInfo, clean_code
from fcviz.store.database import NotAllowed, digest
from fcviz.store.runs import RunRecords, RunSummary
from fcviz.store.tables import ClassOwnerRow, ClassRow

CLASSES_PER_OWNER = 50  # a device's classes kept: the ones opened longest ago go first (their links still work)


def _pad(owner: str, code: str, n: int) -> bytes:
    """The device's own n bytes for one class's key: only the device's token makes them."""
    if n > hashlib.sha256().digest_size:
        raise NotAllowed(NOT_TEACHER)  # keys are `new_token()`s, 32 characters: never longer
    return hmac.new(owner.encode(), b"fcviz teacher key\0" + code.encode(), hashlib.sha256).digest()[:n]


def _padded(owner: str, code: str, raw: bytes) -> bytes:
    """`raw` XOR the device's pad for this class: sealing and unsealing are the same step."""
    return bytes(a ^ b for a, b in zip(raw, _pad(owner, code, len(raw))))


def seal(owner: str, code: str, key: str) -> str:
    """A teacher key as the device keeps it in the store: unreadable without the device's token."""
    return _padded(owner, code, key.encode()).hex()


def unseal(owner: str, code: str, sealed: str) -> str:
    """The teacher key a device kept (`seal` undone with the device's token)."""
    return _padded(owner, code, bytes.fromhex(sealed)).decode(errors="replace")


class ClassOwnerRecords(RunRecords):
    """The classes each device keeps: created there, or opened there by the teacher link."""

    def create_class(self, name: str, owner: str | None = None) -> tuple[str, str]:
        """A new class (its code and teacher key), kept for device `owner` when one is given."""
        code, key = super().create_class(name)
        if owner:
            self.keep_class(owner, code, key)
        return code, key

    def keep_class(self, owner: str, code: str, key: str) -> ClassInfo:
        """Keep a class for a device, as the one it opened last; its teacher key must open it (NotAllowed, in
        the same words as a wrong link, otherwise). Beyond `CLASSES_PER_OWNER` the longest unopened go."""
        def work(s: Session) -> ClassInfo:
            row = self._teacher_class(s, code, key)
            kept = s.scalar(select(ClassOwnerRow).where(ClassOwnerRow.owner_hash == digest(owner),
                                                        ClassOwnerRow.class_id == row.id))
            if kept is None:
                s.add(ClassOwnerRow(owner_hash=digest(owner), class_id=row.id, sealed_key=seal(owner, row.code, key),
                                    opened=self.now(), last_used=self.now()))
            else:
                kept.opened = kept.last_used = self.now()
            s.flush()
            old = s.scalars(select(ClassOwnerRow.id).where(ClassOwnerRow.owner_hash == digest(owner))
                            .order_by(ClassOwnerRow.opened.desc(), ClassOwnerRow.id.desc())
                            .offset(CLASSES_PER_OWNER)).all()
            if old:
                s.execute(delete(ClassOwnerRow).where(ClassOwnerRow.id.in_(old)))
            return ClassInfo(row.code, row.name)
        return self._do(work)

    def classes_of(self, owner: str) -> list[ClassInfo]:
        """A device's classes, the one it opened last first."""
        return self._do(lambda s: [ClassInfo(code, name) for code, name in s.execute(
            select(ClassRow.code, ClassRow.name).join(ClassOwnerRow, ClassOwnerRow.class_id == ClassRow.id)
            .where(ClassOwnerRow.owner_hash == digest(owner))
            .order_by(ClassOwnerRow.opened.desc(), ClassOwnerRow.id.desc()))])

    def _kept(self, s: Session, owner: str, code: str) -> tuple[ClassOwnerRow, str]:
        """The device's record of a class and the class's teacher key, or NotAllowed if the device keeps none."""
        found = s.execute(select(ClassOwnerRow, ClassRow.code).join(ClassRow, ClassOwnerRow.class_id == ClassRow.id)
                          .where(ClassOwnerRow.owner_hash == digest(owner),
                                 ClassRow.code == clean_code(code))).first()
        if found is None:
            raise NotAllowed(NOT_TEACHER)
        kept, kept_code = found
        return kept, unseal(owner, kept_code, kept.sealed_key)

    def open_own_class(self, owner: str, code: str) -> str:
        """A device opens one of its classes: its teacher key (for the board and the teacher link), and the
        class becomes the one it opened last. NotAllowed if the device does not keep this class."""
        def work(s: Session) -> str:
            kept, key = self._kept(s, owner, code)
            kept.opened = kept.last_used = self.now()
            return key
        return self._do(work)

    def board_of(self, owner: str, code: str) -> tuple[ClassInfo, list[RunSummary]]:
        """The board of one of the device's classes, opened by the device alone (NotAllowed if it keeps none)."""
        return self.board(code, self._do(lambda s: self._kept(s, owner, code)[1]))
