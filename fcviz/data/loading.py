"""MNIST for fcviz: a real 5,000-digit sample that ships with the package, the full set
through Keras' own downloader, the files of a data folder the server's owner fills, or a file a
student uploads (Keras' `mnist.npz` layout, or the original IDX `.gz` files that MNIST and
Fashion-MNIST ship as).

Students never name a path: the folder's files are offered by name, and uploads are read from
memory with every size checked before anything is unpacked.

Every loader returns the same `Dataset`: float32 images in [0, 1] of shape (n, 784) and
int labels, so training and drawing use one scaling.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import numpy as np

from fcviz import environment
from fcviz.cache import Bounded
from fcviz.data.mnist import IMAGE_SIDE, N_CLASSES, N_PIXELS, classes_of
from fcviz.data.sources import FASHION, MEMORY, MNIST, NAMES, SAMPLE, UPLOAD, folder_name, travels_by_name
from fcviz.i18n import N_, later

SAMPLE_PATH = Path(__file__).resolve().parent / "mnist_sample.npz"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # beside app.py; FCVIZ_DATA_DIR overrides
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")  # Debian's dataset-fashion-mnist: the four IDX files
MAX_IMAGES = 70_000  # MNIST and Fashion-MNIST: 60,000 train + 10,000 test
MAX_DATA_BYTES = 64 * 1024 * 1024  # an upload; full MNIST is 11 MB as .npz or .gz
MAX_FOLDER_ENTRIES = 50
NPZ_ARRAYS = ("x_train", "y_train", "x_test", "y_test")
IDX_FILES = {"x_train": "train-images-idx3-ubyte.gz", "y_train": "train-labels-idx1-ubyte.gz",
             "x_test": "t10k-images-idx3-ubyte.gz", "y_test": "t10k-labels-idx1-ubyte.gz"}
IDX_IMAGES, IDX_LABELS = 0x0803, 0x0801  # IDX magic numbers: unsigned bytes, 3 dimensions / 1 dimension


class DataUnavailable(RuntimeError):
    """The requested data cannot be loaded; the message says why and what to do."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """One data set, whatever it was read from: float32 images (n, 784) in [0, 1] and int labels, so training and
    drawing read every source one way."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str = ""  # how a training worker finds it: a `load_dataset` source, "upload:DIGEST", "memory:TOKEN"

    def __post_init__(self) -> None:
        if not self.source:  # made in memory (tests, scripts): named uniquely, so workers never mix two up
            object.__setattr__(self, "source", f"{MEMORY}{secrets.token_hex(8)}")

    @property
    def by_name(self) -> bool:
        """Any process can load it from its source (`load_dataset`); otherwise its arrays must be sent."""
        return travels_by_name(self.source)

    @property
    def classes(self) -> tuple[str, ...]:
        """What its labels 0..9 mean: digits, or Fashion-MNIST's clothes."""
        return classes_of(f"{self.name} {self.source}")

    @property
    def size(self) -> str:
        """For the data picker and captions: "60,000 train / 10,000 test"."""
        return f"{len(self.y_train):,} train / {len(self.y_test):,} test"


def _prepare(name: str, x_train, y_train, x_test, y_test) -> Dataset:
    def images(x: np.ndarray, part: str) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim < 2 or int(np.prod(x.shape[1:])) != N_PIXELS:
            raise DataUnavailable(later("{name}: {part} images must be {side}x{side} ({pixels} pixels), got shape "
                                        "{shape}", name=name, part=part, side=IMAGE_SIDE, pixels=N_PIXELS,
                                        shape=x.shape))
        x = x.reshape(len(x), N_PIXELS).astype(np.float32)
        return x / 255.0 if x.max() > 1.0 else x

    def labels(y: np.ndarray, n: int, part: str) -> np.ndarray:
        y = np.asarray(y).reshape(-1).astype(np.int64)
        if len(y) != n or (len(y) and (y.min() < 0 or y.max() >= N_CLASSES)):
            raise DataUnavailable(later("{name}: {part} labels must be {n} digits 0-9", name=name, part=part, n=n))
        return y

    xtr, xte = images(x_train, "train"), images(x_test, "test")
    return Dataset(name, xtr, labels(y_train, len(xtr), "train"), xte, labels(y_test, len(xte), "test"))


def _npy_limit(array: str) -> int:
    """The most bytes an .npy member may unpack to: MAX_IMAGES images (or labels of up to 8 bytes) and a header."""
    return MAX_IMAGES * (N_PIXELS if array.startswith("x") else 8) + 4096


