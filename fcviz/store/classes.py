"""Classes: a teacher makes one (a code for students, a key for the board) and opens its board."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, union
from sqlalchemy.orm import Session

from fcviz.i18n import N_
from fcviz.store.database import Database, NotAllowed, digest, new_token
from fcviz.store.tables import CLASS_NAME_LENGTH, CODE_LENGTH, ClassOwnerRow, ClassRow, DrawingRow, RunRow

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed
NOT_TEACHER = N_("This teacher link is not valid.")  # the same words for a wrong code and a wrong key
NO_CLASS = N_("There is no class with this code.")


def clean_code(code: str) -> str:
    """A class code as typed (any case, spaces, look-alike letters dropped) in the form it is kept."""
    return "".join(ch for ch in str(code).upper() if ch in CODE_ALPHABET)[:CODE_LENGTH]


@dataclass(frozen=True)
class ClassInfo:
    """A class as pages show it: its code and its name."""

    code: str
    name: str


@dataclass(frozen=True)
class ClassContents:
    """What deleting a class deletes: its runs, its drawings, and the nicknames they were made under."""

    runs: int
    drawings: int
    nicknames: int


# every table whose rows belong to one class: deleting the class (or its expiry) deletes them first
CLASS_TABLES = (RunRow, DrawingRow, ClassOwnerRow)


class ClassRecords(Database):
    """The store's classes, and the checks every other record makes against a class."""

    def create_class(self, name: str) -> tuple[str, str]:
        """A new class: its code (for students) and its teacher key (for the board)."""
        key = new_token()
        name = " ".join(str(name).split())[:CLASS_NAME_LENGTH] or "My class"

        def work(s: Session) -> str:
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if s.scalar(select(ClassRow.id).where(ClassRow.code == code)) is None:
                    s.add(ClassRow(code=code, key_hash=digest(key), name=name, last_used=self.now()))
                    return code
        return self._do(work), key

    def find_class(self, code: str) -> ClassInfo | None:
        """The class a code opens, or None: a student joining by code."""
        def work(s: Session) -> ClassInfo | None:
            try:
                row = self._class_row(s, code)
            except NotAllowed:
                return None
            return ClassInfo(row.code, row.name)
        return self._do(work)

    def _class_row(self, s: Session, code: str) -> ClassRow:
        """The class's row (the class is used), or NotAllowed(NO_CLASS)."""
        row = s.scalar(select(ClassRow).where(ClassRow.code == clean_code(code)))
        if row is None:
            raise NotAllowed(NO_CLASS)
        self._touch(s, ClassRow, row.id, ClassRow.id == row.id)
        return row

    def _teacher_class(self, s: Session, code: str, key: str) -> ClassRow:
        """The class's row if `key` is its teacher key (the class is used), else NotAllowed (the same words for
        both mistakes)."""
        row = s.scalar(select(ClassRow).where(ClassRow.code == clean_code(code)))
        if row is None or not hmac.compare_digest(row.key_hash, digest(str(key))):
            raise NotAllowed(NOT_TEACHER)
        self._touch(s, ClassRow, row.id, ClassRow.id == row.id)
        return row

    def class_contents(self, code: str, key: str) -> ClassContents:
        """What deleting the class would delete (NotAllowed for a wrong key)."""
        return self._do(lambda s: _contents(s, self._teacher_class(s, code, key).id))

    def delete_class(self, code: str, key: str) -> ClassContents:
        """The teacher deletes the class and everything in it, in one transaction: its runs, its drawings, the
        devices' records of it; its code then opens nothing. What it deleted (NotAllowed for a wrong key)."""
        def work(s: Session) -> ClassContents:
            class_id = self._teacher_class(s, code, key).id
            contents = _contents(s, class_id)
            for table in CLASS_TABLES:
                s.execute(delete(table).where(table.class_id == class_id))
            s.execute(delete(ClassRow).where(ClassRow.id == class_id))
            return contents
        return self._do(work)

    def is_teacher(self, code: str, key: str) -> bool:
        """Whether a teacher link (code and key) opens the class's board."""
        try:
            self._do(lambda s: self._teacher_class(s, code, key))
        except NotAllowed:
            return False
        return True


def _contents(s: Session, class_id: int) -> ClassContents:
    """The class's runs, drawings and the distinct nicknames they were made under."""
    count = {t: s.scalar(select(func.count()).where(t.class_id == class_id)) for t in (RunRow, DrawingRow)}
    names = union(*(select(t.nickname).where(t.class_id == class_id, t.nickname != "")
                    for t in (RunRow, DrawingRow))).subquery()
    return ClassContents(count[RunRow], count[DrawingRow], s.scalar(select(func.count()).select_from(names)))
