"""How the weights start (issue 28): each choice draws the spread the lecture gives it, a link without `init=` builds
what it always built, the choice travels through links, the exported script and `.keras` files, and the spread of
each layer's z at initialisation explodes with σ = 1, stays with He and is 0 with zeros."""
import re

import keras
import numpy as np
import pytest

from fcviz.files.export import run_script
from fcviz.files.persist import ModelFileError, check_model_file, load_model_bytes, run_to_bytes
from fcviz.net.forward import DenseWeights
from fcviz.net.model import build_model
from fcviz.net.reader import init_from_config, spec_of
from fcviz.net.spread import initial_spread, layer_spreads
from fcviz.plots.charts import sigma_text
from fcviz.settings import initializers
from fcviz.settings.initializers import Init
from fcviz.settings.link import Settings
from fcviz.settings.spec import LayerSpec, NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz_dev import bad_models

WIDE = NetworkSpec(hidden=(LayerSpec(256),))  # a 784×256 kernel: 200,704 weights, a steady standard deviation


@pytest.mark.parametrize("init, expected", [(Init.XAVIER, (2 / (784 + 256)) ** 0.5), (Init.HE, (2 / 784) ** 0.5),
                                            (Init.NORMAL, 1.0), (Init.ZEROS, 0.0)])
def test_each_start_draws_the_spread_the_lecture_gives_it(init, expected):
    model = build_model(NetworkSpec(hidden=WIDE.hidden, init=init), seed=1)
    kernel, bias = (np.asarray(w) for w in model.get_layer("hidden_1").get_weights())
    assert kernel.shape == (784, 256)
    assert kernel.std() == pytest.approx(expected, rel=0.02, abs=1e-12)
    assert kernel.mean() == pytest.approx(0.0, abs=0.01 * max(expected, 1e-3))
    assert initializers.BY_NAME[init].expected_std(784, 256) == pytest.approx(expected)
    assert not bias.any()  # every bias starts at 0, whatever the kernels do
    if init == Init.ZEROS:
        assert not kernel.any()
    if init == Init.XAVIER:  # uniform within ±√(6 / (fan_in + fan_out))
        assert np.abs(kernel).max() <= (6 / (784 + 256)) ** 0.5