def read_npz(source: str | os.PathLike | BinaryIO, name: str) -> Dataset:
    """A file in Keras' mnist.npz layout: x_train, y_train, x_test, y_test. Member sizes are checked
    against what MNIST-sized data can take before anything is unpacked."""
    try:
        with zipfile.ZipFile(source) as zf:
            sizes = {info.filename.removesuffix(".npy"): info.file_size for info in zf.infolist()}
            missing = [a for a in NPZ_ARRAYS if a not in sizes]
            if missing:
                raise DataUnavailable(later("{name} lacks the array '{array}'; expected {arrays}", name=name,
                                            array=missing[0], arrays=", ".join(NPZ_ARRAYS)))
            for array in NPZ_ARRAYS:
                if sizes[array] > _npy_limit(array):
                    raise DataUnavailable(later("{name}: {array} would unpack to {size:,.0f} MB, more than {n:,} "
                                                "28×28 images take", name=name, array=array,
                                                size=sizes[array] / 1e6, n=MAX_IMAGES))
        if hasattr(source, "seek"):
            source.seek(0)
        with np.load(source, allow_pickle=False) as f:
            arrays = [f[k] for k in NPZ_ARRAYS]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise DataUnavailable(later("{name} is not a readable .npz file ({error})", name=name,
                                    error=str(e)[:120])) from None
    return _prepare(name, *arrays)


def load_npz(path: str | os.PathLike) -> Dataset:
    """An .npz file on the server (the bundled sample, or one in the data folder)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataUnavailable(f"no file at {path}")
    name = N_("MNIST sample") if path == SAMPLE_PATH else f"MNIST from {path.name}"
    return read_npz(path, name)


def _read_idx(data: BinaryIO, part: str, name: str) -> np.ndarray:
    """One gzipped IDX file (the original MNIST format), never unpacking more than its header promises."""
    try:
        with gzip.GzipFile(fileobj=data) as f:
            header = f.read(4)
            if len(header) < 4 or header[:2] != b"\0\0":
                raise DataUnavailable(later("{name}: {file} is not an IDX file", name=name, file=IDX_FILES[part]))
            magic = int.from_bytes(header, "big")
            want = IDX_IMAGES if part.startswith("x") else IDX_LABELS
            if magic != want:
                raise DataUnavailable(later("{name}: {file} holds IDX type {magic:#06x}, expected {want:#06x}",
                                            name=name, file=IDX_FILES[part], magic=magic, want=want))
            dims = [int.from_bytes(f.read(4), "big") for _ in range(magic & 0xFF)]
            if not 0 < dims[0] <= MAX_IMAGES or dims[1:] not in ([], [IMAGE_SIDE, IMAGE_SIDE]):
                raise DataUnavailable(later("{name}: {file} holds shape {shape}; expected up to {n:,} images of "
                                            "{side}×{side}", name=name, file=IDX_FILES[part], shape=tuple(dims),
                                            n=MAX_IMAGES, side=IMAGE_SIDE))
            size = int(np.prod(dims))
            body = f.read(size + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise DataUnavailable(later("{name}: {file} is not a readable .gz file ({error})", name=name,
                                    file=IDX_FILES[part], error=str(e)[:120])) from None
    if len(body) != size:
        message = (N_("{name}: {file} holds {n:,} bytes after its header, more than its shape {shape} says")
                   if len(body) > size else
                   N_("{name}: {file} holds {n:,} bytes after its header, fewer than its shape {shape} says"))
        raise DataUnavailable(later(message, name=name, file=IDX_FILES[part], n=len(body), shape=tuple(dims)))
    return np.frombuffer(body, dtype=np.uint8).reshape(dims)


def read_idx(files: dict[str, BinaryIO], name: str) -> Dataset:
    """The four IDX files of MNIST or Fashion-MNIST, by their standard names."""
    missing = [file for part, file in IDX_FILES.items() if part not in files]
    if missing:
        raise DataUnavailable(later("{name} lacks {files}: the four IDX files go together", name=name,
                                    files=", ".join(missing)))
    return _prepare(name, *(_read_idx(files[part], part, name) for part in IDX_FILES))


def data_dir() -> Path:
    """The folder the server's owner fills with data sets: `FCVIZ_DATA_DIR`, else `data/` beside app.py."""
    return Path(os.environ.get(environment.DATA_DIR, DEFAULT_DATA_DIR)).expanduser()


def folder_datasets() -> list[str]:
    """The data sets in the data folder, by name: each `.npz` file, and each sub-folder holding the four IDX files."""
    folder = data_dir()
    if not folder.is_dir():
        return []
    names = []
    for entry in sorted(folder.iterdir())[:MAX_FOLDER_ENTRIES]:
        if entry.is_file() and entry.suffix == ".npz":
            names.append(entry.name)
        elif entry.is_dir() and all((entry / file).is_file() for file in IDX_FILES.values()):
            names.append(entry.name)
    return names


