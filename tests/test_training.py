"""The training core: metrics per epoch, Stop, NaN, Continue, the queue, and evaluation."""
import math
import threading
import time

import numpy as np
import pytest

from fcviz.data.loading import load_dataset
from fcviz.settings.spec import LayerSpec, NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.train.slots import TrainingSlots
from fcviz.train.training import Run, Trainer, evaluate, probabilities


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


def small(**kw) -> TrainConfig:
    return TrainConfig(**{"train_size": 600, "batch_size": 64, **kw})


def wait(trainer: Trainer, timeout: float = 120):
    trainer.join(timeout)
    assert not trainer._thread.is_alive(), "trainer did not finish"
    return trainer.progress()


def test_records_train_and_test_metrics_every_epoch(ds):
    run = Run(NetworkSpec(hidden=(LayerSpec(32),)), small(), ds)
    p = wait(Trainer(run, ds, 3).start())
    assert p.state == "finished" and p.message is None
    assert [e.epoch for e in p.epochs_done] == [1, 2, 3]
    for e in p.epochs_done:
        assert 0 < e.loss < 5 and 0 < e.test_loss < 5 and 0 <= e.accuracy <= 1 and 0 <= e.test_accuracy <= 1
    assert p.epochs_done[-1].loss < p.epochs_done[0].loss  # it learns
    # several train points per epoch (10 batches of 64 -> 10 points), ending on each epoch boundary
    xs = [b.x for b in p.batches]
    assert len(xs) == 30 and xs == sorted(xs) and xs[-1] == pytest.approx(3.0)
    assert p.fraction == 1.0 and p.epoch == 3


def test_batch_points_recover_keras_epoch_average(ds):
    """Per-batch values are derived from Keras' running means; their sample-weighted mean is the epoch loss."""
    run = Run(NetworkSpec(hidden=(LayerSpec(16),)), small(train_size=500, batch_size=128), ds)  # 4 batches: 128,128,128,116
    wait(Trainer(run, ds, 1).start())
    weights = np.array([128, 128, 128, 116])
    losses = np.array([b.loss for b in run.batches])
    assert np.average(losses, weights=weights) == pytest.approx(run.epochs[0].loss, rel=1e-4)


def test_evaluation_matches_model_output(ds):
    run = Run(NetworkSpec(hidden=(LayerSpec(32),)), small(), ds)
    wait(Trainer(run, ds, 2).start())
    ev = run.evaluation
    expected = probabilities(run.model, ds.x_test).argmax(axis=1)
    assert (ev.predictions == expected).all()
    assert ev.confusion.sum() == len(ds.y_test) and np.trace(ev.confusion) == (expected == ds.y_test).sum()
    assert ev.accuracy == pytest.approx(run.epochs[-1].test_accuracy, abs=1e-6)
    assert ev.per_class_accuracy.shape == (10,)


def test_stop_stops_within_an_epoch(ds):
    run = Run(NetworkSpec(hidden=(LayerSpec(256),)), small(train_size=4000, batch_size=8), ds)  # ~1 s an epoch
    trainer = Trainer(run, ds, 100).start()
    deadline = time.monotonic() + 60
    while not trainer.progress().batches and time.monotonic() < deadline:
        time.sleep(0.05)
    at_stop = trainer.progress().epoch
    trainer.stop()
    p = wait(trainer, 60)
    assert p.state == "stopped" and "Stopped after" in p.message
    assert p.epoch <= at_stop + 1 and len(run.epochs) < 100  # the worker heard Stop within the epoch


def test_nan_stops_with_message_and_keeps_last_good_weights(ds):
    spec = NetworkSpec(hidden=(LayerSpec(64, "linear"), LayerSpec(64, "linear")))
    run = Run(spec, small(optimizer="sgd", learning_rate=10.0), ds)
    before = [w.copy() for w in run.model.get_weights()]
    p = wait(Trainer(run, ds, 3).start())
    assert p.state == "diverged"
    assert "NaN" in p.message and "too high" in p.message and "Try 1 or smaller" in p.message
    after = run.model.get_weights()
    assert all(np.isfinite(w).all() for w in after)
    assert all((a == b).all() for a, b in zip(after, before))  # diverged in epoch 1: initial weights kept
    assert run.epochs == []


