"""The Class page through AppTest: a teacher creates a class, a student joins it with the code and a
nickname and trains, the board shows the run; wrong codes and keys get a clear message and no hint."""
import re

import numpy as np
import pandas as pd
from streamlit import dataframe_util

from fcviz.data.loading import load_dataset
from fcviz.lessons.finetune import held_out
from fcviz.net.robustness import shifted
from fcviz.store.board import column
from fcviz.store.classes import NO_CLASS, NOT_TEACHER
from fcviz_dev import apptest
from fcviz_dev.apptest import button, metric, run_until, shared_links
from ui import keys
from ui import store as ui_store
from ui.text import plain

CLASS_PAGE = "pages/class.py"


def create_class(open_app, name: str = "Group 7b"):
    at = open_app(CLASS_PAGE)
    at.text_input(key=keys.CLASS_NAME).set_value(name)
    button(at, "Create a class").click()
    at.run()
    assert not at.exception
    code, key = at.session_state[keys.TEACHER]
    return at, code, key


def join(open_app, code: str, nick: str):
    at = open_app(None, {"class": code})
    assert any(f"To join class {code}, give a nickname" in i.value for i in at.info)  # where the form is
    assert at.query_params["class"] == code  # a reload before joining still offers the class
    at.text_input(key=keys.CLASS_NICK).set_value(nick)
    at.button(key=keys.CLASS_JOIN).click()
    at.run()
    assert not at.exception
    return at


def train_briefly(student) -> None:
    """One epoch on 500 digits, until the run is saved (its private link shows)."""
    student.switch_page("pages/train.py").run()
    student.select_slider(key="train_size").set_value(500)
    student.slider(key="train_epochs").set_value(1)
    student.run()
    button(student, "Train").click()
    run_until(student, lambda a: any("?run=" in c.value for c in a.code))


def test_a_teacher_creates_a_class_and_sees_its_links(open_app):
    at, code, key = create_class(open_app)
    codes = [c.value for c in at.code]
    assert any(c.endswith(f"/?class={code}") for c in codes)  # the students' link
    assert any(c.endswith(f"/class?class={code}&key={key}") for c in codes)  # the teacher's
    assert any(f"**{code}**" in m.value for m in at.markdown)
    assert any("No runs yet" in i.value for i in at.info)
    at.toggle(key=keys.PROJECTOR).set_value(True).run()  # the big text for a projector: the secret link is not shown
    assert not at.exception and not any(key in c.value for c in at.code)
    assert any(c.value.endswith(f"/?class={code}") for c in at.code)  # the students' link still is
    assert any("Hidden while the text is big for a projector" in c.value for c in at.caption)
    assert not [c for c in codes if "units=" in c]  # "Share this setting" makes its link only when opened
    shared = shared_links(at)  # opened: the Build page, in this class
    assert len(shared) == 1 and shared[0].startswith("/?") and f"class={code}" in shared[0], shared


def shown(table) -> pd.DataFrame:
    """An `st.table`'s cells as the page writes them (its Styler's display values)."""
    return dataframe_util.convert_arrow_bytes_to_pandas_df(table.proto.arrow_data.styler.display_values)


def test_a_student_joins_trains_and_the_board_shows_the_run(open_app, new_app):
    teacher, code, key = create_class(open_app)
    student = join(open_app, code, "**Ann** <b>")
    assert any("You are **Ann** <b> in class Group 7b" in t.value for t in student.text)
    assert not any("To join class" in i.value for i in student.info)  # joined: the hint is gone
    assert student.query_params["class"] == code  # a reload stays in the class
    train_briefly(student)
    run_until(teacher, lambda a: any(m.label == "Runs" and m.value == "1" for m in a.metric))
    table = teacher.dataframe[0].value
    assert list(table["student"]) == ["student 1"]  # names hidden on the projector
    teacher.toggle(key=keys.BOARD_NAMES).set_value(True).run()
    assert list(teacher.dataframe[0].value["student"]) == ["**Ann** <b>"]  # plain text, as typed
    # on the projector (the classroom view) an HTML table, whose text the view enlarges, written as the grid writes it
    projector = on_device(new_app, teacher.session_state[keys.DEVICE], query={"classroom": "1"})
    assert not projector.dataframe and not projector.exception
    projector.toggle(key=keys.BOARD_NAMES).set_value(True).run()
    row = shown(projector.table[0]).iloc[0]
    assert row[column("student")] == plain("**Ann** <b>")  # its Markdown switched off: the nickname as typed
    assert row[column("network")] == "784-128-10" and row[column("parameters")] == "101,770"
    assert re.fullmatch(r"\d+\.\d%", row[column("test")]) and re.fullmatch(r"[+-]\d+\.\d", row[column("gap")])
    assert row[column("ours")] == "—" and re.fullmatch(r"\d\d:\d\d", row[column("ended")])
    assert 0.1 < teacher.dataframe[0].value["test accuracy"][0] / 100 <= 1


