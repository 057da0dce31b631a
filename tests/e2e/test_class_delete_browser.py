"""A class's end in Chromium: the teacher downloads the board as a CSV file, then deletes the class after a
confirmation that names what goes; the page then offers a new class, and a student typing the deleted class's
code is told there is no class with this code."""
import os

import pandas as pd
from playwright.sync_api import expect

from fcviz.store.store import Store
from fcviz_dev.browser import button, metric, new_tab, open_page, wait_idle
from tests.e2e.test_class_browser import create_class
from tests.test_store import a_run


def test_a_teacher_downloads_the_board_then_deletes_the_class_and_its_code_joins_nothing(browser, app_url):
    context, teacher = new_tab(browser, app_url)
    try:
        code = create_class(teacher, "Short-lived")
        store = Store(os.environ["FCVIZ_DB"])  # the app server's own class store: a student's run, saved
        try:
            store.save_run(a_run(0.91), owner="student-ann", class_code=code, nickname="Ann")
        finally:
            store.close()
        expect(metric(teacher, "Runs")).to_have_text("1")  # the board polls the database by itself
        expect(teacher.get_by_text("Classes, runs and drawings not used for 30 days are deleted.")).to_be_visible()
        with teacher.expect_download() as download:
            button(teacher, "Download the board (.csv)").click()
        csv = pd.read_csv(download.value.path(), encoding="utf-8-sig")
        assert list(csv["student"]) == ["student 1"] and list(csv["test accuracy"]) == [91.0]  # names hidden

        teacher.get_by_test_id("stPopover").get_by_role("button", name="Delete this class").click()
        confirm = button(teacher, "Delete the class for good")
        confirm.wait_for()
        expect(teacher.get_by_text("and everything in it: 1 run, 0 drawings, 1 nickname")).to_be_visible()
        confirm.click()
        expect(teacher.get_by_text(f"Class Short-lived ({code}) was deleted, with everything in it.")).to_be_visible()
        button(teacher, "Create a class").wait_for()  # as if there had never been a class
        expect(metric(teacher, "Runs")).to_have_count(0)
        expect(teacher.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()

    context, student = new_tab(browser, app_url)
    try:
        open_page(student, f"train?class={code}")
        nickname = student.get_by_role("textbox", name="Nickname")
        nickname.fill("Bo")
        nickname.press("Enter")
        wait_idle(student)
        button(student, "Join").click()
        expect(student.get_by_text("There is no class with this code.")).to_be_visible()
        expect(student.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