def test_continue_resumes_on_the_same_weights(ds):
    run = Run(NetworkSpec(hidden=(LayerSpec(32),)), small(), ds)
    wait(Trainer(run, ds, 2).start())
    trained = [w.copy() for w in run.model.get_weights()]
    first_loss = run.epochs[-1].loss
    steps = int(run.optimizer_state[0])  # the optimizer's iteration count comes back with the weights
    assert steps == 2 * math.ceil(run.config.train_size / run.config.batch_size)
    # a continued run starts exactly where the first stopped: same weights, same optimizer state
    run.set_learning_rate(5e-4)
    probe = Trainer(run, ds, 1)
    assert all((a == b).all() for a, b in zip(run.model.get_weights(), trained))
    p = wait(probe.start())
    assert int(run.optimizer_state[0]) == steps + steps // 2
    assert [e.epoch for e in p.epochs_done] == [1, 2, 3]
    assert p.epochs_done[-1].loss < first_loss
    assert float(run.model.optimizer.learning_rate.numpy()) == pytest.approx(5e-4)


def test_slots_queue_in_order_and_report_position():
    slots = TrainingSlots(1)
    never = threading.Event().is_set
    a, b, c = object(), object(), object()
    assert slots.acquire(a, never)
    got = []
    threads = [threading.Thread(target=lambda j=j: got.append(j) if slots.acquire(j, never) else None) for j in (b, c)]
    threads[0].start()
    time.sleep(0.15)
    threads[1].start()
    time.sleep(0.15)
    assert slots.position(b) == 1 and slots.position(c) == 2 and slots.running == 1
    slots.release(a)
    threads[0].join(2)
    assert got == [b] and slots.position(c) == 1
    slots.release(b)
    threads[1].join(2)
    assert got == [b, c]


def test_stop_while_queued_never_trains(ds):
    slots = TrainingSlots(1)
    blocker = object()
    slots.acquire(blocker, lambda: False)
    run = Run(NetworkSpec(hidden=(LayerSpec(8),)), small(), ds)
    trainer = Trainer(run, ds, 2, slots=slots).start()
    time.sleep(0.2)
    assert trainer.progress().state == "queued" and trainer.progress().queue_position == 1
    trainer.stop()
    p = wait(trainer, 10)
    assert p.state == "stopped" and run.epochs == []


def test_training_whose_tab_closed_stops_and_frees_its_slot(ds):
    slots = TrainingSlots(1)
    tab_open = threading.Event()
    tab_open.set()
    run = Run(NetworkSpec(hidden=(LayerSpec(8),)), small(), ds)
    trainer = Trainer(run, ds, 200, slots=slots, still_wanted=tab_open.is_set).start()
    while not run.epochs:
        time.sleep(0.05)
    assert trainer.progress().state == "running" and slots.running == 1
    tab_open.clear()
    p = wait(trainer, 30)
    assert p.state == "stopped" and "tab that started it was closed" in p.message
    assert slots.running == 0 and len(run.epochs) < 200


def test_queued_training_whose_tab_closed_leaves_the_queue(ds):
    slots = TrainingSlots(1)
    blocker = object()
    slots.acquire(blocker, lambda: False)
    tab_open = threading.Event()
    tab_open.set()
    run = Run(NetworkSpec(hidden=(LayerSpec(8),)), small(), ds)
    trainer = Trainer(run, ds, 2, slots=slots, still_wanted=tab_open.is_set).start()
    while trainer.progress().queue_position != 1:
        time.sleep(0.05)
    tab_open.clear()
    p = wait(trainer, 10)
    assert p.state == "stopped" and p.queue_position == 0 and run.epochs == []