def test_a_wrong_code_or_key_says_so_without_a_hint(open_app):
    _, code, key = create_class(open_app)
    for wrong in ({"class": code, "key": key[:-2]}, {"class": "ZZZZZZ", "key": key}):
        at = open_app(None, wrong)
        at.switch_page(CLASS_PAGE).run()
        assert [e.value for e in at.error] == [NOT_TEACHER] and not at.dataframe
        assert any(b.label == "Create a class" for b in at.button)
    student = join(open_app, "QQQQQQ", "Bo")
    assert NO_CLASS in [e.value for e in student.error]
    assert keys.CLASS not in student.session_state


def test_the_board_tests_runs_on_the_class_handwriting_and_the_teacher_moderates_it(open_app):
    teacher, code, key = create_class(open_app)
    student = join(open_app, code, "Ann")
    train_briefly(student)
    store = ui_store.store()
    ds = load_dataset("sample")
    for i in range(6):  # six students' drawings: here, MNIST test digits standing in for them
        store.add_drawing(code, f"device-{i}", int(ds.y_test[i]), ds.x_test[i].reshape(28, 28))
    student.run()
    assert any("our class's handwriting" in m.value and "(6 drawings)" in m.value for m in student.markdown)
    run_until(teacher, lambda a: a.dataframe and not np.isnan(a.dataframe[0].value["our handwriting"][0]))
    assert 0 <= teacher.dataframe[0].value["our handwriting"][0] <= 100
    assert any(e.label.startswith("Our handwriting: 6 drawings") for e in teacher.expander)
    first = int(store.handwriting(code)[2][0])
    teacher.selectbox(key=keys.BOARD_DRAWING).set_value(first).run()
    teacher.button(key=keys.BOARD_DRAWING_REMOVE).click().run()
    assert first not in store.handwriting(code)[2] and len(store.handwriting(code)[2]) == 5


def test_a_student_fine_tunes_on_the_class_handwriting(open_app):
    """The class's set (here MNIST test digits moved 6 pixels, standing in for the class's drawings) is a
    choice beside my digits; the fine-tune holds out the 2nd, 5th, … of each digit's and says before → after."""
    _teacher, code, _key = create_class(open_app, "Group 9")
    student = join(open_app, code, "Bo")
    train_briefly(student)
    store = ui_store.store()
    ds = load_dataset("sample")
    moved = shifted(ds.x_test[:30], 6, 6).reshape(-1, 28, 28)
    for i in range(30):
        store.add_drawing(code, f"device-{i}", int(ds.y_test[i]), moved[i])
    held = int(held_out(store.handwriting(code)[1]).sum())
    student.switch_page("pages/draw.py").run()
    assert not student.exception
    student.segmented_control(key=keys.TUNE_SET).set_value("class").run()
    go = student.button(key=keys.TUNE_GO)
    assert go.label.endswith(f"+ {30 - held} of our class's drawings")
    go.click().run()
    run_until(student, lambda a: any(m.label == "Held-out drawings read right" for m in a.metric), timeout=180)
    shown = metric(student, "Held-out drawings read right")
    assert shown.endswith(f"/ {held}") and " → " in shown
    assert metric(student, "Drawings it learned from").endswith(f"/ {30 - held}")
    assert student.session_state[keys.RUN].tuned_on == 0  # the student's own network is unchanged
    student.button(key=keys.TUNE_USE).click().run()
    assert student.session_state[keys.RUN].tuned_on == 30 - held


def on_device(new_app, device: str, page: str = CLASS_PAGE, query: dict | None = None):
    """The Class page (by default) in a new session of the same browser."""
    return apptest.on_device(new_app, device, page, query)


def test_the_browser_that_created_a_class_opens_its_board_again_after_a_reload(open_app, new_app):
    teacher, code, key = create_class(open_app)
    device = teacher.session_state[keys.DEVICE]
    again = on_device(new_app, device)
    assert again.session_state[keys.TEACHER] == (code, key)
    assert any(c.value.endswith(f"/class?class={code}&key={key}") for c in again.code)
    assert any(h.value == f"Group 7b \\({code}\\)" for h in again.subheader)  # one class: its name, no choice
    assert not again.selectbox and any("No runs yet" in i.value for i in again.info)
    shared = shared_links(again)  # "Share this setting", opened in the new session
    assert len(shared) == 1 and f"class={code}" in shared[0] and shared[0].startswith("/?")
    build = on_device(new_app, device, "pages/build.py")  # a new session on another page: the same class
    assert any(f"class={code}" in link for link in shared_links(build))
    stranger = open_app(CLASS_PAGE)  # another browser: a class of its own to create, no board
    assert keys.TEACHER not in stranger.session_state and any(b.label == "Create a class" for b in stranger.button)


