"""Batch normalisation and skip connections (issue 28's heroes): the settings in links, the model Keras builds and
counts, the numpy forward pass against Keras, training through the engine (moving statistics updated and kept),
time travel, the file round trip, and the exported script."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from fcviz.data.loading import SAMPLE_PATH, load_dataset
from fcviz.files.export import run_script, script_name
from fcviz.files.persist import check_model_file, load_model_bytes, run_to_bytes
from fcviz.net import scores as scoring
from fcviz.net.forward import batch_norm, forward
from fcviz.net.model import architecture, build_model, summary_of
from fcviz.net.reader import dense_weights, params_of, spec_from_config, spec_of
from fcviz.net.snapshots import layers_at
from fcviz.settings.link import Settings
from fcviz.settings.spec import LayerSpec, NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.store import handwriting
from fcviz.train.steps import borrowed, compiled
from fcviz.train.training import Run, Trainer

BN_SKIP = NetworkSpec(hidden=(LayerSpec(64, batchnorm=True), LayerSpec(64, "tanh", batchnorm=True),
                              LayerSpec(32, "sigmoid")), skip=True)
SPECS = [
    BN_SKIP,
    NetworkSpec(hidden=(LayerSpec(256, batchnorm=True), LayerSpec(128, dropout=0.2))),  # batch norm, no skip
    NetworkSpec(hidden=(LayerSpec(64, "tanh", 0.3), LayerSpec(64, "sigmoid"), LayerSpec(64)), skip=True),  # skip
    NetworkSpec(hidden=(LayerSpec(784), LayerSpec(16)), skip=True),  # the first layer's input added too
]


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


def stirred(model: keras.Model, seed: int = 0) -> keras.Model:
    """Every weight moved off its start (γ ≠ 1, β ≠ 0, moving μ ≠ 0, σ² ≠ 1), as after training."""
    rng = np.random.default_rng(seed)
    model.set_weights([w + rng.normal(0, 0.3, w.shape).astype(np.float32) if w.ndim == 1 else w
                       for w in model.get_weights()])
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.moving_variance.assign(rng.uniform(0.2, 3.0, layer.moving_variance.shape).astype(np.float32))
    return model


# ---- settings and links ----------------------------------------------------------------------------------------
def test_a_link_carries_batch_norm_per_layer_and_the_skip_switch():
    settings = Settings.from_query({"units": "256,256", "bn": "1,0", "skip": "1"})
    assert [h.batchnorm for h in settings.network.hidden] == [True, False] and settings.network.skip
    query = settings.to_query()
    assert query["bn"] == "1,0" and query["skip"] == "1"
    assert Settings.from_query(query) == settings


def test_a_link_without_them_builds_what_it_always_built():
    spec = Settings.from_query({"units": "128,64", "dropout": "0.2,0"}).network
    assert not spec.skip and not any(h.batchnorm for h in spec.hidden)
    model = build_model(spec, seed=1)
    assert isinstance(model, keras.Sequential)
    assert [layer.name for layer in model.layers] == ["hidden_1", "dropout_1", "hidden_2", "output"]


def test_a_bad_link_value_is_noted_not_fatal():
    settings, notes = Settings.from_link({"units": "64,64", "bn": "yes,maybe", "skip": "2"})
    assert [h.batchnorm for h in settings.network.hidden] == [True, False] and not settings.network.skip
    assert any("'bn=maybe' is not 1 or 0" in n for n in notes) and any("'skip=2'" in n for n in notes)
    with pytest.raises(SpecError):
        Settings.from_query({"units": "64", "bn": "maybe"})


def test_skip_connections_fit_only_where_the_widths_match():
    spec = NetworkSpec(hidden=(LayerSpec(256), LayerSpec(128), LayerSpec(128)), skip=True)
    assert [(s.n_in, s.n_out, s.fits) for s in spec.skips()] == [(784, 256, False), (256, 128, False),
                                                                 (128, 128, True)]
    assert [spec.skip_at(i) for i in (1, 2, 3)] == [False, False, True]
    model = build_model(spec)
    assert [layer.name for layer in model.layers if isinstance(layer, keras.layers.Add)] == ["skip_3"]


# ---- what Keras builds and counts --------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_the_table_counts_what_keras_counts(spec):
    model = build_model(spec)
    arch = architecture(spec)
    trainable = sum(int(np.prod(v.shape)) for v in model.trainable_weights)
    assert arch.total_params == model.count_params() == params_of(spec)
    assert arch.trainable_params == trainable
    assert arch.non_trainable == sum(2 * h.units for h in spec.hidden if h.batchnorm)
    assert sum(r.params for r in arch.rows) == arch.total_params and sum(r.trained for r in arch.rows) == trainable
    for row in arch.rows:
        if row.kind == "BatchNormalization":
            n = row.output_shape[-1]
            assert (row.params, row.trained) == (4 * n, 2 * n)
            assert row.arithmetic == f"γ {n:,} + β {n:,} + μ {n:,} + σ² {n:,} = {4 * n:,} ({2 * n:,} trainable)"


def test_the_lectures_example_with_batch_norm_and_skip():
    """784-256-256-10 with batch norm on both and skip: Keras' own numbers."""
    spec = NetworkSpec.from_query({"units": "256,256", "bn": "1,1", "skip": "1"})
    arch = architecture(spec)
    assert (arch.total_params, arch.trainable_params, arch.non_trainable) == (271_370, 270_346, 1_024)
    assert [r.name for r in arch.rows] == ["hidden_1", "batchnorm_1", "activation_1", "hidden_2", "batchnorm_2",
                                           "activation_2", "skip_2", "output"]
    assert "Non-trainable params: 1,024" in summary_of(spec)


