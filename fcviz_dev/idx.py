"""Writing a data set as MNIST's original IDX `.gz` files (for tests: real digits, in the format
MNIST and Fashion-MNIST ship as)."""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from fcviz.data.loading import IDX_FILES, IDX_IMAGES, IDX_LABELS, Dataset


def idx_bytes(array: np.ndarray, images: bool) -> bytes:
    """An IDX file: magic, one big-endian int32 per dimension, then unsigned bytes."""
    magic = IDX_IMAGES if images else IDX_LABELS
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes(), mtime=0)


def idx_files(ds: Dataset) -> dict[str, bytes]:
    """File name -> gzipped IDX content, for the four files of a data set."""
    arrays = {"x_train": (ds.x_train * 255).round().reshape(-1, 28, 28), "y_train": ds.y_train,
              "x_test": (ds.x_test * 255).round().reshape(-1, 28, 28), "y_test": ds.y_test}
    return {IDX_FILES[part]: idx_bytes(a, part.startswith("x")) for part, a in arrays.items()}


def write_idx_folder(ds: Dataset, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in idx_files(ds).items():
        (folder / name).write_bytes(content)
    return folder
