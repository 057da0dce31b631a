"""The class store on SQLite and on a real PostgreSQL server: classes, runs, the class's handwriting,
the limits, and what a wrong code, token or key gets."""
from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from fcviz.store import class_owners, drawings, handwriting, runs
from fcviz.store.class_owners import unseal
from fcviz.store.database import MIGRATIONS, NotAllowed, StoreUnavailable, digest
from fcviz.store.runs import NewRun
from fcviz.store.store import Store
from fcviz.store.tables import Base


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def a_run(accuracy: float = 0.9, label: str = "784-128-10 relu") -> NewRun:
    return NewRun(label=label, network="784-128-10", params=101_770, data="sample", state="finished",
                  settings={"units": "128"}, epochs=[{"epoch": 1, "loss": 0.5, "accuracy": 0.85, "test_loss": 0.4,
                                                      "test_accuracy": accuracy, "seconds": 1.0, "learning_rate": 1e-3}],
                  batches=[[0.5, 1.2, 0.6], [1.0, 0.5, 0.85]], train_accuracy=0.95, test_accuracy=accuracy,
                  test_loss=0.4, confusion=np.eye(10, dtype=int).tolist(), predictions=np.arange(1000) % 10,
                  model=b"PK\x03\x04 model bytes")


def test_the_migrations_make_exactly_the_tables_the_code_uses(store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_a_saved_run_comes_back_whole_by_its_token_and_only_by_it(store):
    token = store.save_run(a_run(), owner="device-a", nickname="Ann")
    assert len(token) >= 32  # 24 random bytes: 192 bits
    saved = store.run(token)
    assert saved.summary.test_accuracy == 0.9 and saved.summary.nickname == "Ann"
    assert saved.summary.epochs[0]["test_accuracy"] == 0.9 and saved.batches[1] == [1.0, 0.5, 0.85]
    assert saved.model == b"PK\x03\x04 model bytes" and saved.confusion[3][3] == 1
    assert np.array_equal(saved.predictions, np.arange(1000) % 10)
    assert saved.summary.gap == pytest.approx(0.05)
    assert store.run(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.run("") is None


def test_a_device_sees_and_deletes_only_its_own_runs_newest_first(store):
    first = store.save_run(a_run(0.8), owner="device-a")
    second = store.save_run(a_run(0.9), owner="device-a")
    store.save_run(a_run(0.7), owner="device-b")
    assert [r.token for r in store.runs_of("device-a")] == [second, first]
    assert not store.delete_run("device-b", first)  # not theirs
    assert store.delete_run("device-a", first)
    assert [r.token for r in store.runs_of("device-a")] == [second] and store.run(first) is None


def test_a_device_keeps_its_newest_runs_only(store, monkeypatch):
    monkeypatch.setattr(runs, "RUNS_PER_OWNER", 3)
    tokens = [store.save_run(a_run(), owner="device-a") for _ in range(5)]
    assert [r.token for r in store.runs_of("device-a")] == tokens[::-1][:3]


def test_the_board_needs_the_teacher_key_and_shows_the_class_runs(store):
    code, key = store.create_class("  Class 7b \n")
    other_code, _ = store.create_class("7c")
    assert len(code) == 6 and code != other_code and store.find_class(code.lower()).name == "Class 7b"
    ann = store.save_run(a_run(0.91), owner="device-a", class_code=code, nickname="Ann")
    store.save_run(a_run(0.5), owner="device-c", class_code=other_code, nickname="Cy")
    store.save_run(a_run(0.6), owner="device-d")  # in no class
    info, runs = store.board(code, key)
    assert info.code == code and [(r.nickname, r.test_accuracy) for r in runs] == [("Ann", 0.91)]
    assert store.run(ann).class_code == code
    for wrong_code, wrong_key in ((code, key[:-1]), (other_code, key), ("ZZZZZZ", key)):
        with pytest.raises(NotAllowed) as e:
            store.board(wrong_code, wrong_key)
        assert str(e.value) == "This teacher link is not valid."  # no hint which part was wrong
        assert not store.is_teacher(wrong_code, wrong_key)
    assert store.is_teacher(code, key)
    with pytest.raises(NotAllowed):
        store.remove_run(code, "not the key", ann)
    assert store.remove_run(code, key, ann) and store.board(code, key)[1] == []


def test_the_board_writes_each_runs_settings_in_its_readers_language_whoever_trained_it(store):
    """A Chinese student's run on an English board read `784-128-10 relu，adam 学习率 0.001，…` (its label is saved in
    the trainer's language): the settings column is made again for the reader, from the run's saved settings."""
    from fcviz import i18n
    from fcviz.store.board import board_table, column

    code, key = store.create_class("c")
    settings = {"units": "64", "opt": "sgd", "lr": "0.1", "n_train": "1000", "decay": "0.5"}
    for label, tuned in (("#1 784-64-10 relu，sgd 学习率 0.1，训练集 1,000", 0), ("#2 anything", 12)):
        store.save_run(replace(a_run(), label=label, settings=settings, tuned_on=tuned), owner="d", class_code=code)
    runs = store.board(code, key)[1]  # newest first
    assert [r.tuned_on for r in runs] == [12, 0]
    english = list(board_table(runs, names=False)[column("settings")])  # (the network has a column of its own)
    assert english == ["relu, sgd lr 0.1, 1,000 train, decay 0.5/epoch, fine-tuned on 12 drawings",
                       "relu, sgd lr 0.1, 1,000 train, decay 0.5/epoch"]
    assert list(board_table(runs, names=False).columns)[-1] == column("settings")  # the long line last: it may scroll
    i18n.use("zh")
    try:
        chinese = list(board_table(runs, names=False)[column("settings")])
    finally:
        i18n.use(None)
    assert chinese[1].startswith("relu，sgd 学习率 0.1") and "12" in chinese[0] and chinese[0] != english[0]
    store.save_run(replace(a_run(), label="#3 old words", settings={"units": "not a number"}), owner="d",
                   class_code=code)
    assert board_table(store.board(code, key)[1], names=False)[column("settings")][0] == "old words"  # as saved


def test_my_runs_name_each_run_in_the_readers_language_with_its_number(store):
    """A student who trained in Chinese and switched to English read My runs' older lines in Chinese (their saved
    labels): each is made again in the reader's language, under the number it had."""
    from fcviz import i18n
    from fcviz.store.labels import label_of

    settings = {"units": "64", "opt": "sgd", "lr": "0.1", "n_train": "1000"}
    store.save_run(replace(a_run(), label="#4 784-64-10 relu，sgd 学习率 0.1，训练集 1,000", settings=settings), owner="d")
    store.save_run(replace(a_run(), label="no number", settings=settings), owner="d")
    unnumbered, numbered = store.runs_of("d")  # newest first
    assert label_of(numbered) == "#4 784-64-10 relu, sgd lr 0.1, 1,000 train"
    assert label_of(unnumbered) == "784-64-10 relu, sgd lr 0.1, 1,000 train"
    i18n.use("zh")
    try:
        assert label_of(numbered) == "#4 784-64-10 relu，sgd 学习率 0.1，训练集 1,000"
    finally:
        i18n.use(None)


def test_a_run_for_a_class_that_does_not_exist_is_refused(store):
    with pytest.raises(NotAllowed, match="no class with this code"):
        store.save_run(a_run(), owner="device-a", class_code="QQQQQQ")
    assert store.find_class("QQQQQQ") is None and store.find_class("<script>") is None


def test_nicknames_are_one_line_of_plain_text_at_most_24_characters(store):
    code, key = store.create_class("c")
    store.save_run(a_run(), owner="d", class_code=code, nickname="**Bold** <b>x</b>\n\n" + "y" * 40)
    (run,) = store.board(code, key)[1]
    assert run.nickname == "**Bold** <b>x</b> yyyyyy" and len(run.nickname) == 24


def test_the_class_handwriting_set_keeps_labelled_drawings_within_limits(store, monkeypatch):
    code, key = store.create_class("c")
    seven = np.zeros((28, 28), np.float32)
    seven[5:7, 8:20], seven[7:22, 17:19] = 1.0, 0.5
    first = store.add_drawing(code, "device-a", 7, seven, nickname="Ann")
    store.add_drawing(code, "device-b", 1, np.full((28, 28), 0.25, np.float32))
    images, labels, ids = store.handwriting(code)
    assert labels.tolist() == [1, 7] and ids.tolist()[1] == first
    assert np.allclose(images[1], seven, atol=1 / 255) and images.dtype == np.float32
    for label, image, words in ((10, seven, "digit from 0 to 9"), (3, np.zeros((27, 28)), "28×28"),
                                (3, np.full((28, 28), np.nan), "28×28")):
        with pytest.raises(NotAllowed, match=words):
            store.add_drawing(code, "device-a", label, image)
    with pytest.raises(NotAllowed, match="no class"):
        store.add_drawing("QQQQQQ", "device-a", 1, seven)
    monkeypatch.setattr(drawings, "DRAWINGS_PER_MINUTE", 2)
    store.add_drawing(code, "device-a", 3, seven)
    with pytest.raises(NotAllowed, match="a minute"):
        store.add_drawing(code, "device-a", 4, seven)
    store.add_drawing(code, "device-c", 4, seven)  # another student still can
    monkeypatch.setattr(drawings, "DRAWINGS_PER_CLASS", 4)
    with pytest.raises(NotAllowed, match="full"):
        store.add_drawing(code, "device-d", 5, seven)
    with pytest.raises(NotAllowed):
        store.remove_drawing(code, "not the key", first)
    assert store.remove_drawing(code, key, first) and first not in store.handwriting(code)[2]


def test_my_digits_are_a_devices_own_kept_newest_and_forgotten_on_request(store, monkeypatch):
    monkeypatch.setattr(handwriting, "MAX_OWN", 3)
    digits = [np.full((28, 28), v, np.float32) for v in (0.1, 0.2, 0.3, 0.4)]
    for label, image in zip((7, 1, 7, 2), digits):
        store.add_my_digit("device-a", label, image)
    store.add_my_digit("device-b", 5, digits[0])
    images, labels = store.my_digits("device-a")
    assert labels.tolist() == [1, 7, 2]  # oldest first; beyond 3 the oldest went
    assert np.allclose(images[:, 0, 0], [0.2, 0.3, 0.4], atol=1 / 255) and images.shape == (3, 28, 28)
    assert store.my_digits("device-b")[1].tolist() == [5] and store.my_digits("nobody")[1].tolist() == []
    with pytest.raises(NotAllowed, match="digit from 0 to 9"):
        store.add_my_digit("device-a", -1, digits[0])
    with pytest.raises(NotAllowed, match="28×28"):
        store.add_my_digit("device-a", 1, np.zeros((28, 29)))
    monkeypatch.setattr(drawings, "DRAWINGS_PER_MINUTE", 3)  # the three kept were added this minute
    with pytest.raises(NotAllowed, match="a minute"):
        store.add_my_digit("device-a", 3, digits[0])
    assert store.forget_my_digits("device-a") == 3
    assert store.my_digits("device-a")[1].tolist() == [] and store.my_digits("device-b")[1].tolist() == [5]


def test_what_was_saved_is_there_after_the_store_is_opened_again(db_url):
    before = Store(db_url)
    code, key = before.create_class("c")
    token = before.save_run(a_run(0.93), owner="d", class_code=code)
    before.close()
    after = Store(db_url)  # migrating an up-to-date database changes nothing
    try:
        assert after.run(token).summary.test_accuracy == 0.93 and after.is_teacher(code, key)
    finally:
        after.close()


def test_a_database_that_cannot_be_reached_is_reported_quickly():
    start = time.monotonic()
    with pytest.raises(StoreUnavailable, match="cannot be opened"):
        Store("postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert time.monotonic() - start < 30


def test_every_run_is_tested_on_the_class_handwriting(store):
    from fcviz.net.forward import DenseWeights
    from fcviz.store import handwriting

    always_seven = [DenseWeights("out", np.zeros((784, 10), np.float32), np.eye(10, dtype=np.float32)[7], "softmax")]
    code, _ = store.create_class("c")
    with_weights = store.save_run(replace(a_run(), weights=handwriting.pack(always_seven)), "d", class_code=code)
    without = store.save_run(a_run(), "d", class_code=code)  # saved before runs kept their weights
    assert store.handwriting_scores(code, [with_weights, without]) == {}  # no drawings yet
    for owner, label in (("a", 7), ("b", 7), ("c", 1), ("e", 7)):
        store.add_drawing(code, owner, label, np.zeros((28, 28), np.float32))
    assert store.handwriting_scores(code, [with_weights, without]) == {with_weights: 0.75}
    store.add_drawing(code, "f", 2, np.zeros((28, 28), np.float32))  # the set changed: measured again
    assert store.handwriting_scores(code, [with_weights]) == {with_weights: 0.6}
    assert [layer.activation for layer in handwriting.unpack(handwriting.pack(always_seven))] == ["softmax"]


def test_a_device_keeps_the_classes_it_created_or_opened_and_only_it_opens_them_alone(store):
    mine, my_key = store.create_class("7b", owner="teacher-pc")
    linked, linked_key = store.create_class("7c")  # made elsewhere: its teacher link opens it here
    assert [c.code for c in store.classes_of("teacher-pc")] == [mine]
    assert store.keep_class("teacher-pc", linked.lower(), linked_key).name == "7c"
    assert [c.name for c in store.classes_of("teacher-pc")] == ["7c", "7b"]  # the one opened last first
    assert store.open_own_class("teacher-pc", mine) == my_key  # the key back, for the board and its links
    assert [c.code for c in store.classes_of("teacher-pc")] == [mine, linked]  # a reload opens it again
    ann = store.save_run(a_run(0.91), owner="student", class_code=mine, nickname="Ann")
    info, runs = store.board_of("teacher-pc", mine)
    assert info.name == "7b" and [r.token for r in runs] == [ann]
    for device, code in (("student", mine), ("other-pc", linked), ("teacher-pc", "ZZZZZZ")):
        for opening in (store.board_of, store.open_own_class):
            with pytest.raises(NotAllowed, match="This teacher link is not valid."):
                opening(device, code)
    with pytest.raises(NotAllowed):  # a code alone keeps nothing: the key must open the class
        store.keep_class("other-pc", mine, linked_key)
    assert store.classes_of("other-pc") == [] and store.classes_of("student") == []
    store.keep_class("teacher-pc", linked, linked_key)  # opened again: kept once
    assert [c.code for c in store.classes_of("teacher-pc")] == [linked, mine]


def test_a_teacher_key_is_kept_only_sealed_with_the_devices_token(store):
    code, key = store.create_class("c", owner="teacher-pc")
    with store.engine.connect() as conn:
        (owner_hash, sealed), = conn.execute(text("SELECT owner_hash, sealed_key FROM class_owners")).all()
    assert owner_hash == digest("teacher-pc") and key not in sealed and "teacher-pc" not in sealed
    assert unseal("teacher-pc", code, sealed) == key and unseal("other-pc", code, sealed) != key


def test_a_device_keeps_its_last_opened_classes_only(store, monkeypatch):
    monkeypatch.setattr(class_owners, "CLASSES_PER_OWNER", 2)
    codes = [store.create_class(f"c{i}", owner="teacher-pc")[0] for i in range(3)]
    assert [c.code for c in store.classes_of("teacher-pc")] == codes[::-1][:2]


def test_the_migration_adds_the_devices_classes_to_a_database_of_the_previous_version(db_url):
    engine = create_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(text("INSERT INTO classes (code, key_hash, name, created) VALUES "
                          "('ABCDEF', :h, 'old class', CURRENT_TIMESTAMP)"), {"h": digest("old-key")})
    assert "class_owners" not in inspect(engine).get_table_names()
    engine.dispose()
    upgraded = Store(db_url)
    try:
        assert upgraded.is_teacher("ABCDEF", "old-key") and upgraded.classes_of("teacher-pc") == []
        assert upgraded.keep_class("teacher-pc", "ABCDEF", "old-key").name == "old class"
        assert upgraded.open_own_class("teacher-pc", "ABCDEF") == "old-key"
    finally:
        upgraded.close()
    with engine.begin() as conn:  # and it goes back down cleanly
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    assert "class_owners" not in inspect(engine).get_table_names()
    engine.dispose()


def test_the_migration_gives_every_record_of_the_previous_version_a_last_use_and_goes_back(db_url):
    engine = create_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    then = "2024-03-01 10:00:00"
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        conn.execute(text("INSERT INTO classes (code, key_hash, name, created) VALUES ('ABCDEF', :h, 'old', :t)"),
                     {"h": digest("old-key"), "t": then})
        conn.execute(text("INSERT INTO class_owners (owner_hash, class_id, sealed_key, opened) "
                          "SELECT :o, id, 'ab', :t FROM classes"), {"o": digest("pc"), "t": then})
        conn.execute(text("INSERT INTO my_digits (owner_hash, label, image, created) VALUES (:o, 1, :i, :t)"),
                     {"o": digest("pc"), "i": bytes(784), "t": then})
        conn.execute(text("INSERT INTO runs (token, owner_hash, class_id, nickname, label, network, params, data, "
                          "state, settings, epochs, batches, train_accuracy, test_accuracy, test_loss, confusion, "
                          "predictions, model, created) SELECT 'T', :o, id, 'Ann', 'l', 'n', 1, 'sample', "
                          "'finished', '{}', '[]', '[]', 0.9, 0.8, 0.5, '[]', :b, :b, :t FROM classes"),
                     {"o": digest("pc"), "b": b"x", "t": then})
    assert "last_used" not in {c["name"] for c in inspect(engine).get_columns("classes")}
    engine.dispose()
    upgraded = Store(db_url)
    try:
        with upgraded.engine.connect() as conn:
            for table in ("classes", "class_owners", "runs", "my_digits"):  # none lost, every one kept
                (used,) = conn.execute(text(f"SELECT last_used FROM {table}")).one()
                assert str(used).startswith("2024-03-01 10:00:00"), table  # last used when it was made
        assert upgraded.open_own_class("pc", "ABCDEF")  # and used from now on
    finally:
        upgraded.close()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    for table in ("classes", "class_owners", "runs", "my_digits"):
        assert "last_used" not in {c["name"] for c in inspect(engine).get_columns(table)}, table
    with engine.connect() as conn:
        assert conn.execute(text("SELECT code FROM classes")).scalars().all() == ["ABCDEF"]
    engine.dispose()
