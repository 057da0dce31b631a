"""Files a user can take away: the trained model as `.keras`, the history as CSV."""
from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Sequence

import keras

from fcviz.training import EpochStats


def model_to_bytes(model: keras.Model) -> bytes:
    """Keras only saves to a path ending in .keras, so go through a temporary file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fcviz.keras"
        model.save(path)
        return path.read_bytes()


def history_csv(epochs: Sequence[EpochStats]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(EpochStats)], lineterminator="\n")
    writer.writeheader()
    for e in epochs:
        writer.writerow(asdict(e))
    return out.getvalue()
