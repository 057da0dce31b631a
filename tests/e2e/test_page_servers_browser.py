"""Two page servers behind HAProxy, as serve.py starts them with FCVIZ_PAGE_SERVERS=2 (a class of 100 on 2 cores):
students are shared out between the servers and each stays on its own (its session, its upload, its training's live
feed are in that server's memory), both servers train on the one cluster serve.py started, and a student in Chromium
trains, reloads and finds the run again."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import expect

from fcviz import environment
from fcviz.files.persist import model_to_bytes
from fcviz.net.model import build_model
from fcviz.settings.spec import NetworkSpec
from fcviz_dev.appserver import page_servers, running, running_app
from fcviz_dev.browser import button, metric, new_tab, open_page, saved_run_token, wait_idle
from fcviz_dev.drawing import DIGITS, canvas_png
from fcviz_dev.streamlit_client import Session
from serve import STICKY_COOKIE
from ui import keys

STUDENTS = 4


async def student(url: str, model: bytes) -> dict:
    """One student over Streamlit's protocol: uploads the teacher's model on the Draw page and draws a 7, then trains
    the Train page's defaults watching the live feed; which server served it, and what it saw."""
    s = Session(url)
    await s.open()
    try:
        server = s._http.cookies.get(STICKY_COOKIE)
        await s.switch_page("Draw")
        await s.upload("draw_upload", "teacher.keras", model)  # the upload reaches the server that holds the session
        canvas = next(k for k in s.page.widgets if k.startswith("draw_canvas_"))
        await s.set_component(canvas, {"drawing": {"raw": None, "data": canvas_png(DIGITS["7"])}})
        predicted = s.page.has("Prediction")
        await s.switch_page("Train")
        await s.click(keys.TRAIN_GO)
        ticks = await s.follow_feed(keys.TRAIN_LIVE)
        return {"server": server, "ticks": len(ticks), "trained": s.page.has("Misclassified test digits"),
                "predicted": predicted}
    finally:
        await s.close()


async def class_of(url: str, model: bytes) -> list[dict]:
    async def arriving(i: int) -> dict:
        await asyncio.sleep(i * 0.5)  # one after another, as a class comes in
        return await student(url, model)
    return await asyncio.gather(*(arriving(i) for i in range(STUDENTS)))


def test_two_page_servers_share_a_class_each_student_staying_on_its_own(browser, tmp_path):
    env = {environment.PAGE_SERVERS: "2", environment.DB: f"sqlite:///{tmp_path / 'class.db'}"}
    with running_app(env=env, serve=True, timeout=180) as url:
        assert len(page_servers(url.pid)) == 2, "serve.py did not start two page servers"
        assert running(url.pid, b"haproxy"), "serve.py did not start HAProxy"

        model = model_to_bytes(build_model(NetworkSpec()))
        with ThreadPoolExecutor(1) as thread:  # (Playwright's sync API holds this thread's event loop)
            results = thread.submit(asyncio.run, class_of(url, model)).result()
        assert {r["server"] for r in results} == {"page1", "page2"}, results  # shared out between the two
        for r in results:
            assert r["trained"] and r["predicted"], r
            # the feed answered until the training's end: it is on the server that holds the training (the other
            # says "gone" at once, and the tab falls back to asking its page)
            assert r["ticks"] >= 2, r

        context, page = new_tab(browser, url)
        try:
            open_page(page, "train?n_train=1000&epochs=2")
            button(page, "Train").click()
            token = saved_run_token(page)
            accuracy = metric(page, "Test accuracy").inner_text()
            page.reload()  # the same server (its cookie), the same run
            expect(metric(page, "Test accuracy")).to_have_text(accuracy)
            assert f"run={token}" in page.url
            wait_idle(page)
            expect(page.get_by_test_id("stException")).to_have_count(0)
        finally:
            context.close()
