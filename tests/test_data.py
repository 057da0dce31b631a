import gzip
import io
import zipfile

import numpy as np
import pytest

from fcviz.data import loading as data
from fcviz.data.loading import (
    MAX_DATA_BYTES,
    DataUnavailable,
    dataset_from_upload,
    folder_datasets,
    load_dataset,
    load_folder,
    load_npz,
    load_or_fallback,
)
from fcviz.data.sources import FOLDER
from fcviz_dev.idx import idx_bytes, idx_files, write_idx_folder


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


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """A data folder as a server's owner fills it: the sample as IDX files, and as an .npz."""
    monkeypatch.setenv("FCVIZ_DATA_DIR", str(tmp_path))
    sample = load_dataset("sample")
    write_idx_folder(sample, tmp_path / "digits-idx")
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "notes.txt").write_text("not data")
    np.savez_compressed(tmp_path / "digits.npz", x_train=(sample.x_train * 255).astype(np.uint8),
                        y_train=sample.y_train, x_test=(sample.x_test * 255).astype(np.uint8), y_test=sample.y_test)
    load_dataset.cache_clear()
    yield tmp_path
    load_dataset.cache_clear()


def test_the_data_folder_offers_its_data_sets_by_name(data_folder):
    assert folder_datasets() == ["digits-idx", "digits.npz"]
    sample = load_dataset("sample")
    for name in folder_datasets():
        ds = load_dataset(FOLDER + name)
        assert ds.name == name
        np.testing.assert_array_equal(ds.x_train, sample.x_train)  # the same real digits, read from IDX
        np.testing.assert_array_equal(ds.y_test, sample.y_test)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "notes.txt", "empty-folder", "missing.npz"])
def test_nothing_outside_the_folders_list_is_read(data_folder, name):
    with pytest.raises(DataUnavailable, match="has no data set called"):
        load_folder(name)
    ds, warning = load_or_fallback(FOLDER + name)
    assert ds.name == "MNIST sample" and "no data set called" in warning


def test_no_data_folder_offers_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FCVIZ_DATA_DIR", str(tmp_path / "nowhere"))
    assert folder_datasets() == []


def test_uploads_of_idx_files_or_an_npz():
    sample = load_dataset("sample")
    files = idx_files(sample)
    ds = dataset_from_upload(list(files.items()))
    assert ds.size == "4,000 train / 1,000 test" and ds.name == "uploaded IDX files"
    assert dataset_from_upload(list(reversed(files.items()))) is ds  # one copy per content, whatever the order
    buf = io.BytesIO()
    np.savez(buf, x_train=np.zeros((3, 28, 28), np.uint8), y_train=[1, 2, 3], x_test=np.zeros((1, 784), np.uint8),
             y_test=[4])
    assert dataset_from_upload([("mine.npz", buf.getvalue())]).size == "3 train / 1 test"


def gzip_bomb() -> bytes:
    """An IDX header promising 10 labels, then 200 MB of zeros that gzip to 200 KB."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as f:
        f.write((0x0801).to_bytes(4, "big") + (10).to_bytes(4, "big"))
        for _ in range(200):
            f.write(bytes(1024 * 1024))
    return out.getvalue()


def npz_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("y_train", "x_test", "y_test"):
            zf.writestr(f"{name}.npy", b"")
        with zf.open("x_train.npy", "w", force_zip64=True) as f:
            for _ in range(200):
                f.write(bytes(1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize("files, message", [
    (lambda s: [("a.npz", b"PK\x03\x04 nonsense")], "not a readable .npz"),
    (lambda s: [("a.npz", npz_bomb())], "x_train would unpack to 210 MB"),
    (lambda s: [("x.gz", b"1")], "upload one .npz file"),
    (lambda s: list(idx_files(s).items())[:3], "upload one .npz file"),
    (lambda s: [*list(idx_files(s).items())[:3], ("t10k-labels-idx1-ubyte.gz", gzip_bomb())],
     "more than its shape (10,) says"),
    (lambda s: [*list(idx_files(s).items())[:3],
                ("t10k-labels-idx1-ubyte.gz", idx_bytes(np.zeros((5, 28, 28)), True))], "IDX type 0x0803"),
    (lambda s: [("big.npz", bytes(MAX_DATA_BYTES + 1))], "data uploads up to"),
])
def test_bad_uploads_are_refused_without_unpacking_them(files, message):
    import tracemalloc

    made = files(load_dataset("sample"))
    tracemalloc.start()
    try:
        with pytest.raises(DataUnavailable, match=message.replace("(", r"\(").replace(")", r"\)")):
            dataset_from_upload(made)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024  # the 64-MB file aside, nothing near its unpacked size is held


def test_fashion_mnist_is_debians_real_set_with_its_class_names():
    from fcviz.data.mnist import FASHION, classes_of

    ds = load_dataset("fashion")
    assert (len(ds.y_train), len(ds.y_test)) == (60_000, 10_000) and ds.x_train.shape[1] == 784
    assert ds.classes == FASHION and ds.classes[9] == "Ankle boot"
    assert np.bincount(ds.y_test).tolist() == [1000] * 10  # Fashion-MNIST's test set: 1,000 of each class
    assert load_dataset("sample").classes[:3] == ("0", "1", "2")
    assert classes_of("folder:fashion-mnist") == FASHION and classes_of("Full MNIST")[9] == "9"