def load_folder(name: str) -> Dataset:
    """A data set of the data folder, named as `folder_datasets` lists it (nothing else is read)."""
    if name not in folder_datasets():
        raise DataUnavailable(later("the data folder has no data set called {name!r}", name=name[:60]))
    path = data_dir() / name
    if path.is_file():
        return read_npz(path, name)
    opened = {part: open(path / file, "rb") for part, file in IDX_FILES.items()}
    try:
        return read_idx(opened, name)
    finally:
        for f in opened.values():
            f.close()


def load_sample() -> Dataset:
    """The 5,000 digits that ship with the package: training works with no download and no data folder."""
    return load_npz(SAMPLE_PATH)


def load_full_mnist() -> Dataset:
    """Keras' loader: downloads once to ~/.keras/datasets/mnist.npz, checks its hash."""
    from keras.datasets import mnist

    try:
        (xtr, ytr), (xte, yte) = mnist.load_data()
    except Exception as e:  # Keras raises a bare Exception on URL fetch failure
        raise DataUnavailable(later("Full MNIST could not be downloaded (no internet?). Keras said: {said}",
                                    said=str(e).splitlines()[0][:160])) from None
    return _prepare(N_("Full MNIST"), xtr, ytr, xte, yte)


def load_fashion() -> Dataset:
    """Fashion-MNIST (60,000 / 10,000): Debian's files when installed, else Keras' loader (downloads once)."""
    if all((DEBIAN_FASHION / f).is_file() for f in IDX_FILES.values()):
        opened = {part: open(DEBIAN_FASHION / f, "rb") for part, f in IDX_FILES.items()}
        try:
            return read_idx(opened, N_("Fashion-MNIST"))
        finally:
            for f in opened.values():
                f.close()
    from keras.datasets import fashion_mnist

    try:
        (xtr, ytr), (xte, yte) = fashion_mnist.load_data()
    except Exception as e:  # Keras raises a bare Exception on URL fetch failure
        raise DataUnavailable(later("Fashion-MNIST is not installed here (apt-get install dataset-fashion-mnist) and "
                                    "could not be downloaded. Keras said: {said}",
                                    said=str(e).splitlines()[0][:160])) from None
    return _prepare(N_("Fashion-MNIST"), xtr, ytr, xte, yte)


LOADERS = {SAMPLE: load_sample, MNIST: load_full_mnist, FASHION: load_fashion}  # how each built-in source loads
assert set(LOADERS) == set(NAMES), "every built-in source (fcviz.data.sources) needs a loader"


@functools.lru_cache(maxsize=4)
def load_dataset(source: str = SAMPLE) -> Dataset:
    """Cached, so reruns and sessions share one copy (arrays are read-only by convention)."""
    if source in LOADERS:
        return replace(LOADERS[source](), source=source)
    if (name := folder_name(source)) is not None:
        return replace(load_folder(name), source=source)
    raise DataUnavailable(f"unknown data source {source[:60]!r}; expected {', '.join(NAMES)} or a data-folder name")


def load_or_fallback(source: str = SAMPLE) -> tuple[Dataset, str | None]:
    """The requested data, or the bundled sample with the reason it was used instead."""
    try:
        return load_dataset(source), None
    except DataUnavailable as e:
        return load_dataset(SAMPLE), later("{reason} Using the bundled MNIST sample instead.", reason=e.args[0])


MAX_UPLOADS_KEPT = 4
_UPLOADS: Bounded[str, Dataset] = Bounded(MAX_UPLOADS_KEPT)  # by content: thirty students uploading one file share it


def _read_upload(files: list[tuple[str, bytes]]) -> Dataset:
    if len(files) == 1 and files[0][0].endswith(".npz"):
        return read_npz(io.BytesIO(files[0][1]), files[0][0])
    by_name = dict(files)
    if len(files) != len(IDX_FILES) or set(by_name) != set(IDX_FILES.values()):
        raise DataUnavailable(later("upload one .npz file (Keras' mnist.npz layout) or the four IDX files {files}; "
                                    "got {names}", files=", ".join(IDX_FILES.values()),
                                    names=", ".join(n[:40] for n in by_name)))
    return read_idx({part: io.BytesIO(by_name[file]) for part, file in IDX_FILES.items()}, "uploaded IDX files")


def dataset_from_upload(files: list[tuple[str, bytes]]) -> Dataset:
    """A data set from uploaded files (name, content): one `.npz`, or the four IDX `.gz` files."""
    total = sum(len(data) for _, data in files)
    if total > MAX_DATA_BYTES:
        raise DataUnavailable(later("the upload is {size:,.0f} MB; data uploads up to {limit:,.0f} MB are read (full "
                                    "MNIST is 11 MB)", size=total / 1e6, limit=MAX_DATA_BYTES / 1e6))
    digest = hashlib.sha256(b"".join(name.encode() + b"\0" + data for name, data in sorted(files))).hexdigest()
    return _UPLOADS.get_or_make(digest, lambda: replace(_read_upload(files), source=f"{UPLOAD}:{digest}"))
