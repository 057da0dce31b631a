"""The Build page through Streamlit's AppTest: moving a control changes the table to Keras' numbers."""
import pytest

from ui import keys


def table_rows(at):
    df = at.table[0].value
    return {name: row for name, row in df.iterrows()}


@pytest.fixture
def at(open_app):
    return open_app()


def test_default_network(at):
    rows = table_rows(at)
    assert rows["hidden_1"]["Kernel W"] == "(784, 128)"
    assert rows["hidden_1"]["Bias b"] == "(128,)"
    assert rows["output"]["Params"] == "1,290"
    assert at.metric[0].value == "101,770"


def test_width_slider_changes_shapes_and_total(at):
    at.slider(key="build_units_0").set_value(512).run()
    rows = table_rows(at)
    assert rows["hidden_1"]["Kernel W"] == "(784, 512)"
    assert rows["hidden_1"]["in × out + out"] == "784×512 + 512 = 401,920"
    assert rows["output"]["Kernel W"] == "(512, 10)"
    assert at.metric[0].value == "407,050"
    assert not at.exception


def test_keras_own_summary_is_printed_once_its_box_is_opened(at):
    def summary(at) -> str:
        return "".join(h.proto.body for h in at.get("html") if "Total params" in h.proto.body)

    assert summary(at) == ""  # folded: not printed, not sent
    at.session_state[keys.BUILD_SUMMARY_OPEN] = True  # opened (as a click on it does)
    at.slider(key="build_units_0").set_value(512).run()
    assert "Total params: 407,050" in summary(at) and "(None, 512)" in summary(at)  # this width's, by Keras


def test_typing_a_width_builds_it_and_moves_the_slider(at):
    at.number_input(key="build_units_0_typed").set_value(256).run()
    assert table_rows(at)["hidden_1"]["Kernel W"] == "(784, 256)"
    assert at.slider(key="build_units_0").value == 256  # the slider shows what was typed, on the same rerun
    assert at.query_params["units"] == "256"
    at.slider(key="build_units_0").set_value(300).run()  # and the box what was slid
    assert at.number_input(key="build_units_0_typed").value == 300
    assert table_rows(at)["hidden_1"]["Kernel W"] == "(784, 300)"
    assert not at.exception


def test_a_lecture_size_is_one_click_and_shows_which_is_in_use(at):
    sizes = at.button_group(key="build_units_0_sizes")
    assert sizes.value == 128  # the default width is one of the lecture's sizes: it shows as picked
    sizes.set_value(512).run()
    assert table_rows(at)["hidden_1"]["Kernel W"] == "(784, 512)"
    assert at.slider(key="build_units_0").value == 512 and at.number_input(key="build_units_0_typed").value == 512
    at.number_input(key="build_units_0_typed").set_value(100).run()  # between the sizes: none is picked
    assert at.button_group(key="build_units_0_sizes").value is None
    at.button_group(key="build_units_0_sizes").set_value(None).run()  # nothing picked changes nothing
    assert table_rows(at)["hidden_1"]["Kernel W"] == "(784, 100)"
    assert not at.exception


def test_a_width_typed_out_of_bounds_or_emptied_changes_nothing(at):
    box = "build_units_0_typed"
    at.number_input(key=box).set_value(5000).run()  # the browser's box refuses it; the server does too
    at.number_input(key=box).set_value(None).run()  # an emptied box gets the width back
    assert not at.exception
    assert at.slider(key="build_units_0").value == 128 and at.number_input(key=box).value == 128
    assert table_rows(at)["hidden_1"]["Kernel W"] == "(784, 128)"


def test_adding_layers_and_changing_activation(at):
    at.slider(key="build_n_hidden").set_value(3).run()
    at.selectbox(key="build_act_2").set_value("sigmoid").run()
    rows = table_rows(at)
    assert list(rows) == ["hidden_1", "hidden_2", "hidden_3", "output"]
    assert rows["hidden_2"]["Kernel W"] == "(128, 64)"
    assert rows["hidden_3"]["Activation"] == "sigmoid"
    assert at.metric[0].value == f"{784*128+128 + 128*64+64 + 64*64+64 + 64*10+10:,}"


