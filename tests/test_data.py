import numpy as np
import pytest

from fcviz import data
from fcviz.data import DataUnavailable, load_dataset, load_npz, load_or_fallback


def test_bundled_sample_is_real_stratified_mnist():
    ds = load_dataset("sample")
    assert ds.x_train.shape == (4000, 784) and ds.x_test.shape == (1000, 784)
    assert ds.x_train.dtype == np.float32
    assert 0.0 == ds.x_train.min() and ds.x_train.max() == 1.0
    assert np.bincount(ds.y_train).tolist() == [400] * 10
    assert np.bincount(ds.y_test).tolist() == [100] * 10
    # MNIST digits: white ink on black, about 19 % of pixels lit, the border empty
    img = ds.x_train.reshape(-1, 28, 28)
    assert 0.1 < (img > 0.5).mean() < 0.3
    assert img[:, 0, :].max() < 0.2


def test_train_and_test_do_not_overlap():
    ds = load_dataset("sample")
    train = {row.tobytes() for row in (ds.x_train * 255).astype(np.uint8)}
    assert not any(row.tobytes() in train for row in (ds.x_test * 255).astype(np.uint8))


def test_loader_is_cached():
    assert load_dataset("sample") is load_dataset("sample")


def test_local_npz_in_keras_layout(tmp_path):
    path = tmp_path / "mnist.npz"
    rng = np.random.default_rng(0)
    np.savez(path, x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), y_train=np.arange(20) % 10,
             x_test=rng.integers(0, 256, (5, 28, 28), dtype=np.uint8), y_test=np.arange(5))
    ds = load_npz(path)
    assert ds.x_train.shape == (20, 784) and ds.x_test.shape == (5, 784)
    assert ds.x_train.max() <= 1.0 and ds.name == "MNIST from mnist.npz"
    assert ds.size == "20 train / 5 test"


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"x_train": np.zeros((2, 28, 28))}, "lacks the array"),
        ({"x_train": np.zeros((2, 10)), "y_train": np.zeros(2), "x_test": np.zeros((1, 10)), "y_test": np.zeros(1)},
         "28x28"),
        ({"x_train": np.zeros((2, 784)), "y_train": np.array([0, 11]), "x_test": np.zeros((1, 784)),
          "y_test": np.zeros(1)}, "digits 0-9"),
    ],
)
def test_bad_npz_gives_clear_error(tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(DataUnavailable, match=message):
        load_npz(path)


def test_not_an_npz(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_text("hello")
    with pytest.raises(DataUnavailable, match="not a readable .npz"):
        load_npz(path)
    with pytest.raises(DataUnavailable, match="no file"):
        load_npz(tmp_path / "missing.npz")


def test_offline_full_mnist_falls_back_to_sample(monkeypatch):
    import keras

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure on https://example.invalid/mnist.npz: None -- [Errno -3]")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    load_dataset.cache_clear()
    with pytest.raises(DataUnavailable, match="could not be downloaded"):
        data.load_full_mnist()
    ds, warning = load_or_fallback("mnist")
    assert ds.name == "MNIST sample" and "Using the bundled MNIST sample instead" in warning
    load_dataset.cache_clear()


def test_unknown_source():
    with pytest.raises(DataUnavailable, match="unknown data source"):
        load_dataset("imagenet")
