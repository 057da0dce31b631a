"""MNIST-faithful preprocessing and the numpy forward pass."""
import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from fcviz.data.loading import load_dataset
from fcviz.data.preprocess import MAX_CANVAS_SIDE, canvas_to_mnist, ink_from_rgba, to_mnist
from fcviz.net.forward import ACTIVATIONS, forward, predict_proba, softmax
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.settings.spec import HIDDEN_ACTIVATIONS, LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer


def canvas_with(draw) -> np.ndarray:
    """A 280×280 RGBA canvas as st_canvas returns it: black, opaque, white strokes."""
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    draw(rgba)
    return rgba


def bbox(img: np.ndarray) -> tuple[int, int]:
    rows, cols = np.flatnonzero(img.max(axis=1) > 0.05), np.flatnonzero(img.max(axis=0) > 0.05)
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def test_small_digit_in_a_corner_is_scaled_and_centred():
    def small_seven(a):
        a[10:14, 10:40, :3] = 255  # the bar
        a[14:60, 34:38, :3] = 255  # the stem
    img = canvas_to_mnist(canvas_with(small_seven))
    assert img.shape == (28, 28) and img.dtype == np.float32
    cy, cx = ndimage.center_of_mass(img)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    h, w = bbox(img)
    assert max(h, w) <= 20 and max(h, w) >= 19  # fitted to the 20×20 box
    assert 0.0 <= img.min() and img.max() <= 1.0


def test_a_seven_whose_bar_outweighs_its_stem_keeps_its_tail():
    """Centring by mass moves a heavy-topped digit down: never so far that its tail leaves the 28×28 image."""
    def heavy_seven(a):
        a[20:70, 20:260, :3] = 255  # a thick bar
        a[70:270, 230:250, :3] = 255  # a thin stem
    img = canvas_to_mnist(canvas_with(heavy_seven))
    assert bbox(img)[0] == 20  # all of it: its tail was cut to 18 of its 20 rows
    assert np.flatnonzero(img.max(axis=1) > 0.05)[-1] == 27  # moved down as far as the frame lets it


def test_aspect_ratio_is_kept():
    def tall_bar(a):
        a[20:260, 130:150, :3] = 255
    h, w = bbox(canvas_to_mnist(canvas_with(tall_bar)))
    assert h == 20 and w <= 3  # a "1" stays thin, not stretched into a square


def test_transparent_background_reads_alpha():
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)  # transparent black
    rgba[100:180, 100:180] = (255, 255, 255, 255)
    assert canvas_to_mnist(rgba).max() == pytest.approx(1.0)
    assert ink_from_rgba(rgba)[0, 0] == 0.0


def test_empty_canvas_is_none_and_bad_input_raises():
    assert canvas_to_mnist(canvas_with(lambda a: None)) is None
    assert canvas_to_mnist(None) is None
    with pytest.raises(ValueError, match="expected an image"):
        ink_from_rgba(np.zeros((4, 4, 7)))


def test_mnist_digits_pass_through_unchanged_in_position():
    ds = load_dataset("sample")
    for img in ds.x_test[:50].reshape(-1, 28, 28):
        out = to_mnist(img)
        assert np.abs(np.array(ndimage.center_of_mass(out)) - 14).max() <= 1.0


@pytest.fixture(scope="module")
def trained():
    ds = load_dataset("sample")
    run = Run(NetworkSpec(), TrainConfig(epochs=10), ds)
    Trainer(run, ds, 10).start().join()
    return ds, run.model


def test_enlarged_test_digits_are_read_as_well_as_the_originals(trained):
    """An MNIST digit blown up to canvas size and back through preprocessing keeps its accuracy."""
    ds, model = trained
    layers = dense_weights(model)
    x, y = ds.x_test, ds.y_test
    canvases = [np.asarray(Image.fromarray((img.reshape(28, 28) * 255).astype(np.uint8)).resize((280, 280),
                           Image.BILINEAR)) for img in x]
    redone = np.stack([canvas_to_mnist(c).reshape(784) for c in canvases])
    acc_orig = (predict_proba(layers, x).argmax(1) == y).mean()
    acc_redone = (predict_proba(layers, redone).argmax(1) == y).mean()
    assert acc_orig > 0.9
    assert abs(acc_orig - acc_redone) <= 0.02, (acc_orig, acc_redone)


def test_numpy_probabilities_equal_keras_trained(trained):
    ds, model = trained
    np.testing.assert_allclose(predict_proba(dense_weights(model), ds.x_test[:64]),
                               np.asarray(model(ds.x_test[:64], training=False)), atol=1e-5)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("depth", [0, 1, 3])
def test_numpy_forward_matches_keras(activation, depth):
    spec = NetworkSpec(hidden=tuple(LayerSpec(48 - 8 * i, activation, 0.3) for i in range(depth)))
    model = build_model(spec, seed=depth)
    x = np.random.default_rng(depth).random((8, 784), dtype=np.float32)
    outs = forward(dense_weights(model), x)
    assert [o.post.shape for o in outs] == [(8, w) for w in spec.widths[1:]]
    np.testing.assert_allclose(outs[-1].post, np.asarray(model(x, training=False)), atol=1e-5)


def test_lecture_network_with_linear_output():
    spec = NetworkSpec(input_size=3, hidden=(LayerSpec(2), LayerSpec(2)), output_units=2, output_activation="linear")
    model = build_model(spec, seed=0)
    x = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
    np.testing.assert_allclose(forward(dense_weights(model), x)[-1].post, np.asarray(model(x)), atol=1e-5)


def test_softmax_is_stable_and_sums_to_one():
    p = softmax(np.array([[1000.0, 1001.0, 999.0]]))
    assert np.isfinite(p).all() and p.sum() == pytest.approx(1.0) and p.argmax() == 1
    assert set(ACTIVATIONS) >= set(HIDDEN_ACTIVATIONS) | {"softmax"}


def test_an_image_far_bigger_than_the_canvas_is_refused():
    with pytest.raises(ValueError, match="at most"):
        canvas_to_mnist(np.zeros((MAX_CANVAS_SIDE + 1, 10, 4), dtype=np.uint8))