def test_zero_hidden_layers_is_softmax_regression(at):
    at.slider(key="build_n_hidden").set_value(0).run()
    rows = table_rows(at)
    assert list(rows) == ["output"] and rows["output"]["Kernel W"] == "(784, 10)"
    assert at.metric[0].value == "7,850"


def test_link_with_network_restores_it(open_app):
    app = open_app(query={"units": "256,32", "act": "tanh,relu"})
    rows = table_rows(app)
    assert rows["hidden_1"]["Kernel W"] == "(784, 256)" and rows["hidden_1"]["Activation"] == "tanh"
    assert rows["hidden_2"]["Kernel W"] == "(256, 32)"


def test_garbage_link_gives_a_message_and_the_nearest_valid_network(open_app):
    app = open_app(query={"units": "5000,abc"})
    warning = " ".join(w.value for w in app.warning)
    assert "could not be used" in warning and "units=5000" in warning and "using 1024" in warning
    rows = table_rows(app)
    assert rows["hidden_1"]["Kernel W"] == "(784, 1024)" and rows["hidden_2"]["Kernel W"] == "(1024, 64)"
    assert app.query_params["units"] == "1024,64"  # the URL now holds the setting shown


def spread(at) -> dict:
    """The spread chart's figure: its boxes (one per Dense layer) and the σ written above each."""
    import json

    from ui import keys

    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith(keys.BUILD_SPREAD)]
    boxes, labels = json.loads(chart.proto.spec)["data"]
    return {"layers": boxes["x"], "sigma": [float(t.split("= ")[1].replace(",", "")) for t in labels["text"]],
            "high": boxes["upperfence"]}


def test_the_spread_of_every_layer_shows_and_the_start_changes_it(at):
    from fcviz.settings.initializers import Init

    at.slider(key="build_n_hidden").set_value(3).run()
    xavier = spread(at)
    assert xavier["layers"] == ["hidden_1", "hidden_2", "hidden_3", "output"]
    assert all(0.05 < s < 1 for s in xavier["sigma"])
    assert at.selectbox(key="build_init").value == Init.XAVIER
    assert any("**Xavier (Glorot uniform)** (chosen under **Initialisation** in the sidebar)" in m.value
               for m in at.markdown)

    at.selectbox(key="build_init").set_value(Init.NORMAL).run()
    normal = spread(at)
    assert not at.exception and at.query_params["init"] == "normal"
    assert normal["sigma"][0] > 5 and all(b > 3 * a for a, b in zip(normal["sigma"], normal["sigma"][1:]))  # explodes
    assert any("**Normal, σ = 1** (chosen" in m.value for m in at.markdown)
    assert table_rows(at)["hidden_1"]["Kernel W"] == "(784, 128)"  # the network's shape is the same

    at.selectbox(key="build_init").set_value(Init.ZEROS).run()
    zeros = spread(at)
    assert zeros["sigma"] == [0.0] * 4 and zeros["high"] == [0.0] * 4  # every z is 0: all units the same


def test_a_link_with_a_start_restores_it_and_a_lecture_network_keeps_it(open_app):
    app = open_app(query={"init": "he"})
    assert app.selectbox(key="build_init").value == "he"
    assert any("**He (normal)** (chosen" in m.value for m in app.markdown)
    app.button(key="build_preset_book").click().run()
    assert table_rows(app)["hidden_1"]["Kernel W"] == "(784, 512)"
    assert not app.exception and app.query_params["init"] == "he" and app.selectbox(key="build_init").value == "he"
    assert app.button(key="build_preset_book").proto.type == "primary"  # the lecture network in use, with He
