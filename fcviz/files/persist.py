"""Files a user can take away and bring back: the model as `.keras` (with its settings and history), the history as CSV."""
from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
import zlib
from dataclasses import asdict, fields
from pathlib import Path
from typing import Sequence

import keras

from fcviz.i18n import N_, later
from fcviz.net.reader import check_mnist, params_of, spec_from_config, spec_of
from fcviz.settings.fields import short
from fcviz.settings.spec import MAX_HIDDEN_LAYERS, MAX_UNITS, LayerSpec, NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.train.history import EpochStats


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
        return TrainConfig(**meta["config"]), [_epoch(e) for e in meta["history"]]
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError, zipfile.BadZipFile):
        return None, []


def _epoch(entry: dict) -> EpochStats:
    """One saved epoch, with every value a number (a hand-edited file must not break the charts)."""
    stats = EpochStats(**entry)
    if isinstance(stats.epoch, bool) or not isinstance(stats.epoch, int) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in asdict(stats).values()):
        raise ValueError(f"not an epoch record: {str(entry)[:80]}")
    return stats


def history_csv(epochs: Sequence[EpochStats]) -> str:
    """The history as CSV, a row per epoch with every `EpochStats` column: for a spreadsheet, or a plot at home."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(EpochStats)], lineterminator="\n")
    writer.writeheader()
    for e in epochs:
        writer.writerow(asdict(e))
    return out.getvalue()


class ModelFileError(ValueError):
    """An uploaded file that fcviz cannot use as its model; the message says why."""


MB = 1024 * 1024
LARGEST_NETWORK = NetworkSpec(hidden=(LayerSpec(MAX_UNITS),) * MAX_HIDDEN_LAYERS)  # the biggest digit reader allowed
WEIGHT_COPIES = 3  # the weights, and Adam's two moments saved with them
WEIGHTS_OVERHEAD = 1 * MB  # HDF5's own structure around the arrays
MEMBER_LIMITS = {"metadata.json": 64 * 1024, "config.json": 1 * MB, META: 2 * MB, "model.weights.h5": None}
MAX_MODEL_BYTES = (4 * WEIGHT_COPIES * params_of(LARGEST_NETWORK) + WEIGHTS_OVERHEAD
                   + sum(limit for limit in MEMBER_LIMITS.values() if limit))  # the biggest file fcviz itself saves
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
S_IFMT, S_IFLNK = 0o170000, 0o120000


def weights_limit(spec: NetworkSpec) -> int:
    """The largest model.weights.h5 a network of this shape can have (float32 weights and optimizer state)."""
    return 4 * WEIGHT_COPIES * params_of(spec) + WEIGHTS_OVERHEAD


def check_model_file(data: bytes) -> NetworkSpec:
    """Everything that can be checked in an uploaded `.keras` file before Keras builds anything: its size,
    the zip's member names, kinds and *declared uncompressed* sizes (Python's zip reader never expands a
    member past its declared size), and config.json as a network within the app's caps. The network, or
    ModelFileError saying what is wrong. Costs a few MB at most, whatever the file holds."""
    if len(data) > MAX_MODEL_BYTES:
        raise ModelFileError(later("the file is {size:,.0f} MB; models up to {limit:,.0f} MB are accepted",
                                   size=len(data) / MB, limit=MAX_MODEL_BYTES / MB))
    if data.startswith(HDF5_MAGIC):
        raise ModelFileError(N_("this is an HDF5 (.h5) model, the format of older Keras versions; load it in Keras "
                                "and save it again with model.save('name.keras')"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ModelFileError(N_("this is not a Keras .keras file (those are zip archives saved by model.save), "
                                "or it is damaged or cut short"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_members(zf.infolist())
            config = json.loads(zf.read("config.json"))
            spec = spec_from_config(config)
            check_mnist(spec)
            weights = zf.getinfo("model.weights.h5").file_size
    except ModelFileError:
        raise
    except SpecError as e:
        raise ModelFileError(e.args[0]) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RecursionError, UnicodeDecodeError):
        raise ModelFileError(N_("the archive is damaged or cut short")) from None
    if weights > weights_limit(spec):
        raise ModelFileError(later("its weights take {size:,.1f} MB, more than a {name} network can ({limit:,.1f} MB)",
                                   size=weights / MB, name=spec.name, limit=weights_limit(spec) / MB))
    return spec


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    names = [info.filename for info in infos]
    for info in infos:
        if info.filename not in MEMBER_LIMITS:
            raise ModelFileError(later("the archive holds {name!r}, which is not part of a .keras model",
                                       name=short(info.filename)))
        if (info.external_attr >> 16) & S_IFMT == S_IFLNK:
            raise ModelFileError(later("{name} is a symbolic link, not a file", name=info.filename))
        limit = MEMBER_LIMITS[info.filename]
        if limit is not None and info.file_size > limit:
            raise ModelFileError(later("its {name} would unpack to {size:,.1f} MB; a real one is under {limit:,.2f} MB",
                                       name=info.filename, size=info.file_size / MB, limit=limit / MB))
    if len(set(names)) != len(names):
        raise ModelFileError(later("the archive holds {n:,} files twice", n=len(names) - len(set(names))))
    missing = [name for name in ("config.json", "model.weights.h5") if name not in names]
    if missing:
        raise ModelFileError(later("the archive lacks {names}: it is not a model saved by Keras 3",
                                   names=" and ".join(missing)))


def load_model_bytes(data: bytes) -> keras.Model:
    """A `.keras` file's model, checked (`check_model_file`) before Keras reads it, then checked to be
    the network its config describes."""
    spec = check_model_file(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.keras"
        path.write_bytes(data)
        try:
            model = keras.models.load_model(path, compile=False, safe_mode=True)
        except Exception as e:  # Keras raises many types for a broken archive
            raise ModelFileError(later("Keras could not read this model ({error})",
                                       error=f"{type(e).__name__}: {str(e)[:200]}")) from None
    try:
        if spec_of(model) != spec:
            raise SpecError(N_("the model Keras built is not the one its config describes"))
    except SpecError as e:
        raise ModelFileError(e.args[0]) from None
    return model