# ---- the numpy forward pass ----------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_numpy_forward_equals_keras_at_prediction_time(spec, ds):
    model = stirred(build_model(spec, seed=2))
    x = ds.x_test[:16]
    outputs = forward(dense_weights(model), x)
    np.testing.assert_allclose(outputs[-1].post, np.asarray(model(x, training=False)), atol=2e-5)


def test_batch_norm_in_training_uses_the_batchs_own_statistics(ds):
    """Keras in training mode normalises with the batch's μ and σ² (not the moving ones): the formula on the
    Inside page gives the same numbers."""
    model = stirred(build_model(NetworkSpec(hidden=(LayerSpec(32, batchnorm=True),)), seed=1))
    x = ds.x_test[:50]
    dense, norm = model.get_layer("hidden_1"), model.get_layer("batchnorm_1")
    z = np.asarray(dense(x))
    gamma, beta, _mean, _var = (np.asarray(w) for w in norm.get_weights())
    ours = batch_norm(z, z.mean(axis=0), z.var(axis=0), gamma, beta, norm.epsilon)
    np.testing.assert_allclose(ours, np.asarray(norm(z, training=True)), atol=2e-5)


def test_a_saved_runs_weights_keep_batch_norm_and_skip(ds):
    """The class board tests a run's packed weights without Keras: batch norm and skip connections included."""
    model = stirred(build_model(BN_SKIP, seed=3))
    layers = handwriting.unpack(handwriting.pack(dense_weights(model)))
    np.testing.assert_allclose(handwriting.predictions(layers, ds.x_test[:40].reshape(-1, 28, 28)),
                               np.asarray(model(ds.x_test[:40], training=False)).argmax(axis=1))


