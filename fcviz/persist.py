"""Files a user can take away and bring back: the model as `.keras` (with its settings and history), the history as CSV."""
from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Sequence

import keras

from fcviz.history import EpochStats
from fcviz.reader import check_mnist, spec_of
from fcviz.spec import SpecError
from fcviz.train_config import TrainConfig


def model_to_bytes(model: keras.Model) -> bytes:
    """Keras only saves to a path ending in .keras, so go through a temporary file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fcviz.keras"
        model.save(path)
        return path.read_bytes()


META = "fcviz.json"  # fcviz's own member inside the .keras zip: Keras ignores it


def run_to_bytes(model: keras.Model, config: TrainConfig, epochs: Sequence[EpochStats]) -> bytes:
    """The model as `.keras`, carrying its training settings and history so an upload can continue it."""
    buf = io.BytesIO(model_to_bytes(model))
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr(META, json.dumps({"config": asdict(config), "history": [asdict(e) for e in epochs]}))
    return buf.getvalue()


def saved_meta(data: bytes) -> tuple[TrainConfig | None, list[EpochStats]]:
    """Training settings and history saved by `run_to_bytes`, if the file has them and they are valid."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            meta = json.loads(zf.read(META))
        return TrainConfig(**meta["config"]), [EpochStats(**e) for e in meta["history"]]
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile):
        return None, []


def history_csv(epochs: Sequence[EpochStats]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(EpochStats)], lineterminator="\n")
    writer.writeheader()
    for e in epochs:
        writer.writerow(asdict(e))
    return out.getvalue()


MAX_MODEL_BYTES = 50 * 1024 * 1024


class ModelFileError(ValueError):
    """An uploaded file that fcviz cannot use as its model; the message says why."""


def load_model_bytes(data: bytes) -> keras.Model:
    """A `.keras` file's model, checked to be a Dense network that reads MNIST digits."""
    if len(data) > MAX_MODEL_BYTES:
        raise ModelFileError(f"the file is {len(data) / 1e6:.0f} MB; models up to {MAX_MODEL_BYTES / 1e6:.0f} MB are accepted")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ModelFileError("this is not a Keras .keras file (those are zip archives saved by model.save)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.keras"
        path.write_bytes(data)
        try:
            model = keras.models.load_model(path, compile=False, safe_mode=True)
        except Exception as e:  # Keras raises many types for a broken archive
            raise ModelFileError(f"Keras could not read this model ({type(e).__name__}: {str(e)[:200]})") from None
    if not isinstance(model, keras.Sequential):
        raise ModelFileError(f"expected a Sequential model of Dense layers, got {type(model).__name__}")
    kinds = {type(layer).__name__ for layer in model.layers}
    if not kinds or not kinds <= {"Dense", "Dropout"}:
        raise ModelFileError(f"expected only Dense and Dropout layers, found {', '.join(sorted(kinds - {'Dense', 'Dropout'}))}")
    try:
        check_mnist(spec_of(model))
    except SpecError as e:
        raise ModelFileError(str(e)) from None
    return model