def test_a_link_without_init_builds_exactly_what_it_built_before():
    settings, notes = Settings.from_link({"units": "64,32"})
    assert notes == [] and settings.network.init == Init.XAVIER
    seed = 5
    before = keras.Sequential([keras.Input(shape=(784,))] + [  # the builder as it was: GlorotUniform(seed + i)
        keras.layers.Dense(units, activation=act, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i))
        for i, (units, act) in ((1, (64, "relu")), (2, (32, "relu")), (0, (10, "softmax")))])
    now = build_model(settings.network, seed=seed)
    for old, new in zip(before.get_weights(), now.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_the_same_seed_gives_the_same_start_and_another_seed_another():
    spec = NetworkSpec(hidden=(LayerSpec(32), LayerSpec(32)), init=Init.HE)
    a, b, c = (build_model(spec, seed=s).get_weights() for s in (3, 3, 4))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(a[0][:32, :32], a[2])  # each layer seeded on its own (seed + i)


@pytest.mark.parametrize("init", list(Init))
def test_the_choice_round_trips_through_a_link(init):
    settings = Settings(network=NetworkSpec(init=init))
    query = settings.to_query()
    assert query["init"] == init.value
    again = Settings.from_query(query)
    assert again == settings and isinstance(again.network.init, Init) and again.network.init is init


def test_a_bad_init_in_a_link_warns_and_falls_back_and_strict_reading_refuses_it():
    settings, notes = Settings.from_link({"init": "glorot<script>"})
    assert settings.network.init == Init.XAVIER
    assert notes == ["'init=glorot<script>' is not one of xavier, he, normal, zeros: using xavier."]
    with pytest.raises(SpecError, match="initialisation must be one of xavier, he, normal, zeros"):
        Settings.from_query({"init": "ones"})
    with pytest.raises(SpecError):
        NetworkSpec(init="orthogonal")
    assert "init" in Settings.from_link({"hide": "init"})[0].hide  # a classroom link may hide the choice


@pytest.mark.parametrize("init", list(Init))
def test_the_exported_script_builds_the_same_start(init):
    spec = NetworkSpec(hidden=(LayerSpec(48, "tanh", 0.2), LayerSpec(24)), init=init)
    script = run_script(spec, TrainConfig(seed=9), "sample")
    code = initializers.BY_NAME[init].keras_class
    assert script.count(f"kernel_initializer=keras.initializers.{code}(") == 3
    layers = re.search(r"^model = (keras\.Sequential\(\[\n.*?\n\]\))$", script, re.S | re.M).group(1)
    built = eval(layers, {"keras": keras, "SEED": 9})  # the script's own model, as the student's Python makes it
    for a, b in zip(built.get_weights(), build_model(spec, seed=9).get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("init", list(Init))
def test_a_saved_file_carries_the_start_and_the_upload_checker_accepts_each(init):
    spec = NetworkSpec(hidden=(LayerSpec(16), LayerSpec(8)), init=init)
    model = build_model(spec, seed=2)
    assert spec_of(model) == spec
    data = run_to_bytes(model, TrainConfig(), [])
    assert check_model_file(data) == spec
    assert spec_of(load_model_bytes(data)) == spec


def test_the_upload_checker_refuses_every_other_start():
    good = run_to_bytes(build_model(NetworkSpec(hidden=(LayerSpec(16),))), TrainConfig(), [])
    refused = {
        "a string": ("he_normal", "start from he_normal"),
        "Constant": ({"module": "keras.initializers", "class_name": "Constant", "config": {"value": 1e30}}, "start from Constant"),
        "a σ of 0.05": ({"module": "keras.initializers", "class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.05, "seed": None}},
                        "stddev=0.05"),
        "no σ": ({"module": "keras.initializers", "class_name": "RandomNormal", "config": {"mean": 0.0, "seed": None}}, "without stddev"),
        "a seed for zeros": ({"module": "keras.initializers", "class_name": "Zeros", "config": {"seed": 1}}, "Zeros with seed=1"),
        "a custom fan": ({"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": None, "input_axes": [0, 0]}}, "input_axes"),
        "a boolean seed": ({"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": True}}, "seed=True"),
        "a config that is a list": ({"module": "keras.initializers", "class_name": "GlorotUniform", "config": [1]}, "start from GlorotUniform"),
    }
    for what, (start, message) in refused.items():
        with pytest.raises(SpecError, match=re.escape(message)):
            init_from_config(start)

        def edit(config, start=start):
            config["config"]["layers"][1]["config"]["kernel_initializer"] = start
        with pytest.raises(ModelFileError, match=re.escape(message)):
            check_model_file(bad_models.with_config(good, edit))

    def mixed(config):  # the output layer starts from zeros, the hidden one from Xavier
        config["config"]["layers"][-1]["config"]["kernel_initializer"] = {"module": "keras.initializers", "class_name": "Zeros", "config": {}}
    with pytest.raises(ModelFileError, match="different initialisers"):
        check_model_file(bad_models.with_config(good, mixed))


def test_the_spread_of_z_is_each_layers_own():
    x = np.array([[1.0, 2.0], [3.0, -4.0]], np.float32)
    layers = [DenseWeights("hidden_1", np.eye(2, dtype=np.float32) * 2, np.zeros(2, np.float32), "relu"),
              DenseWeights("output", np.ones((2, 1), np.float32), np.array([1.0], np.float32), "linear")]
    first, out = layer_spreads(layers, x)
    z1 = np.array([[2.0, 4.0], [6.0, -8.0]])
    assert (first.name, first.fan_in, first.fan_out) == ("hidden_1", 2, 2)
    assert first.std == pytest.approx(z1.std()) and (first.low, first.high) == (-8.0, 6.0)
    assert (first.q1, first.median, first.q3) == pytest.approx(tuple(np.percentile(z1, [25, 50, 75])))
    assert first.weight_std == pytest.approx(np.std(np.eye(2) * 2))
    assert out.std == pytest.approx(np.std([2 + 4 + 1, 6 + 0 + 1]))  # relu(z1) summed, plus the bias


def test_the_spread_explodes_with_sigma_one_stays_with_he_and_is_zero_with_zeros():
    deep = (LayerSpec(256),) * 4
    spreads = {init: [s.std for s in initial_spread(NetworkSpec(hidden=deep, init=init)).layers] for init in Init}
    assert initial_spread(NetworkSpec(hidden=deep)).digits  # real sample digits went through it
    normal, he, xavier = spreads[Init.NORMAL], spreads[Init.HE], spreads[Init.XAVIER]
    assert all(b > 5 * a for a, b in zip(normal, normal[1:]))  # about √fan_in times per layer
    assert normal[-1] > 1e4
    assert max(he) < 2 * min(he)  # He keeps a ReLU network's spread steady ...
    assert xavier[-1] < xavier[0]  # ... Xavier lets it shrink through ReLUs, slowly
    assert all(v < 1 for v in he + xavier)
    assert spreads[Init.ZEROS] == [0.0] * 5
    assert initial_spread(NetworkSpec(hidden=deep, init=Init.HE)) is initial_spread(
        NetworkSpec(hidden=deep, init=Init.HE))  # computed once per network
    lecture = initial_spread(NetworkSpec(input_size=3, hidden=(LayerSpec(2),), output_units=2,
                                         output_activation="linear"))
    assert not lecture.digits and len(lecture.layers) == 2  # another input size: random inputs


def test_a_new_network_is_built_once_for_the_build_pages_table_and_spread(monkeypatch):
    from fcviz.net import model

    builds = []
    real = model.build_model
    monkeypatch.setattr(model, "build_model", lambda spec, **kw: builds.append(spec) or real(spec, **kw))
    spec = NetworkSpec(hidden=(LayerSpec(77), LayerSpec(13)))  # a width no other test asks for
    arch, spread = model.architecture(spec), initial_spread(spec, TrainConfig().seed)
    assert builds == [spec]
    assert arch.total_params == 784 * 77 + 77 + 77 * 13 + 13 + 13 * 10 + 10
    assert [(s.fan_in, s.fan_out) for s in spread.layers] == [(784, 77), (77, 13), (13, 10)]


def test_the_spread_chart_is_made_once_per_network_and_language():
    from fcviz import i18n
    from fcviz.plots.charts import spread_figure

    spread = initial_spread(WIDE)
    try:
        english = spread_figure(spread)
        assert spread_figure(spread) is english and list(english.data[0].x) == ["hidden_1", "output"]
        i18n.use("zh")
        chinese = spread_figure(spread)
        assert chinese is not english and list(chinese.data[0].x) == ["隐藏层 1", "输出层"]
    finally:
        i18n.use(None)


@pytest.mark.parametrize("std, text", [(0.0, "σ = 0"), (0.04217, "σ = 0.042"), (0.421, "σ = 0.42"), (9.419, "σ = 9.4"),
                                       (640.2, "σ = 640"), (184824.5, "σ = 184,824")])
def test_a_spread_is_labelled_without_exponents(std, text):
    assert sigma_text(std) == text


def test_a_run_starts_from_the_chosen_weights_with_its_seed():
    from fcviz.data.loading import load_dataset
    from fcviz.train.training import Run

    spec = NetworkSpec(hidden=(LayerSpec(32),), init=Init.NORMAL)
    run = Run(spec, TrainConfig(seed=6), load_dataset("sample"))
    for a, b in zip(run.model.get_weights(), build_model(spec, seed=6).get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # what the Train page trains is what the spread plot shows
    assert not Run(NetworkSpec(init=Init.ZEROS), TrainConfig(), load_dataset("sample")).model.get_weights()[0].any()
