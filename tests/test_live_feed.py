"""The live feed (`ui.train.feed`): a tab that asks it as the browser's code does gets the figure once, then only the
new points, which add up to the run's own curves; the progress line and the numbers in the tab's language; and
nothing for a token it was not given, whatever the query says."""
import json
import time

import numpy as np
import pytest
from starlette.requests import Request

from fcviz.data.loading import load_dataset
from fcviz.plots.charts import STAR, curve_points
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.state import TrainingState
from fcviz.train.training import Progress, Run, Trainer
from ui.train import feed
from ui.train.live import StatusKind, status


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


def ask(token: str, held: dict | None = None, query: str | None = None) -> tuple[int, dict]:
    """The feed's answer to a GET of `_fcviz/live/<token>` with `held` (or a raw `query`), as Starlette calls it."""
    from urllib.parse import urlencode

    raw = query if query is not None else urlencode(held or {})
    request = Request({"type": "http", "method": "GET", "path": f"/{feed.PATH}/{token}", "headers": [],
                       "query_string": raw.encode(), "path_params": {"token": token}})
    response = feed.answer(request)
    assert response.headers["cache-control"] == "no-store"
    return response.status_code, json.loads(response.body)


def training(ds, epochs: int = 6, batch: int = 128) -> Trainer:
    config = TrainConfig(train_size=1000, batch_size=batch)
    return Trainer(Run(NetworkSpec(hidden=(LayerSpec(32),)), config, ds), ds, epochs).start()


def test_a_tab_following_a_training_gets_the_figure_once_then_new_points_that_add_up_to_the_runs_curves(ds):
    trainer = training(ds, epochs=12, batch=8)  # 1,500 steps: long enough for several updates on a quick machine
    token = feed.watch(trainer, "en", classroom=False, follow=False)
    held, traces, figures, answers, deadline = {}, None, 0, [], time.monotonic() + 180
    while time.monotonic() < deadline:
        code, m = ask(token, held)
        assert code == 200
        answers.append(m)
        if "figure" in m:
            figures += 1
            traces = [(t["x"], t["y"]) for t in json.loads(m["figure"])["data"][:STAR]]
        else:
            assert m["from"] == [held["b"], held["e"]]  # only what came after what the tab holds
            traces = [(x + mx, y + my) for (x, y), mx, my in zip(traces, m["x"], m["y"])]
        held = {"run": m["run"], "b": m["batches"], "e": m["epochs"]}
        if not m["active"]:
            break
        time.sleep(0.05)
    run = trainer.run
    assert not answers[-1]["active"] and len(run.epochs) == 12
    assert figures <= 2  # the figure once (again only if the loss axis turned logarithmic)
    assert sum("figure" not in m and any(m["x"]) for m in answers) >= 2  # several answers brought new points
    for (x, y), (fx, fy) in zip(traces, curve_points(run.epochs, run.batches)):  # the finished chart's points
        assert len(x) == len(fx) and np.allclose(x, fx, rtol=1e-5) and np.allclose(y, fy, rtol=1e-5)
    running = [m for m in answers if m["status"] and m["status"]["kind"] == StatusKind.PROGRESS.value]
    assert running and all(m["status"]["text"].startswith("Training epoch ") for m in running)
    last = answers[-1]["numbers"]
    assert [n["label"] for n in last] == ["Epochs", "Train accuracy", "Test accuracy", "Test loss"]
    assert last[0]["value"] == "12" and last[2]["delta"].endswith("pts vs train")
    assert ask(token, held)[0] == 404  # the ended training's feed is dropped: the tab asks the page


def test_the_feed_speaks_the_tabs_language_and_resends_the_figure_to_a_tab_that_lost_it(ds):
    trainer = training(ds, epochs=2)
    trainer.join(180)
    token = feed.watch(trainer, "zh", classroom=True, follow=True)
    code, m = ask(token, {"run": "", "b": "", "e": ""})
    assert code == 200 and "figure" in m and not m["active"]
    assert [n["label"] for n in m["numbers"]][1:3] == ["训练准确率", "测试准确率"]
    assert m["redraw"] == 2  # the gradients follow: the page's live part is run again at each epoch's end
    from fcviz import i18n
    from fcviz.train.diagnosis import diagnose

    i18n.use("zh")
    try:  # the reading's warnings, drawn by the tab while it trains, are the page's own, in the tab's language
        assert m["warnings"] == list(diagnose(trainer.run.epochs, trainer.run.batches, trainer.run.setup()).messages)
    finally:
        i18n.use(None)


