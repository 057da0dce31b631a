"""A unit's own sum and the input gradient, against Keras' forward pass and TensorFlow's gradient."""
import numpy as np
import pytest
import tensorflow as tf

from fcviz.data.loading import load_dataset
from fcviz.net.forward import forward
from fcviz.net.model import build_model
from fcviz.net.neuron import input_gradient, strongest_pixel, unit_sum
from fcviz.net.reader import dense_weights
from fcviz.settings.spec import LayerSpec, NetworkSpec

NETWORKS = [
    NetworkSpec(hidden=(LayerSpec(32, "relu"),)),
    NetworkSpec(hidden=(LayerSpec(16, "sigmoid"), LayerSpec(12, "tanh", 0.3), LayerSpec(8, "linear"))),
    NetworkSpec(hidden=(LayerSpec(20, "relu"),), output_activation="sigmoid"),
    NetworkSpec(hidden=(), output_activation="softmax"),  # logistic regression: no hidden layer
    NetworkSpec(hidden=(LayerSpec(16, "tanh", batchnorm=True), LayerSpec(16, "sigmoid", batchnorm=True),
                        LayerSpec(16)), skip=True),  # batch norm and skip connections
]


@pytest.fixture(scope="module")
def digit() -> np.ndarray:
    return load_dataset("sample").x_test[:1]


@pytest.mark.parametrize("spec", NETWORKS, ids=lambda s: s.name)
def test_every_unit_sum_is_the_forward_pass(spec, digit):
    model = build_model(spec, seed=3)
    layers = dense_weights(model)
    outputs = forward(layers, digit)
    for layer in range(len(layers)):
        for unit in (0, layers[layer].kernel.shape[1] - 1):
            s = unit_sum(layers, outputs, digit, layer, unit)
            assert s.inputs.shape == s.weights.shape == (layers[layer].kernel.shape[0],)
            z = outputs[layer].pre if outputs[layer].dense is None else outputs[layer].dense
            assert s.z == pytest.approx(float(z[0, unit]), abs=1e-4)
            if s.normed is not None:
                assert s.normed == pytest.approx(float(outputs[layer].pre[0, unit]), abs=1e-6)
            assert s.output == pytest.approx(float(outputs[layer].post[0, unit]), abs=1e-6)
            if layer == 0:  # the first layer reads the pixels: no ink, no contribution
                assert np.all(s.contributions[digit[0] == 0] == 0)
    keras_out = model(digit, training=False).numpy()[0]
    last = unit_sum(layers, outputs, digit, len(layers) - 1, 0)
    assert last.output == pytest.approx(float(keras_out[0]), abs=1e-5)


@pytest.mark.parametrize("spec", NETWORKS, ids=lambda s: s.name)
@pytest.mark.parametrize("target", [0, 7])
def test_input_gradient_is_tensorflows(spec, target, digit):
    model = build_model(spec, seed=5)
    x = tf.constant(digit)
    with tf.GradientTape() as tape:
        tape.watch(x)
        p = model(x, training=False)[0, target]
    expected = tape.gradient(p, x).numpy()[0]
    layers = dense_weights(model)
    got = input_gradient(layers, forward(layers, digit), target)
    assert got.shape == (784,)
    assert np.abs(expected).max() > 0  # a gradient worth comparing
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-4 * np.abs(expected).max())


def test_more_ink_where_the_gradient_is_positive_raises_the_probability(digit):
    """The map means what it says: a small step along the gradient makes the class more likely."""
    layers = dense_weights(build_model(NETWORKS[0], seed=1))
    target = 3
    before = forward(layers, digit)
    grad = input_gradient(layers, before, target)
    nudged = digit + 1e-2 * grad / np.abs(grad).max()
    assert forward(layers, nudged)[-1].post[0, target] > before[-1].post[0, target]


def test_the_strongest_pixel_is_inside_the_box_mnist_inks():
    gradient = np.zeros((28, 28))
    gradient[0, 0] = 9.0  # an edge weight that never learned
    gradient[10, 17] = 1.0
    assert strongest_pixel(gradient.ravel()) == (10, 17)


def test_the_pixel_maps_scale_writes_small_numbers_as_powers_of_ten_not_micro():
    from fcviz.plots.charts import gradient_map

    fig = gradient_map(np.full(784, 1e-4), np.zeros(784))
    assert fig.data[0].colorbar.exponentformat == "power"