def test_my_classes_switches_between_this_browsers_classes_and_a_teacher_link_adds_one(open_app, new_app):
    teacher, first, first_key = create_class(open_app, "Morning")
    device = teacher.session_state[keys.DEVICE]
    teacher.text_input(key=keys.CLASS_NAME).set_value("Afternoon")  # "New class", above the board
    button(teacher, "Create a class").click().run()
    second = teacher.session_state[keys.TEACHER][0]
    assert second != first and teacher.selectbox(key=keys.MY_CLASSES).value == second
    assert teacher.selectbox(key=keys.MY_CLASSES).options == [f"Afternoon ({second})", f"Morning ({first})"]
    teacher.selectbox(key=keys.MY_CLASSES).set_value(first).run()
    assert teacher.session_state[keys.TEACHER] == (first, first_key)
    assert on_device(new_app, device).session_state[keys.TEACHER] == (first, first_key)  # the one opened last
    other, other_code, other_key = create_class(open_app, "Evening")  # on another computer
    linked = on_device(new_app, device, query={"class": other_code, "key": other_key})
    assert linked.session_state[keys.TEACHER] == (other_code, other_key)
    assert "key" not in linked.query_params and "class" not in linked.query_params  # out of the address bar
    assert on_device(new_app, device).selectbox(key=keys.MY_CLASSES).value == other_code  # kept here too
    assert [c.code for c in ui_store.store().classes_of(other.session_state[keys.DEVICE])] == [other_code]


def test_a_teacher_downloads_the_board_and_deletes_a_class_after_a_confirmation(open_app, new_app):
    from io import BytesIO

    import pandas as pd

    from fcviz.store.board import board_csv
    from tests.test_store import a_run

    teacher, first, first_key = create_class(open_app, "Morning")
    device = teacher.session_state[keys.DEVICE]
    teacher.text_input(key=keys.CLASS_NAME).set_value("Afternoon")
    button(teacher, "Create a class").click().run()
    code, key = teacher.session_state[keys.TEACHER]
    store = ui_store.store()
    store.save_run(a_run(0.91), owner="student-a", class_code=code, nickname="Ann")
    store.save_run(a_run(0.82), owner="student-b", class_code=code, nickname="=Bo")
    store.add_drawing(code, "student-a", 7, np.zeros((28, 28), np.float32), nickname="Ann")
    run_until(teacher, lambda a: metric(a, "Runs") == "2")
    assert "Classes, runs and drawings not used for 30 days are deleted." in [c.value for c in teacher.caption]

    (download,) = teacher.get("download_button")
    assert download.proto.label == "Download the board (.csv)"
    for names in (False, True):  # the file holds what the board shows: nicknames only when shown
        teacher.toggle(key=keys.BOARD_NAMES).set_value(names).run()
        shown = teacher.dataframe[0].value
        runs = store.board(code, key)[1]
        ours = store.handwriting_scores(code, [r.token for r in runs])
        csv = pd.read_csv(BytesIO(board_csv(runs, names, ours)), encoding="utf-8-sig")
        assert list(csv.columns[:len(shown.columns)]) == list(shown.columns)  # then the runs' data and settings
        assert list(csv["student"]) == (["'=Bo", "Ann"] if names else list(shown["student"]))
        assert list(csv["test accuracy"]) == [round(v, 2) for v in shown["test accuracy"]]
        assert list(csv["setting units"]) == [128, 128] and "Ann" not in csv.to_string() * (not names)

    # the confirmation names what goes; the class, its runs and drawing go; the device's other class shows
    popover = next(p for p in teacher.get("popover") if p.proto.popover.label == "Delete this class")
    assert any("Delete class **Afternoon**" in m.value and "2 runs, 1 drawing, 2 nicknames" in m.value
               for m in popover.markdown)
    assert store.find_class(code) is not None  # opening it deleted nothing
    teacher.button(key=keys.CLASS_DELETE_GO).click().run()
    assert not teacher.exception and store.find_class(code) is None
    assert [s.value for s in teacher.success] == [f"Class Afternoon ({code}) was deleted, with everything in it."]
    assert teacher.session_state[keys.TEACHER] == (first, first_key) and not teacher.selectbox
    assert [c.code for c in store.classes_of(device)] == [first]

    teacher.button(key=keys.CLASS_DELETE_GO).click().run()  # the last one: as if there had never been a class
    assert keys.TEACHER not in teacher.session_state and any(b.label == "Create a class" for b in teacher.button)
    again = on_device(new_app, device)  # the browser's remembered board is gone too
    assert keys.TEACHER not in again.session_state and not again.dataframe
    assert any(b.label == "Create a class" for b in again.button)
    link = open_app(None, {"class": code, "key": key})  # its teacher link: as a code that never existed
    link.switch_page(CLASS_PAGE).run()
    assert [e.value for e in link.error] == [NOT_TEACHER]
    student = join(open_app, code, "Cy")
    assert NO_CLASS in [e.value for e in student.error]
