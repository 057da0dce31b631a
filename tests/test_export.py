"""The run as code: the exported script, run as a student would run it, ends where the app's run ended."""
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from fcviz.data.loading import SAMPLE_PATH, load_dataset
from fcviz.files.export import _loader, run_script, script_name
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer
from fcviz_dev.idx import write_idx_folder

RUNS = [
    (NetworkSpec(hidden=(LayerSpec(64, "relu"),)),
     TrainConfig(epochs=3, batch_size=64, train_size=2000, seed=4)),
    (NetworkSpec(hidden=(LayerSpec(32, "tanh", 0.2), LayerSpec(16, "sigmoid"))),
     TrainConfig(epochs=4, batch_size=32, optimizer="sgd", learning_rate=0.2, lr_decay=0.8, l2=1e-4,
                 train_size=1500, seed=11)),
]


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


@pytest.mark.parametrize("spec, config", RUNS, ids=lambda v: getattr(v, "name", ""))
def test_the_exported_script_ends_at_the_apps_test_accuracy(spec, config, ds, tmp_path):
    run = Run(spec, config, ds)
    trainer = Trainer(run, ds, config.epochs).start()
    trainer.join(300)
    assert trainer.progress().state == "finished"
    app_accuracy = run.epochs[-1].test_accuracy

    script = tmp_path / script_name(spec)
    script.write_text(run_script(spec, config, "sample", epochs=len(run.epochs)))
    shutil.copy(SAMPLE_PATH, tmp_path / SAMPLE_PATH.name)  # what the Train page offers beside the script
    done = subprocess.run([sys.executable, script.name], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    epochs = re.findall(r"^epoch (\d+):", done.stdout, re.M)
    assert epochs == [str(k) for k in range(1, config.epochs + 1)]
    script_accuracy = float(re.search(r"^test accuracy: (\d\.\d+)$", done.stdout, re.M).group(1))
    assert script_accuracy == pytest.approx(app_accuracy, abs=0.01)  # within 1 point
    assert f"Total params: {sum(a * b + b for a, b in zip(spec.widths, spec.widths[1:])):,}" in done.stdout


def test_the_scripts_own_file_loader_reads_idx_folders_and_npz_files(ds, tmp_path):
    """For a data-folder set or an upload, the script reads the student's own copy of the files."""
    write_idx_folder(ds, tmp_path / "digits")
    namespace = {"np": np}
    exec(_loader("folder:digits"), namespace)
    for path in (str(tmp_path / "digits"), str(SAMPLE_PATH)):
        x_train, y_train, x_test, y_test = namespace["load_data"](path)
        x_train = np.asarray(x_train, dtype=np.float32).reshape(len(x_train), 784)
        np.testing.assert_allclose(x_train / (255.0 if x_train.max() > 1 else 1.0), ds.x_train, atol=1 / 255)
        assert np.array_equal(y_test, ds.y_test) and len(x_test) == len(ds.x_test)
    assert "load_data(path='digits')" in _loader("folder:digits")


def test_the_sample_loader_says_where_to_get_the_sample_when_it_is_missing(tmp_path):
    """Downloaded alone, the script stops with what to do, not a FileNotFoundError's traceback."""
    namespace = {"np": np}
    exec(_loader("sample"), namespace)
    with pytest.raises(SystemExit, match="Download the sample"):
        namespace["load_data"](str(tmp_path / "mnist_sample.npz"))


def test_the_script_says_what_it_trains():
    spec = NetworkSpec(hidden=(LayerSpec(20, "tanh", 0.3),))
    text = run_script(spec, TrainConfig(optimizer="rmsprop", l2=0.001, lr_decay=0.9), "mnist", epochs=7)
    compile(text, "exported", "exec")
    assert "keras.datasets.mnist.load_data()" in text and "EPOCHS = 7" in text
    assert "keras.layers.Dropout(0.3, seed=SEED)" in text and "keras.regularizers.L2(0.001)" in text
    assert "keras.optimizers.RMSprop(learning_rate=LEARNING_RATE)" in text and "LR_DECAY**epoch" in text
    assert "LR_DECAY**epoch" not in run_script(spec, TrainConfig(), "sample")
    augmented = run_script(spec, TrainConfig(augment=True), "sample")
    compile(augmented, "exported", "exec")
    assert "keras.layers.RandomTranslation(3 / 28, 3 / 28" in augmented and "augment(x_train[order]" in augmented
    assert "augment(" not in text
