"""What the class store keeps and for how long, on SQLite and on a real PostgreSQL server: a teacher deletes a
class and everything in it (and nothing of another class); records not used for the keeping time expire, with
the store's clock moved forward, and exactly those; two page servers expiring one database at once lose
nothing else."""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from sqlalchemy import func, select

from fcviz.store import expiry
from fcviz.store.database import NotAllowed
from fcviz.store.expiry import expire, keep_days
from fcviz.store.store import Store
from fcviz.store.tables import ClassOwnerRow, ClassRow, DrawingRow, MyDigitRow, RunRow
from fcviz_dev.postgres import new_database
from tests.test_store import a_run

DAY = timedelta(days=1)
IMAGE = np.full((28, 28), 0.5, np.float32)


class Clock:
    """A store's clock that tests move forward."""

    def __init__(self) -> None:
        self.at = datetime(2030, 1, 1, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(db_url, clock):
    s = Store(db_url, now=clock)
    yield s
    s.close()


def counts(store: Store) -> dict[str, int]:
    tables = (ClassRow, RunRow, DrawingRow, ClassOwnerRow, MyDigitRow)
    return store._do(lambda s: {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in tables})


def a_class(store: Store, name: str, teacher: str, students: tuple[str, ...]) -> tuple[str, str, list[str]]:
    """A class kept by `teacher`, a run and a drawing of each student in it."""
    code, key = store.create_class(name, owner=teacher)
    tokens = [store.save_run(a_run(), owner=f"{name}-{nick}", class_code=code, nickname=nick) for nick in students]
    for nick in students:
        store.add_drawing(code, f"{name}-{nick}", 3, IMAGE, nickname=nick)
    return code, key, tokens


def test_deleting_a_class_deletes_everything_in_it_and_nothing_of_another(store):
    code, key, tokens = a_class(store, "7b", "teacher-pc", ("Ann", "Bo", "Ann"))
    other, other_key, other_tokens = a_class(store, "7c", "teacher-pc", ("Cy",))
    store.keep_class("second-pc", code, key)  # the teacher link opened on another computer too
    own = store.save_run(a_run(), owner="7b-Ann")  # in no class: the student's own
    store.add_my_digit("7b-Ann", 1, IMAGE)
    before = counts(store)
    with pytest.raises(NotAllowed):
        store.delete_class(code, "not the key")
    with pytest.raises(NotAllowed):
        store.class_contents(code, other_key)
    contents = store.class_contents(code, key)
    assert (contents.runs, contents.drawings, contents.nicknames) == (3, 3, 2)  # Ann twice, Bo
    assert store.delete_class(code, key) == contents
    assert counts(store) == {"classes": before["classes"] - 1, "runs": before["runs"] - 3,
                             "drawings": before["drawings"] - 3, "class_owners": before["class_owners"] - 2,
                             "my_digits": before["my_digits"]}
    assert store.find_class(code) is None and not store.is_teacher(code, key)
    assert all(store.run(t) is None for t in tokens) and store.run(own) is not None
    assert [c.code for c in store.classes_of("teacher-pc")] == [other] and store.classes_of("second-pc") == []
    with pytest.raises(NotAllowed, match="no class with this code"):
        store.save_run(a_run(), owner="7b-Bo", class_code=code)
    assert [r.token for r in store.board(other, other_key)[1]] == other_tokens
    assert len(store.handwriting(other)[2]) == 1 and store.my_digits("7b-Ann")[1].tolist() == [1]


def test_what_is_not_used_for_the_keeping_time_expires_and_nothing_else(store, clock):
    start = clock.at
    old_code, _old_key, _ = a_class(store, "old", "old-pc", ("Ann",))
    old_run = store.save_run(a_run(), owner="gone-device")
    store.add_my_digit("gone-device", 2, IMAGE)
    clock.at = start + timedelta(minutes=1)  # a minute later: these stay a minute longer
    late_run = store.save_run(a_run(), owner="late-device")
    store.add_my_digit("late-device", 4, IMAGE)
    late_code, late_key, _ = a_class(store, "late", "late-pc", ("Bo",))

    clock.at = start + 30 * DAY - timedelta(seconds=1)  # the first records are one second short of 30 days
    assert expire(store, 30).rows == {}
    clock.at = start + 30 * DAY + timedelta(seconds=30)  # now past it; the others a minute before it
    done = expire(store, 30)
    assert done.rows == {"classes": 1, "runs": 2, "drawings": 1, "class_owners": 1, "my_digits": 1}
    assert store.find_class(old_code) is None and store.run(old_run) is None
    assert store.my_digits("gone-device")[1].tolist() == [] and store.classes_of("old-pc") == []
    assert store.find_class(late_code) is not None and store.run(late_run) is not None
    assert store.my_digits("late-device")[1].tolist() == [4]
    assert [c.code for c in store.classes_of("late-pc")] == [late_code]
    assert expire(store, 30).rows == {}  # again: nothing more

    clock.at += 29 * DAY  # used since: kept 30 days from then
    store.board(late_code, late_key)  # the teacher views the board: the class and its runs are used
    store.seen("late-device")  # a browser comes back: its runs, digits and classes are used
    store.seen("late-pc")
    clock.at += 29 * DAY
    assert expire(store, 30).rows == {}
    assert counts(store) == {"classes": 1, "runs": 2, "drawings": 1, "class_owners": 1, "my_digits": 1}
    clock.at += 2 * DAY  # the class's board not viewed for 31 days, nor the device seen: all of it goes
    assert expire(store, 30).rows == {"classes": 1, "runs": 2, "drawings": 1, "class_owners": 1, "my_digits": 1}
    assert counts(store) == dict.fromkeys(("classes", "runs", "drawings", "class_owners", "my_digits"), 0)


def test_a_record_used_is_marked_at_most_hourly_and_never_backwards(store, clock):
    token = store.save_run(a_run(), owner="d")

    def used() -> datetime:
        at = store._do(lambda s: s.scalar(select(RunRow.last_used).where(RunRow.token == token)))
        return at.replace(tzinfo=timezone.utc)  # (SQLite gives it back without its zone)

    assert used() == clock.at
    clock.at += timedelta(minutes=30)
    store.run(token)  # opened by its link
    opened = clock.at
    assert used() == opened
    clock.at += timedelta(minutes=59)
    store.run(token)
    assert used() == opened  # within the hour: not written again
    clock.at += timedelta(minutes=2)
    store.run(token)
    assert used() == clock.at
    clock.at -= timedelta(days=1)  # another server whose clock is behind: never back in time
    store._touched = type(store._touched)(10)
    store.run(token)
    assert used() == clock.at + timedelta(days=1)


def test_expiry_deletes_in_small_transactions(store, clock, monkeypatch):
    monkeypatch.setattr(expiry, "BATCH", 3)
    a_class(store, "big", "pc", ("A", "B", "C", "D"))
    for i in range(5):
        store.save_run(a_run(), owner=f"own-{i}")
    clock.at += 31 * DAY
    done = expire(store, 30)
    assert done.rows == {"runs": 9, "drawings": 4, "class_owners": 1, "classes": 1}
    assert done.transactions >= 5  # 9 rows of the class, 3 at a time, then 5 runs of devices, 3 at a time
    assert counts(store)["runs"] == 0


def test_two_page_servers_expiring_one_postgresql_at_once_lose_nothing_else(postgres_server, clock, monkeypatch):
    db_url = new_database(postgres_server, "two_servers_expiring")  # several page servers share PostgreSQL only
    monkeypatch.setattr(expiry, "BATCH", 7)
    monkeypatch.setattr(expiry, "CLASSES_PER_BATCH", 2)
    first, second = Store(db_url, now=clock), Store(db_url, now=clock)
    try:
        old = [a_class(first, f"old{i}", f"pc{i}", ("A", "B", "C")) for i in range(6)]
        for i in range(40):
            first.save_run(a_run(), owner=f"old-{i % 4}")
            first.add_my_digit(f"digits-{i}", 1, IMAGE)
        clock.at += 31 * DAY
        kept = [a_class(first, f"new{i}", f"pc{i}", ("A", "B")) for i in range(3)]
        kept_runs = [first.save_run(a_run(), owner=f"old-{i % 4}") for i in range(8)]
        first.add_my_digit("digits-1", 5, IMAGE)  # the device is back: its older digits are used too
        before = counts(first)
        results, errors = [], []

        def run(s: Store) -> None:
            try:
                results.append(expire(s, 30))
            except Exception as e:  # noqa: BLE001 (reported below)
                errors.append(e)

        threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == [] and len(results) == 2
        deleted = {t: sum(r.rows.get(t, 0) for r in results) for t in before}
        assert deleted == {"classes": 6, "runs": 6 * 3 + 40, "drawings": 6 * 3, "class_owners": 6,
                           "my_digits": 39}  # each row deleted once, by one server or the other
        assert counts(first) == {t: before[t] - deleted[t] for t in before}
        assert all(first.find_class(code) is None for code, _, _ in old)
        for code, key, tokens in kept:
            assert [r.token for r in first.board(code, key)[1]] == tokens[::-1] and len(first.handwriting(code)[2]) == 2
        assert all(second.run(t) is not None for t in kept_runs)
        assert first.my_digits("digits-1")[1].tolist() == [1, 5]
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("value, days", [(None, 30), ("", 30), ("7", 7), (" 365 ", 365), ("1", 1), ("3650", 3650),
                                         ("0", 30), ("3651", 30), ("-5", 30), ("a week", 30), ("2.5", 30)])
def test_the_keeping_time_is_read_from_the_environment_and_bad_values_give_the_default(value, days, caplog):
    environ = {} if value is None else {"FCVIZ_KEEP_DAYS": value}
    with caplog.at_level(logging.WARNING, logger="fcviz"):
        assert keep_days(environ) == days
    warned = days == 30 and value not in (None, "")
    assert ("FCVIZ_KEEP_DAYS" in caplog.text) == warned


def test_the_board_as_csv_is_the_boards_table_with_each_runs_data_and_settings(store):
    from io import BytesIO

    import pandas as pd

    from fcviz.store.board import board_csv, board_table

    code, key = store.create_class("c")
    store.save_run(a_run(0.91), owner="a", class_code=code, nickname="=HYPERLINK(\"x\")")
    store.save_run(a_run(0.5), owner="b", class_code=code, nickname="Bo")
    runs = store.board(code, key)[1]
    for names in (False, True):
        table = board_table(runs, names, {runs[0].token: 0.625})
        csv = pd.read_csv(BytesIO(board_csv(runs, names, {runs[0].token: 0.625})), encoding="utf-8-sig")
        assert list(csv.columns) == [*table.columns, "data set", "test loss", "setting units"]
        assert list(csv["test accuracy"]) == [50.0, 91.0] and list(csv["gap (points)"]) == [45.0, 4.0]
        assert csv["our handwriting"][0] == 62.5 and np.isnan(csv["our handwriting"][1])
        assert list(csv["data set"]) == ["sample", "sample"] and list(csv["setting units"]) == [128, 128]
        assert all(pd.Timestamp(t).tzinfo is not None for t in csv["ended"])
        assert list(csv["student"]) == (["Bo", "'=HYPERLINK(\"x\")"] if names else ["student 2", "student 1"])
    assert b"Bo" not in board_csv(runs, False) and board_csv([], True).startswith("\ufeff".encode())


def test_with_names_hidden_a_students_runs_are_one_student(store):
    from fcviz.store.board import students

    code, key = store.create_class("c")
    for nickname in ("Ann", "Bo", "Ann"):
        store.save_run(a_run(0.9), owner=nickname, class_code=code, nickname=nickname)
    runs = store.board(code, key)[1]  # newest first: Ann, Bo, Ann
    assert students(runs, names=False) == ["student 1", "student 2", "student 1"]
    assert students(runs, names=True) == ["Ann", "Bo", "Ann"]
    store.save_run(a_run(0.9), owner="Cy", class_code=code, nickname="Cy")
    store.save_run(a_run(0.9), owner="Bo", class_code=code, nickname="Bo")
    # runs arriving keep every student's number (a projected board's "student 2" stays Bo's)
    assert students(store.board(code, key)[1], names=False) == ["student 2", "student 3", "student 1", "student 2",
                                                                "student 1"]
