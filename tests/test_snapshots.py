"""Time travel: the weights kept along a training, thinned to a budget, and each one the network it names."""
import numpy as np
import pytest

from fcviz.data.loading import load_dataset
from fcviz.net.forward import forward
from fcviz.net.reader import dense_weights
from fcviz.net.snapshots import BUDGET_BYTES, Snapshot, layers_at, most_kept, thin
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


def trained(run, ds, epochs):
    trainer = Trainer(run, ds, epochs).start()
    trainer.join(300)
    assert trainer.progress().state == "finished"
    return run


def accuracy_at(run, snapshot, ds) -> float:
    layers = layers_at(dense_weights(run.model), snapshot.weights)
    return float((forward(layers, ds.x_test)[-1].post.argmax(axis=1) == ds.y_test).mean())


def test_a_run_keeps_its_start_three_points_of_the_first_epoch_and_every_epoch(ds):
    run = trained(Run(NetworkSpec(hidden=(LayerSpec(32, dropout=0.2),)), TrainConfig(train_size=1000, batch_size=64),
                      ds), ds, 3)
    assert [s.x for s in run.snapshots] == [0, 0.125, 0.25, 0.5, 1, 2, 3]  # 16 batches an epoch: 2, 4 and 8
    for s in run.snapshots[4:]:  # each epoch's snapshot is the network whose test accuracy the curves show
        assert accuracy_at(run, s, ds) == pytest.approx(run.epochs[s.epoch - 1].test_accuracy, abs=1e-3)
    last = run.snapshots[-1]
    assert all(np.array_equal(a, b) for a, b in zip(last.weights, run.model.get_weights()))
    early = [accuracy_at(run, s, ds) for s in run.snapshots[:5]]  # most of the change is in the first epoch
    assert early[0] < early[3] < early[4] and early[4] - early[0] > 0.25

    trained(run, ds, 2)  # Continue: the start stays, two more epochs come
    assert [s.x for s in run.snapshots] == [0, 0.125, 0.25, 0.5, 1, 2, 3, 4, 5]


def test_going_back_to_the_best_epoch_is_early_stopping(ds):
    run = trained(Run(NetworkSpec(hidden=(LayerSpec(64),)), TrainConfig(train_size=500, batch_size=32), ds), ds, 4)
    back = next(s for s in run.snapshots if s.x == 2)
    run.use_snapshot(back, ds)
    assert [e.epoch for e in run.epochs] == [1, 2] and max(b.x for b in run.batches) <= 2
    assert run.snapshots[-1].x == 2 and run.optimizer_state is None
    assert run.evaluation.accuracy == pytest.approx(accuracy_at(run, back, ds), abs=1e-3)
    trained(run, ds, 1)  # and it trains on from there
    assert [e.epoch for e in run.epochs] == [1, 2, 3]


def test_a_wide_network_keeps_fewer_within_the_budget(ds):
    spec = NetworkSpec(hidden=(LayerSpec(1024), LayerSpec(1024), LayerSpec(1024)))
    run = trained(Run(spec, TrainConfig(train_size=200, batch_size=100), ds), ds, 8)
    size = run.snapshots[0].nbytes
    assert size * len(run.snapshots) <= max(BUDGET_BYTES, 2 * size)
    best = min(run.epochs, key=lambda e: e.test_loss).epoch
    assert run.snapshots[-1].x == 8 and best in [s.epoch for s in run.snapshots]


def test_thin_keeps_the_ends_and_the_best_and_spreads_the_rest():
    snaps = [Snapshot(float(x), ()) for x in range(21)]
    kept = [s.x for s in thin(snaps, 6, best_x=13.0)]
    assert len(kept) == 6 and kept[0] == 0 and kept[-1] == 20 and 13.0 in kept
    assert thin(snaps, 30) == snaps and most_kept(BUDGET_BYTES * 10) == 2
    assert [s.x for s in thin(snaps, 2, best_x=13.0)] == [13, 20]  # no room for the start
