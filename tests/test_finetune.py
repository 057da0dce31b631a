"""Fine-tuning on my handwriting: the fixed held-out split, the data it trains on, and that it learns a
handwriting MNIST lacks without touching the original network.

The "handwriting" here is MNIST test digits moved 6 pixels to the right and down (a student who writes small
in a corner of the canvas, which the Draw page's centring would undo): a style the run never saw, on digits it
never trained on, with true labels. Nothing here calls them real drawings."""
import numpy as np
import pytest

from fcviz.data.loading import load_dataset
from fcviz.lessons import finetune
from fcviz.net.reader import dense_weights
from fcviz.net.robustness import shifted
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


def test_of_each_digits_drawings_the_2nd_5th_8th_are_held_out():
    labels = np.array([3, 3, 5, 3, 5, 3, 3, 7, 3, 3, 3])
    held = finetune.held_out(labels)
    threes = np.flatnonzero(labels == 3)  # the 2nd, 5th and 8th of the eight 3s
    assert held.tolist() == [i in (threes[1], threes[4], threes[7], 4) for i in range(len(labels))]
    assert (finetune.held_out(labels[:6]) == held[:6]).all()  # adding drawings never moves one across the split
    assert finetune.can_tune(labels) and not finetune.can_tune(np.array([1, 2, 3]))  # nothing held out
    assert not finetune.can_tune(np.array([], np.int64))


def test_tuning_set_trains_on_the_runs_digits_and_the_drawings_not_held_out(ds):
    config = TrainConfig(train_size=3000)
    images = shifted(ds.x_test[:30], 6, 6)
    labels = ds.y_test[:30]
    data = finetune.tuning_set(ds, config, images, labels)
    held = finetune.held_out(labels)
    n_mnist = finetune.MNIST_DIGITS
    digits = np.random.default_rng(config.seed).permutation(len(ds.y_train))[:n_mnist]  # the run's own order
    assert (data.x_train[:n_mnist] == ds.x_train[digits]).all()
    mine = data.x_train[n_mnist:]
    assert len(mine) / len(data.y_train) == pytest.approx(finetune.DRAWING_SHARE, abs=0.02)
    rows = {r.tobytes() for r in mine}
    assert rows == {r.tobytes() for r in images[~held]}  # each learned drawing, none of the held-out ones
    assert (data.y_train[n_mnist:] == np.tile(labels[~held], len(mine) // int((~held).sum()))).all()
    assert data.x_test is ds.x_test and not data.by_name  # tested on MNIST; its arrays are sent to the workers
    assert finetune.training_config(Run(NetworkSpec(), config, ds), data).train_size == len(data.y_train)


def test_fine_tune_learns_the_handwriting_and_leaves_the_original_alone(ds):
    spec = NetworkSpec(hidden=(LayerSpec(64),))
    run = Run(spec, TrainConfig(train_size=2000, batch_size=64), ds)
    Trainer(run, ds, 3).start().join(120)
    original = [w.copy() for w in run.model.get_weights()]
    images = shifted(ds.x_test[:150], 6, 6).reshape(-1, 28, 28)
    labels = ds.y_test[:150]
    data = finetune.tuning_set(ds, run.config, images, labels)
    copy = finetune.tuned_copy(run, int((~finetune.held_out(labels)).sum()))
    trainer = Trainer(copy, data, finetune.EPOCHS, config=finetune.training_config(copy, data)).start()
    trainer.join(180)
    p = trainer.progress()
    assert p.state == "finished", p.message
    assert [e.epoch for e in copy.epochs] == list(range(1, 3 + finetune.EPOCHS + 1))  # the run's history, then 5 more
    assert all(e.test_accuracy > 0 for e in copy.epochs) and len(run.epochs) == 3
    assert all((a == b).all() for a, b in zip(run.model.get_weights(), original))  # the original is untouched
    assert copy.tuned_on == 100 and "fine-tuned on 100 drawings" in copy.label
    r = finetune.before_after(dense_weights(run.model), dense_weights(copy.model), images, labels)
    assert r.held == 50 and r.learned == 100
    assert r.held_after >= r.held_before + 10  # it learned the handwriting, not only the drawings it saw
    assert r.learned_after > r.learned_before
    assert copy.evaluation.accuracy > run.evaluation.accuracy - 0.05  # and kept most of MNIST
