import keras
import pytest

from fcviz.net.model import architecture, build_model, keras_summary, layer_rows, summary_of
from fcviz.settings.spec import HIDDEN_ACTIVATIONS, LayerSpec, NetworkSpec


def test_lecture_dense_512_on_784_inputs():
    rows = layer_rows(build_model(NetworkSpec(hidden=(), output_units=512, output_activation="linear")))
    (row,) = rows
    assert row.kernel_shape == (784, 512)
    assert row.bias_shape == (512,)
    assert row.params == 401_920
    assert row.input_shape == (None, 784) and row.output_shape == (None, 512)
    assert row.arithmetic == "784×512 + 512 = 401,920"


def test_lecture_three_layer_net_on_3_inputs():
    spec = NetworkSpec(input_size=3, hidden=(LayerSpec(2), LayerSpec(2)), output_units=2, output_activation="linear")
    model = build_model(spec)
    rows = layer_rows(model)
    assert [r.params for r in rows] == [8, 6, 6]
    assert [r.kernel_shape for r in rows] == [(3, 2), (2, 2), (2, 2)]
    assert model.count_params() == 20 == architecture(spec).total_params
    # trainable_variables lists kernel and bias per layer: [w1, b1, w2, b2, w3, b3]
    assert [tuple(v.shape) for v in model.trainable_variables] == [(3, 2), (2,), (2, 2), (2,), (2, 2), (2,)]


def test_book_784_512_10():
    spec = NetworkSpec(hidden=(LayerSpec(512),))
    arch = architecture(spec)
    assert arch.total_params == 407_050
    assert [r.arithmetic for r in arch.rows] == ["784×512 + 512 = 401,920", "512×10 + 10 = 5,130"]
    assert "Total params: 407,050" in summary_of(spec)


def test_dropout_appears_as_a_weightless_layer():
    model = build_model(NetworkSpec(hidden=(LayerSpec(64, dropout=0.5),)))
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Dropout", "Dense"]
    dropout_row = layer_rows(model)[1]
    assert dropout_row.params == 0 and dropout_row.kernel_shape is None
    assert dropout_row.output_shape == (None, 64)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_table_matches_keras_for_each_activation(activation):
    spec = NetworkSpec(hidden=(LayerSpec(33, activation), LayerSpec(17, activation)))
    model = build_model(spec)
    rows = layer_rows(model)
    assert [r.activation for r in rows] == [activation, activation, "softmax"]
    assert sum(r.params for r in rows) == model.count_params() == 784 * 33 + 33 + 33 * 17 + 17 + 17 * 10 + 10


def test_build_model_is_a_real_sequential_that_runs():
    import numpy as np

    model = build_model(NetworkSpec(), seed=1)
    assert isinstance(model, keras.Sequential)
    out = np.asarray(model(np.zeros((4, 784), dtype="float32")))
    assert out.shape == (4, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_seeded_models_are_reproducible():
    a = build_model(NetworkSpec(), seed=7).get_weights()
    b = build_model(NetworkSpec(), seed=7).get_weights()
    assert all((x == y).all() for x, y in zip(a, b))


def test_summary_text_is_keras_own():
    text = keras_summary(build_model(NetworkSpec()))
    assert "hidden_1 (Dense)" in text and "Total params: 101,770" in text
