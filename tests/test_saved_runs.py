"""Runs saved in the class store when they end: the private link reopens the same run in a new
session (curves, test accuracy, model), "My runs" lists and deletes them, and a database that cannot
be reached costs the student nothing but the saving."""
from fcviz import i18n
from fcviz.train.training import number_in
from fcviz_dev.apptest import button, metric, on_device, run_until
from ui import keys
from ui import store as ui_store
from ui.text import plain


def trained(open_app, epochs: int = 2, query: dict | None = None):
    at = open_app("pages/train.py", query)
    at.select_slider(key="train_size").set_value(500)
    at.slider(key="train_epochs").set_value(epochs)
    at.run()
    button(at, "Train").click()
    run_until(at, lambda a: any(m.label == "Epochs" for m in a.metric) and metric(a, "Epochs") == str(epochs)
              and not button(a, "Train").disabled and a.code and "run" in a.query_params)  # the URL: a rerun later
    return at


def link_token(at) -> str:
    (code,) = [c.value for c in at.code if "?run=" in c.value]
    return code.rsplit("=", 1)[1]


def test_a_trained_run_is_saved_and_its_link_reopens_it_in_a_new_session(open_app):
    at = trained(open_app)
    token = link_token(at)
    assert len(token) >= 22 and at.query_params["run"] == token  # a reload opens it again
    accuracy = metric(at, "Test accuracy")
    again = open_app("pages/train.py", {"run": token})  # another session: after a reload or a restart
    assert metric(again, "Test accuracy") == accuracy and metric(again, "Epochs") == "2"
    assert again.select_slider(key="train_size").value == 500  # its settings came with it
    assert any("Misclassified test digits" in m.value for m in again.markdown)
    button(at, "Continue").click()
    run_until(at, lambda a: metric(a, "Epochs") == "4" and not button(a, "Train").disabled)
    assert link_token(at) == token  # saved again under the same link
    assert metric(open_app("pages/train.py", {"run": token}), "Epochs") == "4"
    button(again, "Continue").click()  # another browser continues its copy: saved as a run of its own
    run_until(again, lambda a: metric(a, "Epochs") == "4" and not button(a, "Train").disabled)
    assert link_token(again) != token


def test_a_link_to_no_saved_run_says_so_and_the_page_works(open_app):
    at = open_app(None, {"run": "x" * 32})  # the page the link lands on says it
    assert any("no saved run at this link" in e.value for e in at.error)
    at.switch_page("pages/train.py").run()
    assert not at.exception and any("Press **Train**" in i.value for i in at.info)


def test_my_runs_lists_this_browsers_runs_and_deletes_one(open_app):
    at = trained(open_app)
    token = link_token(at)
    mine = [t.value for t in at.text if "test " in t.value and "(on show)" in t.value]
    assert len(mine) == 1 and "2 epochs" in mine[0]
    charts = len(at.get("plotly_chart"))
    at.multiselect(key="my_runs_compare").set_value([token]).run()
    assert not at.exception and len(at.get("plotly_chart")) == charts + 1  # the compared curves
    at.button(key=f"my_runs_delete_{token}").click()
    at.run()
    assert not [t for t in at.text if "(on show)" in t.value]
    assert ui_store.store().run(token) is None


def test_an_unreachable_database_costs_only_the_saving(open_app, monkeypatch):
    monkeypatch.setattr(ui_store, "store", lambda: None)
    at = open_app("pages/train.py")
    at.select_slider(key="train_size").set_value(500)
    at.slider(key="train_epochs").set_value(1)
    at.run()
    button(at, "Train").click()
    run_until(at, lambda a: any(m.label == "Epochs" for m in a.metric) and not button(a, "Train").disabled
              and any(ui_store.NOT_SAVING in c.value for c in a.caption))
    assert not [c for c in at.code if "?run=" in c.value] and float(metric(at, "Test accuracy").rstrip("%")) > 10


def test_a_new_session_of_the_same_browser_reopens_its_newest_run_on_any_page(open_app, new_app):
    at = trained(open_app, epochs=1)
    token, device = link_token(at), at.session_state[keys.DEVICE]
    label = ui_store.store().runs_of(device)[0].label
    draw = on_device(new_app, device, "pages/draw.py")  # the address typed: no link, no run in the session
    assert draw.session_state[keys.RUN].token == token and draw.query_params["run"] == token
    note = [i.value for i in draw.info if i.value.startswith("Reopened your newest run")]
    assert note == [f"Reopened your newest run from My runs: {plain(label)}"]  # Markdown off: the label as it is
    assert not any("No trained network yet" in i.value for i in draw.info)
    assert draw.session_state[keys.SETTINGS].training.train_size == 500  # its settings came with it (no link named any)
    draw.run()
    assert not [i for i in draw.info if i.value.startswith("Reopened")]  # said once
    assert metric(on_device(new_app, device, "pages/train.py"), "Epochs") == "1"
    lecture = on_device(new_app, device, "pages/inside.py", {"units": "32"})  # a link with settings of its own
    assert lecture.session_state[keys.RUN].token == token
    assert lecture.session_state[keys.SETTINGS].network.hidden[0].units == 32  # the link's settings stay