# ---- training --------------------------------------------------------------------------------------------------
def test_the_in_graph_step_trains_batch_norm_as_fit_does(ds):
    """One epoch from the same weights in the same order: the same loss as `fit`, and the moving mean and
    variance updated in training mode, kept in `weights()`."""
    spec, x, y, n, bs = BN_SKIP, ds.x_train, ds.y_train, 1024, 32
    reference = compiled(spec, "adam", 1e-3, seed=3)
    start = reference.get_weights()
    history = reference.fit(x[:n], y[:n], batch_size=bs, epochs=1, shuffle=False, verbose=0,
                            validation_data=(ds.x_test, ds.y_test)).history
    xt, yt = tf.constant(x), tf.constant(y)
    with borrowed(spec, "adam", 0.0) as stepper:
        stepper.load(start, None, 1e-3, seed=3)
        losses = []
        for i in range(0, n, 8 * bs):
            losses += stepper.train(xt, yt, np.arange(i, min(i + 8 * bs, n)), bs, 8)[0].tolist()
        scores = scoring.scores(dense_weights(stepper.model), ds.x_test, ds.y_test)  # as the job scores them
        trained = stepper.weights()
    assert np.mean(losses) == pytest.approx(history["loss"][0], rel=1e-3)
    assert scores.accuracy == pytest.approx(history["val_accuracy"][0], abs=2e-3)
    names = [v.path for v in reference.weights]
    moving = [i for i, name in enumerate(names) if "moving" in name]
    assert len(moving) == 4 and len(trained) == len(start)
    for i in moving:
        assert not np.allclose(trained[i], start[i]), names[i]  # updated while training
        np.testing.assert_allclose(trained[i], reference.get_weights()[i], rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("spec", [BN_SKIP, NetworkSpec(hidden=(LayerSpec(64), LayerSpec(64)), skip=True)],
                         ids=["batch norm and skip", "skip"])
def test_a_short_training_learns_and_time_travel_sees_the_moving_statistics(spec, ds):
    run = Run(spec, TrainConfig(train_size=1000, batch_size=32, epochs=2), ds)
    trainer = Trainer(run, ds, 2).start()
    trainer.join(240)
    progress = trainer.progress()
    assert progress.state == "finished" and progress.message is None
    assert run.epochs[-1].test_accuracy > 0.6
    snapshot = run.snapshots[-1]
    assert len(snapshot.weights) == len(run.model.get_weights())
    layers = layers_at(dense_weights(run.model), snapshot.weights)
    model = build_model(spec)
    model.set_weights(list(snapshot.weights))
    x = ds.x_test[:20]
    np.testing.assert_allclose(forward(layers, x)[-1].post, np.asarray(model(x, training=False)), atol=2e-5)
    first = layers_at(dense_weights(run.model), run.snapshots[0].weights)
    if spec.hidden[0].batchnorm:  # the moving mean starts at 0 and has moved by the end
        assert not first[0].norm.mean.any() and layers[0].norm.mean.any()


# ---- files -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_a_saved_file_reads_back_as_the_same_network(spec):
    model = stirred(build_model(spec, seed=5))
    data = run_to_bytes(model, TrainConfig(), [])
    assert check_model_file(data) == spec
    loaded = load_model_bytes(data)
    assert spec_of(loaded) == spec
    assert all(np.array_equal(a, b) for a, b in zip(loaded.get_weights(), model.get_weights()))
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    assert spec_from_config(config) == spec


# ---- the run as code -------------------------------------------------------------------------------------------
def test_the_exported_script_builds_batch_norm_and_skip_and_ends_at_the_apps_accuracy(ds, tmp_path):
    spec = NetworkSpec(hidden=(LayerSpec(64, batchnorm=True), LayerSpec(64, batchnorm=True)), skip=True)
    config = TrainConfig(epochs=3, batch_size=64, train_size=2000, seed=4)
    run = Run(spec, config, ds)
    trainer = Trainer(run, ds, config.epochs).start()
    trainer.join(300)
    assert trainer.progress().state == "finished"
    script = tmp_path / script_name(spec)
    text = run_script(spec, config, "sample", epochs=len(run.epochs))
    assert "keras.layers.BatchNormalization()" in text and "keras.layers.Add()([x, h])" in text
    script.write_text(text)
    shutil.copy(SAMPLE_PATH, tmp_path / SAMPLE_PATH.name)
    done = subprocess.run([sys.executable, script.name], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    script_accuracy = float(re.search(r"^test accuracy: (\d\.\d+)$", done.stdout, re.M).group(1))
    assert script_accuracy == pytest.approx(run.epochs[-1].test_accuracy, abs=0.01)
    assert f"Total params: {params_of(spec):,}" in done.stdout
    assert f"Non-trainable params: {2 * 64 * 2:,}" in done.stdout


def test_the_draw_pages_gradient_goes_through_batch_norm_and_skip(ds):
    """∂P/∂pixel in numpy (the Draw page's map) equals TensorFlow's, through moved batch-norm statistics and the
    skip connections."""
    from fcviz.net.neuron import input_gradient

    model = stirred(build_model(BN_SKIP, seed=6), seed=1)
    digit = ds.x_test[:1]
    x = tf.constant(digit)
    with tf.GradientTape() as tape:
        tape.watch(x)
        p = model(x, training=False)[0, 4]
    expected = tape.gradient(p, x).numpy()[0]
    layers = dense_weights(model)
    got = input_gradient(layers, forward(layers, digit), 4)
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-4 * np.abs(expected).max())


def test_a_runs_line_says_batch_norm_and_skip(ds):
    """The line that names a run in lists, legends and the class board's settings column."""
    assert ", batch norm, skip connections" in Run(BN_SKIP, TrainConfig(), ds).label
    no_room = NetworkSpec(hidden=(LayerSpec(64),), skip=True)  # 784 ≠ 64: nothing is added
    assert "skip" not in Run(no_room, TrainConfig(), ds).label and "batch norm" not in Run(no_room, TrainConfig(),
                                                                                             ds).label