@pytest.mark.parametrize("query", ["b=99999999999999999999&e=-1&run=1", "b=1e9&e=NaN", "run=" + "x" * 10000,
                                   "b=%00&e=%ff", "b=3&b=4", "b=%C2%B2&e=%D9%A3"])
def test_a_crafted_query_gets_the_whole_figure_never_an_error(ds, query):
    trainer = training(ds, epochs=1)
    trainer.join(180)
    token = feed.watch(trainer, "en", classroom=False, follow=False)
    code, m = ask(token, query=query)
    assert code == 200 and "figure" in m


def test_a_token_the_server_did_not_give_reads_nothing(ds):
    trainer = training(ds, epochs=1)
    token = feed.watch(trainer, "en", classroom=False, follow=False)
    assert ask(token[:-1] + ("A" if token[-1] != "A" else "B"))[0] == 404
    assert ask("../" + token)[0] == 404
    assert len(token) >= 24  # unguessable: 18 random bytes
    trainer.join(180)


def test_a_tab_keeps_its_feed_across_the_pages_runs_and_gets_a_new_one_for_a_new_training(ds):
    first = training(ds, epochs=1)
    token = feed.watch(first, "en", classroom=False, follow=False)
    assert feed.watch(first, "zh", classroom=False, follow=True, token=token) == token
    second = training(ds, epochs=1)
    assert feed.watch(second, "en", classroom=False, follow=False, token=token) != token
    first.join(180), second.join(180)


def test_the_last_second_of_a_training_says_less_than_a_second():
    def running(left: float | None) -> str:
        p = Progress(TrainingState.RUNNING, 0, 11, 20, 0.6, 18_000.0, left)
        return status(p).text

    assert running(0.4).endswith("· less than a second left")
    assert running(3.2).endswith("· about 3 s left")
    assert running(None) == "Training epoch 12 of 20 · 18,000 samples/s"


def test_where_the_feed_is_served_the_train_page_hands_its_tab_a_feed_of_the_training(open_app, monkeypatch):
    """The page's live part gives the session's training a feed (its own token) instead of
    drawing the progress and the numbers itself; once the training has ended, the page draws the finished run."""
    from fcviz_dev.apptest import button, run_until
    from ui import keys

    monkeypatch.setattr(feed, "_served", True)  # (as asgi.py's st.App does when it takes the feed's route)
    at = open_app("pages/train.py")
    at.select_slider(key="train_size").set_value(500)
    at.slider(key="train_epochs").set_value(3)
    button(at, "Train").click().run()
    token = at.session_state[keys.TRAIN_FEED]
    code, m = ask(token, {})
    assert code == 200 and "figure" in m and m["status"] is not None
    assert not [p for p in at.get("progress")] and not at.metric  # the tab draws them, from the feed
    at.session_state[keys.TRAINER].join(180)
    code, m = ask(token, {})
    assert code == 200 and not m["active"] and m["numbers"][0] == {"label": "Epochs", "value": "3", "delta": None}
    assert ask(token, {})[0] == 404  # told once that it ended, the tab asks the page
    run_until(at, lambda a: any(n.label == "Epochs" for n in a.metric))  # the finished run, drawn by the page


def test_a_feed_whose_tab_has_gone_keeps_no_network_in_memory(ds):
    """A feed holds its training weakly: once the session and the training's thread let go (a closed tab, an ended
    training), the network is freed and the feed answers as for a token it does not know."""
    import gc
    import weakref

    trainer = training(ds, epochs=1)
    token = feed.watch(trainer, "en", classroom=False, follow=False)
    trainer.join(180)
    model = weakref.ref(trainer.run.model)
    del trainer
    gc.collect()
    assert model() is None
    assert ask(token, {})[0] == 404