def test_replaced_runs_leave_nothing_behind_in_tensorflow(ds):
    """TensorFlow's global gradient registry kept every run's traced graph alive (a leak of MBs per run)."""
    from tensorflow.python.framework import ops

    wait(Trainer(Run(NetworkSpec(hidden=(LayerSpec(8),)), small(), ds), ds, 1).start())
    registered = len(ops._gradient_registry._registry)
    for optimizer in ("adam", "sgd", "rmsprop"):
        run = Run(NetworkSpec(hidden=(LayerSpec(8),)), small(optimizer=optimizer), ds)
        p = wait(Trainer(run, ds, 2).start())
        assert p.state == "finished" and p.epochs_done[-1].loss < p.epochs_done[0].loss * 1.5
    assert len(ops._gradient_registry._registry) == registered


def test_network_that_does_not_fit_mnist_is_refused(ds):
    with pytest.raises(SpecError, match="784 inputs and 10 softmax outputs"):
        Run(NetworkSpec(input_size=3, hidden=(LayerSpec(2),), output_units=2, output_activation="linear"), small(), ds)


def test_evaluate_counts():
    class Fixed:
        def __call__(self, x, training=False):
            out = np.zeros((len(x), 10), dtype="float32")
            out[np.arange(len(x)), x[:, 0].astype(int)] = 1
            return out

    x = np.array([[0], [1], [1], [2]], dtype="float32")
    ev = evaluate(Fixed(), x, np.array([0, 1, 2, 2]))
    assert ev.accuracy == 0.75 and ev.confusion[2, 1] == 1 and ev.confusion[2, 2] == 1
    assert ev.per_class_accuracy[2] == 0.5 and ev.per_class_accuracy[5] == 0.0


def test_learning_rate_decays_every_epoch_and_continues_counting(ds):
    run = Run(NetworkSpec(hidden=(LayerSpec(16),)), small(learning_rate=0.01, lr_decay=0.5), ds)
    wait(Trainer(run, ds, 3).start())
    assert [e.learning_rate for e in run.epochs] == pytest.approx([0.01, 0.005, 0.0025])
    wait(Trainer(run, ds, 1).start())  # Continue: the decay carries on from where it was
    assert run.epochs[-1].learning_rate == pytest.approx(0.00125)
    assert float(run.model.optimizer.learning_rate.numpy()) == pytest.approx(0.00125)
    assert "decay 0.5/epoch" in run.label


def test_the_speed_and_time_left_count_from_the_first_update_not_from_the_workers_start(monkeypatch):
    """Counted from the training's start, the first seconds (a worker starting, a graph traced) read as a slow
    pace: early in a 60-epoch run the page said 189 s left where 27 s remained."""
    from types import SimpleNamespace

    from fcviz.train import training
    from fcviz.train.job import Update
    from fcviz.train.state import TrainingState

    clock = [0.0]
    monkeypatch.setattr(training, "time", SimpleNamespace(perf_counter=lambda: clock[0]))
    ds = load_dataset("sample")
    trainer = Trainer(Run(NetworkSpec(), TrainConfig(), ds), ds, 10)  # 10 epochs of 4,000 digits: 40,000 samples
    trainer._state, trainer._started = TrainingState.RUNNING, 0.0
    clock[0] = 5.0  # the first samples come 5 s after the start
    trainer._absorb([Update("job", (), None, 400)])
    early = trainer.progress()
    assert early.samples_per_second == 0 and early.seconds_left is None  # not yet a pace to tell
    clock[0] = 6.0
    trainer._absorb([Update("job", (), None, 1400), Update("job", (), None, 2400)])
    p = trainer.progress()
    assert p.samples_per_second == pytest.approx(2000)  # 2,000 samples in the second since the first update
    assert p.seconds_left == pytest.approx((40_000 - 2400) / 2000)  # 18.8 s, not the 94 s of 2,400 in 6 s
    clock[0] = 9.0  # slower now: the pace follows the last seconds, not the average since the first update
    trainer._absorb([Update("job", (), None, 3000)])
    assert trainer.progress().samples_per_second == pytest.approx(600 / 3)
