"""A class in Chromium: a teacher creates it, two students join with its code and train, one adds a
drawing to the class's handwriting, the board shows both runs and the teacher removes a run and the drawing; and two page servers on one PostgreSQL database show
the same board."""
from playwright.sync_api import expect

from fcviz import environment
from fcviz_dev.appserver import running_app
from fcviz_dev.browser import (
    button,
    choose,
    join_class,
    metric,
    new_tab,
    open_page,
    saved_run_token,
    wait_idle,
)
from fcviz_dev.drawing import CANVAS, DIGITS, draw
from fcviz_dev.postgres import new_database


def create_class(page, name: str) -> str:
    open_page(page, "class")
    page.get_by_role("textbox", name="Class name").fill(name)
    button(page, "Create a class").click()
    code = page.get_by_test_id("stCode").filter(has_text="/?class=")
    code.wait_for()
    return code.inner_text().strip().rsplit("=", 1)[1]


def student_trains(browser, url: str, code: str, nick: str, class_name: str, draws: bool = False) -> None:
    context, page = new_tab(browser, url)
    try:
        open_page(page, f"train?class={code}&n_train=500&epochs=2")  # (the sliders are another test's)
        join_class(page, nick, class_name)
        button(page, "Train").click()
        saved_run_token(page)  # saved
        if draws:  # a 7 for the class's handwriting
            page.get_by_test_id("stSidebarNavLink").filter(has_text="Draw").click()
            page.locator(CANVAS).wait_for()
            wait_idle(page)
            draw(page, DIGITS["7"])
            page.get_by_test_id("fcviz-prediction").wait_for()
            choose(page, page.get_by_test_id("stSelectbox").filter(has_text="It really is a"), "7")
            wait_idle(page)
            button(page, "Add to our handwriting").click()
            page.get_by_text("Added your 7 to the class's handwriting.").wait_for()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()


def test_a_teacher_sees_two_students_runs_and_removes_one(browser, app_url):
    context, teacher = new_tab(browser, app_url)
    try:
        code = create_class(teacher, "Group 7b")
        for nick in ("Ann", "Bo"):
            student_trains(browser, app_url, code, nick, "Group 7b", draws=nick == "Ann")
        expect(metric(teacher, "Runs")).to_have_text("2")  # the board polls the database by itself
        expect(metric(teacher, "Students")).to_have_text("2")
        choose(teacher, teacher.get_by_test_id("stSelectbox").filter(has_text="A run in full"))
        teacher.get_by_role("link", name="Open in my Train page").wait_for()  # the run in full
        button(teacher, "Remove this run from the class").click()
        expect(metric(teacher, "Runs")).to_have_text("1")
        drawings = teacher.get_by_test_id("stExpander").filter(has_text="Our handwriting:")
        expect(drawings).to_contain_text("Our handwriting: 1 drawing added")
        drawings.get_by_text("Our handwriting:").click()
        choose(teacher, drawings.get_by_test_id("stSelectbox"))
        button(teacher, "Remove this drawing").click()
        expect(drawings).to_contain_text("Our handwriting: 0 drawings added")
        expect(teacher.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()


def test_two_page_servers_on_one_postgresql_show_the_same_board(browser, postgres_server):
    env = {environment.DB: new_database(postgres_server, "shared_board"),
           environment.ENGINE: "inline"}  # the board is the point here: no worker processes for these two servers
    with running_app(env=env) as first, running_app(env=env) as second:
        context, teacher = new_tab(browser, first)
        try:
            code = create_class(teacher, "Two servers")
            key_link = teacher.get_by_test_id("stCode").filter(has_text="&key=").text_content().strip()  # folded away
            student_trains(browser, second, code, "Cy", "Two servers")  # on the other server
            expect(metric(teacher, "Runs")).to_have_text("1")
        finally:
            context.close()
        context, teacher = new_tab(browser, second)  # the teacher link works on either server
        try:
            teacher.goto(second + key_link[key_link.index("/class?"):])
            expect(metric(teacher, "Runs")).to_have_text("1")
            assert "key=" not in teacher.url  # read once, then out of the address bar (the projector shows it)
        finally:
            context.close()
