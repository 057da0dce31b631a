"""Uploaded model files: every hostile or broken file is refused before Keras builds anything,
with a message, in a few MB of memory; a good file still loads."""
import hashlib
import re
import tracemalloc

import numpy as np
import pytest

from fcviz.cache import Bounded
from fcviz.data.loading import load_dataset
from fcviz.files.persist import MAX_MODEL_BYTES, ModelFileError, check_model_file, load_model_bytes, run_to_bytes
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run
from fcviz_dev import bad_models


@pytest.fixture(scope="module")
def good_run():
    return Run(NetworkSpec(), TrainConfig(), load_dataset("sample"))


@pytest.fixture(scope="module")
def files(good_run):
    return bad_models.catalogue(run_to_bytes(good_run.model, good_run.config, []), good_run.model)


NAMES = ["huge-units.keras", "10000-layers.keras", "custom-layer.keras", "deflate-bomb.keras", "dot-dot.keras",
         "symlink.keras", "big-config.keras", "not-a-model.keras", "truncated.keras", "keras2-format.keras",
         "orthogonal-start.keras", "huge-sigma-start.keras", "odd-seed-start.keras"]


def test_the_catalogue_is_complete(files):
    assert sorted(files) == sorted(NAMES)


def refused_before_keras_in_little_memory(data: bytes, message: str, name: str) -> None:
    """The checker refuses the file with `message` in under 8 MB, and so does the loader (it checks first)."""
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError) as refused:
            check_model_file(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message in str(refused.value)
    assert peak < 8 * 1024 * 1024, f"{peak / 1e6:.1f} MB to refuse {name}"
    with pytest.raises(ModelFileError, match=re.escape(message)):
        load_model_bytes(data)


@pytest.mark.parametrize("name", NAMES)
def test_bad_file_is_refused_before_keras_in_little_memory(files, name):
    refused_before_keras_in_little_memory(*files[name], name)


BN_SKIP = NetworkSpec.from_query({"units": "256,256", "bn": "1,1", "skip": "1"})
SKIP_NAMES = ["batchnorm-huge-epsilon.keras", "batchnorm-renorm.keras", "batchnorm-odd-axis.keras",
              "batchnorm-wrong-shape.keras", "batchnorm-built-huge.keras", "skip-mismatched-widths.keras",
              "skip-cycle.keras", "skip-three-way.keras", "skip-200-adds.keras"]


@pytest.fixture(scope="module")
def bn_skip_file():
    from fcviz.net.model import build_model

    return run_to_bytes(build_model(BN_SKIP, seed=0), TrainConfig(), [])


@pytest.fixture(scope="module")
def skip_files(bn_skip_file):
    return bad_models.skip_catalogue(bn_skip_file)


def test_a_file_with_batch_norm_and_skip_connections_loads(bn_skip_file):
    assert check_model_file(bn_skip_file) == BN_SKIP
    model = load_model_bytes(bn_skip_file)
    assert model.count_params() == 271_370 and [layer.name for layer in model.layers][-2:] == ["skip_2", "output"]


def test_the_batch_norm_and_skip_catalogue_is_complete(skip_files):
    assert sorted(skip_files) == sorted(SKIP_NAMES)


@pytest.mark.parametrize("name", SKIP_NAMES)
def test_a_file_abusing_batch_norm_or_skip_wiring_is_refused_before_keras(skip_files, name):
    refused_before_keras_in_little_memory(*skip_files[name], name)


def test_good_file_still_loads_and_its_weights_are_bounded(good_run):
    data = run_to_bytes(good_run.model, good_run.config, [])
    assert check_model_file(data) == NetworkSpec()
    assert load_model_bytes(data).count_params() == 101_770
    assert len(data) < MAX_MODEL_BYTES


def test_the_server_accepts_uploads_as_large_as_the_largest_model():
    """Streamlit refuses bigger uploads itself (server.maxUploadSize, in MB) before fcviz sees them."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 >= MAX_MODEL_BYTES
    assert config["server"]["maxUploadSize"] <= 2 * MAX_MODEL_BYTES / (1024 * 1024)


@pytest.mark.parametrize("name", NAMES)
def test_a_refusal_reads_in_chinese_too(files, name):
    """The reason a student sees is in the session's language (made in English, translated where shown)."""
    import re

    from fcviz import i18n

    data, _message = files[name]
    with pytest.raises(ModelFileError) as refused:
        check_model_file(data)
    i18n.use("zh")
    try:
        said = i18n.reason(refused.value)
    finally:
        i18n.use(None)
    assert re.search(r"[\u4e00-\u9fff]{4}", said), said


def test_a_file_uploaded_again_is_read_once_and_each_upload_gets_a_model_of_its_own(good_run, files, monkeypatch):
    from ui import models

    data = run_to_bytes(good_run.model, good_run.config, [])
    reads = []
    monkeypatch.setattr(models, "load_model_bytes", lambda d: reads.append(len(d)) or load_model_bytes(d))
    monkeypatch.setattr(models, "_read", Bounded(models.UPLOADS_KEPT))
    first, second = models.run_of_upload(data), models.run_of_upload(data)
    assert len(reads) == 1  # the second student's upload of the teacher's file: not read again
    assert [layer.name for layer in second.model.layers] == [layer.name for layer in good_run.model.layers]
    assert all(np.array_equal(a, b) for a, b in zip(second.model.get_weights(), good_run.model.get_weights()))
    assert second.evaluation.accuracy == first.evaluation.accuracy and first.evaluation.predictions.shape == (1000,)
    first.model.layers[0].kernel.assign(np.zeros((784, 128), np.float32))  # one student trains theirs on
    for other in (second, models.run_of_upload(data)):  # the others' models, and the next upload's, are untouched
        assert np.array_equal(other.model.get_weights()[0], good_run.model.get_weights()[0])
    for _ in range(2):  # a file that fails is refused each time, never kept
        with pytest.raises(ModelFileError):
            models.run_of_upload(files["truncated.keras"][0])
    assert models._read.get(hashlib.sha256(files["truncated.keras"][0]).hexdigest()) is None