def test_a_reopened_run_keeps_its_number_and_the_next_run_follows_it(open_app, new_app):
    """A reload reopens the newest run under the number My runs gives it (#2, not the new session's #1), and the
    run trained next is #3."""
    at = trained(open_app, epochs=1)
    device = at.session_state[keys.DEVICE]
    button(at, "Train").click()
    run_until(at, lambda a: not button(a, "Train").disabled
              and ui_store.store().runs_of(device)[0].label.startswith("#2 "))
    again = on_device(new_app, device, "pages/train.py")
    assert again.session_state[keys.RUN].number == 2
    assert again.session_state[keys.RUN].label.split(" ", 1)[0] == "#2"
    button(again, "Train").click()
    run_until(again, lambda a: not button(a, "Train").disabled and a.session_state[keys.RUN].number == 3)


def test_a_labels_number_is_read_only_where_it_is_one():
    """A saved label's "#N" (the store's own text, but read as text may be anything): no number rather than an error."""
    assert number_in("#12 784-128-10 relu, adam lr 0.001, 500 train") == 12
    assert [number_in(label) for label in ("784-128-10", "", "#", "#² x", "#3_0 x", "#" + "9" * 5000 + " x")] == [
        None] * 6


def test_a_run_link_or_a_run_of_the_session_is_never_replaced_by_the_newest(open_app, new_app):
    first = trained(open_app, epochs=1)
    older, device = link_token(first), first.session_state[keys.DEVICE]
    second = on_device(new_app, device, "pages/train.py")  # another tab of the same browser trains again
    second.select_slider(key="train_size").set_value(500)
    second.slider(key="train_epochs").set_value(1)
    second.run()
    button(second, "Train").click()
    run_until(second, lambda a: link_token_or_none(a) not in (None, older))
    newer = link_token(second)
    assert ui_store.store().runs_of(device)[0].token == newer
    first.switch_page("pages/draw.py").run()  # the first tab keeps its own run
    assert first.session_state[keys.RUN].token == older
    linked = on_device(new_app, device, "pages/draw.py", {"run": older})
    assert linked.session_state[keys.RUN].token == older and not [i for i in linked.info if "Reopened" in i.value]


def test_a_browser_that_never_trained_finds_no_network_on_the_draw_page(open_app):
    at = open_app("pages/draw.py")
    assert any("No trained network yet" in i.value for i in at.info)
    assert not [i for i in at.info if "Reopened" in i.value]


def link_token_or_none(at) -> str | None:
    codes = [c.value for c in at.code if "?run=" in c.value]
    return codes[0].rsplit("=", 1)[1] if codes else None


def test_a_saved_run_keeps_how_its_weights_started(open_app):
    """The start (`init=`) is part of the saved settings and of the saved model: its link reopens both."""
    at = trained(open_app, epochs=1, query={"init": "he"})
    assert at.session_state[keys.RUN].spec.init == "he"
    again = open_app("pages/train.py", {"run": link_token(at)})
    assert again.query_params["init"] == "he"
    assert again.session_state[keys.RUN].spec.init == "he"  # read back from the saved .keras file
    assert again.session_state[keys.SETTINGS].network == again.session_state[keys.RUN].spec


def test_a_run_trained_in_chinese_is_kept_with_its_line_in_chinese(open_app):
    """The run is saved from the training's thread, which has no session: its one-line label (My runs, the board)
    must still be in the student's language."""
    i18n.use("zh")  # (AppTest formats the choices' labels in this thread)
    try:
        at = open_app("pages/train.py", {"lang": "zh", "n_train": "500", "epochs": "1"})
        button(at, "训练").click()
        run_until(at, lambda a: keys.RUN in a.session_state and a.session_state[keys.RUN].token is not None
                  and not button(a, "训练").disabled)
    finally:
        i18n.use(None)
    label = ui_store.store().runs_of(at.session_state[keys.DEVICE])[0].label
    assert "学习率" in label and "lr" not in label, label


def test_an_ended_training_stays_on_offer_to_a_reload_while_a_tab_shows_it():
    """An ended training's run stays on offer to a reload (`kept_run`: the same run with its snapshots, so time travel
    stays) while a tab shows it, and is forgotten once none does. (It was dropped at its end, before it was saved: a
    reload 2 s before a 60-epoch training's end reopened the run before it, and any reload after the end lost time
    travel.)"""
    from types import SimpleNamespace

    from ui import runs

    tab_open = [True]
    trainer = SimpleNamespace(run=SimpleNamespace(), active=False)
    runs._trainings.put("device-1", runs._Watched(trainer, [lambda: tab_open[0]]))
    runs._forget_unwatched()
    assert runs._trainings.get("device-1").trainer is trainer  # a reload now opens the run itself
    tab_open[0] = False  # the tab closed (and its grace ended)
    runs._forget_unwatched()
    assert runs._trainings.get("device-1") is None  # its model and snapshots are not kept for nobody
