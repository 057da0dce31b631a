"""Nothing a person did is lost on a reload, in Chromium: a teacher's class board comes back after F5 (and
the teacher key never shows in the address bar), and a student who trained finds the same network on Draw
opened by its typed address and on Inside in a new tab of the same browser."""
from playwright.sync_api import expect

from fcviz.store.store import Store
from fcviz_dev.browser import (
    button,
    join_class,
    metric,
    new_tab,
    open_page,
    saved_run_token,
    wait_for_address,
    wait_idle,
)
from fcviz_dev.drawing import CANVAS, DIGITS, draw
from tests.e2e.test_class_browser import create_class


def board_of(page, code: str) -> None:
    """Until the page shows class `code`'s board: its students' link and its live numbers."""
    expect(page.get_by_test_id("stCode").filter(has_text="/?class=")).to_have_text(f"{page.app_url}/?class={code}")
    expect(metric(page, "Runs")).to_have_text("0")
    expect(page.get_by_role("button", name="Create a class", exact=True)).to_have_count(0)  # in "New class" only


def test_a_teacher_reloads_the_class_page_and_finds_the_same_board(browser, app_url):
    context, teacher = new_tab(browser, app_url)
    try:
        code = create_class(teacher, "Group 7b")
        key_link = teacher.get_by_test_id("stCode").filter(has_text="&key=").text_content().strip()  # folded away
        teacher.reload()
        board_of(teacher, code)
        expect(teacher.get_by_role("heading", name=f"Group 7b ({code})")).to_be_visible()
        big = teacher.get_by_test_id("fcviz-class-code")  # the code, readable from the back of the room
        expect(big).to_have_text(code)
        assert float(big.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 48
        assert "key=" not in teacher.url
        open_page(teacher, "class")  # the address typed again, or the sidebar's link: the same
        board_of(teacher, code)
        open_page(teacher, f"?class={code}&classroom=1")  # the class's link on the projector: not asked to join
        expect(teacher.get_by_role("heading", name="Build a fully connected network")).to_be_visible()
        expect(teacher.get_by_text(f"To join class {code}")).to_have_count(0)  # (drawn before the heading if at all)
    finally:
        context.close()
    context, other = new_tab(browser, app_url)  # another computer: the teacher link opens it, then it is kept
    try:
        other.goto(app_url + key_link[key_link.index("/class?"):])
        board_of(other, code)
        wait_for_address(other, "key=", present=False)  # read once, then out of the address bar
        other.reload()
        board_of(other, code)
        assert "key=" not in other.url
        expect(other.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()


def test_a_student_finds_the_trained_network_on_a_typed_draw_address_and_in_a_new_inside_tab(browser, app_url):
    context, student = new_tab(browser, app_url)
    try:
        open_page(student, "train?epochs=1&n_train=500")
        button(student, "Train").click()
        token = saved_run_token(student)
        accuracy = metric(student, "Test accuracy").inner_text()
        store = Store()  # the server's database (the tests' FCVIZ_DB)
        try:
            label = store.run(token).summary.label
        finally:
            store.close()
        note = f"Reopened your newest run from My runs: {label}"
        open_page(student, "draw")  # typed: no link in the address, a new session
        expect(student.get_by_text(note, exact=True)).to_be_visible()
        wait_for_address(student, f"run={token}")  # a reload from here opens it by its link
        student.locator(CANVAS).wait_for()  # a network
        expect(student.get_by_text("No trained network yet")).to_have_count(0)
        draw(student, DIGITS["7"])
        expect(student.get_by_test_id("fcviz-prediction")).to_be_visible()
        wait_idle(student)  # the stroke is still on the canvas (the line above it, gone now, moved nothing)
        ink = "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; " \
              "for (let i = 0; i < d.length; i += 4) n += d[i] > 128; return n; }"
        strokes = CANVAS.replace("canvas.upper-canvas", "canvas.dc-canvas.lower-canvas")  # the drawn layer
        assert student.locator(strokes).evaluate(ink) > 500
        inside = context.new_page()  # a new tab of the same browser, on another page
        inside.app_url = app_url
        open_page(inside, "inside")
        expect(inside.get_by_text(note, exact=True)).to_be_visible()
        wait_for_address(inside, f"run={token}")
        expect(inside.get_by_text("No trained network yet")).to_have_count(0)
        inside.get_by_test_id("stSidebarNavLink").filter(has_text="Train").click()  # the same session's run:
        expect(metric(inside, "Test accuracy")).to_have_text(accuracy)  # its test accuracy
        wait_idle(student)
        for page in (student, inside):
            expect(page.get_by_test_id("stException")).to_have_count(0)
        board = context.new_page()  # the Class page, projected: the run is reopened there too, without a word on it
        board.app_url = app_url
        open_page(board, "class")
        wait_for_address(board, f"run={token}")
        expect(board.get_by_text(note, exact=True)).to_have_count(0)
    finally:
        context.close()


def test_a_student_stays_in_the_class_after_a_reload_a_typed_address_and_a_new_tab(browser, app_url):
    context, teacher = new_tab(browser, app_url)
    try:
        code = create_class(teacher, "Group 9c")
    finally:
        context.close()
    context, student = new_tab(browser, app_url)
    try:
        open_page(student, f"?class={code}")
        join_class(student, "Ana", "Group 9c")
        joined = "Class: Group 9c"
        student.reload()
        expect(student.get_by_text(joined)).to_be_visible()
        open_page(student, "draw")  # typed, no class in the address
        expect(student.get_by_text(joined)).to_be_visible()
        tab = context.new_page()
        tab.app_url = app_url
        open_page(tab, "inside")
        expect(tab.get_by_text(joined)).to_be_visible()
        tab.get_by_text(joined).click()
        button(tab, "Leave the class").click()
        expect(tab.get_by_text("Join a class")).to_be_visible()
        tab.wait_for_function("code => !document.cookie.includes('fcviz_class=' + code)", arg=code)  # forgotten
        tab.reload()  # left: a new session stays out of it
        expect(tab.get_by_text("Join a class")).to_be_visible()
    finally:
        context.close()


def test_a_student_reloads_mid_training_and_the_training_goes_on_in_the_new_tab(page):
    """A reload is a new session: it takes back the training the tab had started, which goes on (the old tab's
    going no longer stops it), its curves growing and its Stop button working there."""
    import re

    from tests.e2e.test_train_browser import LIVE

    grown = """([sel, n]) => { const el = document.querySelector(sel);
                              return el && +el.dataset.epochs > n ? +el.dataset.epochs : false; }"""
    open_page(page, "train?epochs=200&units=512,512")
    button(page, "Train").click()
    before = page.wait_for_function(grown, arg=[LIVE, 1]).json_value()
    page.reload()
    page.get_by_text("Your training goes on").wait_for()
    page.wait_for_function(grown, arg=[LIVE, before])  # the same run's curves, still growing here
    button(page, "Stop").click()
    expect(page.get_by_text(re.compile(r"Stopped after \d+ of 200 epochs")).first).to_be_visible()
    expect(metric(page, "Epochs")).to_have_text(re.compile(r"^\d+$"))
    assert int(metric(page, "Epochs").inner_text()) > before
