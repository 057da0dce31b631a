"""Moved test digits: the shift is exact, and a network trained on centred digits reads moved ones worse."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from fcviz.data.loading import load_dataset
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.net.robustness import shift_accuracy, shifted
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer


def test_a_shift_moves_every_pixel_and_loses_what_falls_off():
    image = np.zeros((1, 784), np.float32)
    image[0, 5 * 28 + 7] = 1.0  # row 5, column 7
    assert np.flatnonzero(shifted(image, 2, 3)[0]).tolist() == [7 * 28 + 10]
    assert np.flatnonzero(shifted(image, -2, -3)[0]).tolist() == [3 * 28 + 4]
    assert shifted(image, 0, 25).sum() == 0  # pushed off the right edge
    np.testing.assert_array_equal(shifted(image, 0, 0), image)


def test_moved_digits_are_read_worse_than_centred_ones():
    ds = load_dataset("sample")
    run = Run(NetworkSpec(hidden=(LayerSpec(64),)), TrainConfig(train_size=2000), ds)
    trainer = Trainer(run, ds, 5).start()
    trainer.join(300)
    accuracy = shift_accuracy(dense_weights(run.model), ds.x_test, ds.y_test)
    # the training measured it itself (in its worker), with the weights it returned
    assert run.moved[0] == 5 and run.moved[1] == pytest.approx(accuracy, abs=1e-9)
    assert list(accuracy) == [0, 2, 3, 4]
    assert accuracy[0] == pytest.approx(run.epochs[-1].test_accuracy, abs=1e-3)
    assert accuracy[0] > accuracy[2] > accuracy[3] > accuracy[4]
    assert accuracy[0] - accuracy[4] > 0.3  # what a fully connected network does not know


@pytest.mark.parametrize("spec", [
    NetworkSpec(),
    NetworkSpec(hidden=(LayerSpec(64, activation="sigmoid", batchnorm=True), LayerSpec(64, batchnorm=True)), skip=True),
], ids=["default", "batch-norm-and-skip"])
def test_the_passes_shared_out_between_threads_read_as_one_thread_does(spec):
    """A training's worker shares the 13 passes out between its scoring threads (`mapped`): the same numbers."""
    ds = load_dataset("sample")
    run = Run(spec, TrainConfig(train_size=1000), ds)
    Trainer(run, ds, 2).start().join(300)  # trained a little: its answers differ from digit to digit
    layers = dense_weights(run.model)
    with ThreadPoolExecutor(2) as pool:
        shared = shift_accuracy(layers, ds.x_test, ds.y_test, mapped=pool.map)
    alone = shift_accuracy(layers, ds.x_test, ds.y_test)
    assert list(shared) == [0, 2, 3, 4] and shared == alone
    assert len(set(shared.values())) > 1  # (not every move read alike)


def test_an_untrained_network_is_at_chance_either_way():
    ds = load_dataset("sample")
    accuracy = shift_accuracy(dense_weights(build_model(NetworkSpec(), seed=0)), ds.x_test, ds.y_test)
    assert all(a < 0.3 for a in accuracy.values())


def test_augmentation_teaches_the_network_that_a_moved_digit_is_the_same_digit():
    """The notes' remedy measured: the same network and data, trained with and without augmentation."""
    ds = load_dataset("sample")
    moved = {}
    for augment in (False, True):
        run = Run(NetworkSpec(hidden=(LayerSpec(128),)), TrainConfig(augment=augment, seed=2), ds)
        trainer = Trainer(run, ds, 8).start()
        trainer.join(600)
        assert trainer.progress().state == "finished"
        moved[augment] = shift_accuracy(dense_weights(run.model), ds.x_test, ds.y_test)
    assert moved[True][3] > moved[False][3] + 0.15  # digits moved by 3 pixels
    assert moved[True][0] > 0.8  # and it still reads centred ones
