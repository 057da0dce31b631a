"""MNIST for fcviz: a real 5,000-digit sample that ships with the package, the full set
through Keras' own downloader, or a local `mnist.npz`.

Every loader returns the same `Dataset`: float32 images in [0, 1] of shape (n, 784) and
int labels, so training and drawing use one scaling.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fcviz.mnist import IMAGE_SIDE, N_CLASSES, N_PIXELS

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "mnist_sample.npz"
LOCAL_FILE = "npz"  # the source that reads a path on the server: never carried by a link


class DataUnavailable(RuntimeError):
    """The requested data cannot be loaded; the message says why and what to do."""


@dataclass(frozen=True, eq=False)
class Dataset:
    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def size(self) -> str:
        return f"{len(self.y_train):,} train / {len(self.y_test):,} test"


def _prepare(name: str, x_train, y_train, x_test, y_test) -> Dataset:
    def images(x: np.ndarray, part: str) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim < 2 or int(np.prod(x.shape[1:])) != N_PIXELS:
            raise DataUnavailable(f"{name}: {part} images must be {IMAGE_SIDE}x{IMAGE_SIDE} ({N_PIXELS} pixels), "
                                  f"got shape {x.shape}")
        x = x.reshape(len(x), N_PIXELS).astype(np.float32)
        return x / 255.0 if x.max() > 1.0 else x

    def labels(y: np.ndarray, n: int, part: str) -> np.ndarray:
        y = np.asarray(y).reshape(-1).astype(np.int64)
        if len(y) != n or (len(y) and (y.min() < 0 or y.max() >= N_CLASSES)):
            raise DataUnavailable(f"{name}: {part} labels must be {n} digits 0-9")
        return y

    xtr, xte = images(x_train, "train"), images(x_test, "test")
    return Dataset(name, xtr, labels(y_train, len(xtr), "train"), xte, labels(y_test, len(xte), "test"))


def load_npz(path: str | os.PathLike) -> Dataset:
    """A file in Keras' mnist.npz layout: x_train, y_train, x_test, y_test."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataUnavailable(f"no file at {path}")
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = [f[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    except KeyError as e:
        raise DataUnavailable(f"{path.name} lacks the array {e}; expected x_train, y_train, x_test, y_test") from None
    except (OSError, ValueError) as e:
        raise DataUnavailable(f"{path.name} is not a readable .npz file ({e})") from None
    name = "MNIST sample" if path == SAMPLE_PATH else f"MNIST from {path.name}"
    return _prepare(name, *arrays)


def load_sample() -> Dataset:
    return load_npz(SAMPLE_PATH)


def load_full_mnist() -> Dataset:
    """Keras' loader: downloads once to ~/.keras/datasets/mnist.npz, checks its hash."""
    from keras.datasets import mnist

    try:
        (xtr, ytr), (xte, yte) = mnist.load_data()
    except Exception as e:  # Keras raises a bare Exception on URL fetch failure
        raise DataUnavailable(
            "Full MNIST could not be downloaded (no internet?). "
            f"Keras said: {str(e).splitlines()[0][:160]}"
        ) from None
    return _prepare("Full MNIST", xtr, ytr, xte, yte)


@functools.lru_cache(maxsize=4)
def load_dataset(source: str = "sample", path: str | None = None) -> Dataset:
    """Cached, so reruns and sessions share one copy (arrays are read-only by convention)."""
    if source == "sample":
        return load_sample()
    if source == "mnist":
        return load_full_mnist()
    if source == LOCAL_FILE:
        if not path:
            raise DataUnavailable("give the path of an mnist.npz file")
        return load_npz(path)
    raise DataUnavailable(f"unknown data source {source!r}; expected sample, mnist or {LOCAL_FILE}")


def load_or_fallback(source: str = "sample", path: str | None = None) -> tuple[Dataset, str | None]:
    """The requested data, or the bundled sample with the reason it was used instead."""
    try:
        return load_dataset(source, path), None
    except DataUnavailable as e:
        return load_dataset("sample"), f"{e} Using the bundled MNIST sample instead."
