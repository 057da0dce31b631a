"""The training engine: the in-graph step equals `fit`, and trainings run in real Dask worker processes
that can be stopped, lost (kill -9) and replaced, on the embedded cluster or an external scheduler."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

from fcviz import environment
from fcviz.data.loading import Dataset, load_dataset
from fcviz.net import scores as scoring
from fcviz.net.reader import dense_weights
from fcviz.patches import held_by_scheduler, held_by_worker
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train import engine, worker
from fcviz.train import job as job_module
from fcviz.train.engine import LOST, DaskEngine, new_job_id
from fcviz.train.job import STOP_WAIT_SECONDS, Job, resident, run_job
from fcviz.train.state import TrainingState
from fcviz.train.steps import borrowed, compiled
from fcviz.train.training import Run, Trainer
from fcviz_dev.appserver import free_port
from fcviz_dev.cluster import external_cluster


@pytest.fixture(scope="module")
def ds():
    return load_dataset("sample")


def wait_for(condition, timeout: float = 120, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached in {timeout} s")


def finished(trainer: Trainer, timeout: float = 180):
    wait_for(lambda: not trainer.progress().active, timeout, "the end of the training")
    return trainer.progress()


@pytest.mark.parametrize("spec, l2", [
    (NetworkSpec(), 0.0),
    (NetworkSpec(hidden=(LayerSpec(64, "relu", dropout=0.3), LayerSpec(32, "sigmoid"))), 1e-3),
], ids=["default network", "dropout and L2"])
def test_in_graph_step_gives_the_numbers_fit_gives(ds, spec, l2):
    """One epoch on the same samples in the same order from the same weights: same loss as Keras' fit (the epoch's
    last, smaller batch in a graph of its own, XLA-compiled as the full calls are)."""
    x, y, n, bs = ds.x_train, ds.y_train, 2000, 32
    reference = compiled(spec, "adam", 1e-3, seed=3, l2=l2)
    start = reference.get_weights()
    history = reference.fit(x[:n], y[:n], batch_size=bs, epochs=1, shuffle=False, verbose=0,
                            validation_data=(ds.x_test, ds.y_test)).history
    xt, yt = tf.constant(x), tf.constant(y)
    with borrowed(spec, "adam", l2) as stepper:
        rows = 8
        stepper.compile_xla(xt, yt, bs, rows, tail=n % bs)
        assert stepper.xla_ready == (spec.hidden[0].dropout == 0)  # XLA unless there is dropout
        assert len(stepper._compiled) == (2 if stepper.xla_ready else 0)  # the full calls' graph, the last batch's
        stepper.load(start, None, 1e-3, seed=3)
        losses = []
        for i in range(0, n - n % bs, rows * bs):  # full batches, `rows` per call, then the smaller last one
            losses += stepper.train(xt, yt, np.arange(i, min(i + rows * bs, n - n % bs)), bs, rows)[0].tolist()
        losses += stepper.train(xt, yt, np.arange(n - n % bs, n), bs, rows)[0].tolist()
        scores = scoring.scores(dense_weights(stepper.model), ds.x_test, ds.y_test, l2)  # as the job scores them
    assert len(losses) == n // bs + (n % bs > 0)
    sizes = [min(bs, n - i * bs) for i in range(len(losses))]
    assert np.average(losses, weights=sizes) == pytest.approx(history["loss"][0], rel=1e-4)
    assert scores.loss == pytest.approx(history["val_loss"][0], rel=1e-4)
    assert scores.accuracy == pytest.approx(history["val_accuracy"][0], abs=1e-3)


def test_each_epoch_is_scored_on_a_thread_of_its_own_and_published_before_the_next_epochs_points(ds, monkeypatch):
    """The test set's pass runs on a scoring thread while the next epoch's first call trains; the epoch's stats still
    reach the page before any point of the next epoch (the progress never steps back)."""
    threads = []

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return scoring.scores(*args, **kwargs)
    monkeypatch.setattr(job_module, "scores", recorded)
    updates = []
    outcome = run_job(_job(ds, 3, 1000), resident(ds.source, lambda: ds), updates.append, threading.Event())
    assert outcome.state == TrainingState.FINISHED and [e.epoch for e in outcome.epochs] == [1, 2, 3]
    assert len(threads) == 3 and all(name.startswith("fcviz-test-scores") for name in threads)
    stats_seen = 0
    for update in updates:
        assert all(point.x <= stats_seen + 1 for point in update.batches)  # no point of an epoch not yet begun
        stats_seen += update.epoch is not None
    assert stats_seen == 3 and outcome.epochs == [u.epoch for u in updates if u.epoch is not None]
    assert outcome.moved is not None and list(outcome.moved) == [0, 2, 3, 4]
    no_compilation_left()


def test_a_test_loss_that_blows_up_ends_the_job_at_that_epoch_with_the_weights_before_it(ds, monkeypatch):
    """Epoch 2's test loss is not finite (its scores arrive while epoch 3 trains): the job ends as diverged at epoch 2,
    with epoch 1's record and weights; epoch 2's and 3's points go with it."""
    calls = []

    def blows_up_second(*args, **kwargs):
        calls.append(1)
        real = scoring.scores(*args, **kwargs)
        return scoring.Scores(float("inf"), real.accuracy, real.predictions) if len(calls) == 2 else real
    monkeypatch.setattr(job_module, "scores", blows_up_second)
    outcome = run_job(_job(ds, 3, 1000), resident(ds.source, lambda: ds), lambda update: None, threading.Event())
    assert outcome.state == TrainingState.DIVERGED and outcome.diverged_at == 2
    assert [e.epoch for e in outcome.epochs] == [1] and outcome.optimizer_state is None and outcome.moved is None
    assert all(b.x <= 1 for b in outcome.batches) and all(s.x <= 1 for s in outcome.snapshots)
    assert outcome.snapshots[-1].x == 1
    for returned, end_of_1 in zip(outcome.weights, outcome.snapshots[-1].weights, strict=True):
        np.testing.assert_array_equal(returned, end_of_1)
    no_compilation_left()


def test_halt_is_checked_before_every_batch(ds):
    """Stop acts within one batch: with the flag set, a call trains no batch at all."""
    with borrowed(NetworkSpec(), "adam", 0.0) as stepper:
        stepper.load(compiled(NetworkSpec(), "adam", 1e-3).get_weights(), None, 1e-3, seed=1)
        before = stepper.weights()
        stepper.halt.assign(True)
        loss, _, _ = stepper.train(tf.constant(ds.x_train), tf.constant(ds.y_train), np.arange(256), 32, 8)
        assert len(loss) == 0
        assert all((a == b).all() for a, b in zip(before, stepper.weights()))


def _job(ds, epochs: int, train_size: int) -> Job:
    config = TrainConfig(train_size=train_size)
    return Job(new_job_id(), NetworkSpec(), config, compiled(NetworkSpec(), "adam", 1e-3).get_weights(), None, 0,
               (1e-3,) * epochs, ds.source)


def no_compilation_left() -> None:
    """Wait for XLA's compilation: a second training of a network here compiles it in the background, and a thread
    left in TensorFlow at the interpreter's exit aborts it."""
    wait_for(lambda: not any(t.name == "fcviz-xla-compile" for t in threading.enumerate()), 300, "XLA's compilation")


class _Waits(threading.Event):
    """A Stop that records how long the job's watcher waited on it each time."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        return super().wait(timeout)


def test_a_jobs_stop_is_waited_for_not_polled_and_acts_at_once(ds):
    """The job waits on its Stop in turns of `STOP_WAIT_SECONDS` (a Dask Event's wait is one request to the
    scheduler, where polling every 50 ms was 20 a second); its end does not wait for a turn to end; a Stop asked ends
    the job within its batch; and the watcher, woken by the job's end, leaves the stepper alone (the next job of that
    network borrows it)."""
    data = resident(ds.source, lambda: ds)
    started = time.perf_counter()
    stop = _Waits()
    outcome = run_job(_job(ds, 3, 2000), data, lambda update: None, stop)
    took = time.perf_counter() - started
    assert outcome.state == TrainingState.FINISHED and len(outcome.epochs) == 3
    assert set(stop.waits) == {STOP_WAIT_SECONDS} and len(stop.waits) <= took / STOP_WAIT_SECONDS + 1
    started = time.perf_counter()
    outcome = run_job(_job(ds, 1, 500), data, lambda update: None, threading.Event())
    assert time.perf_counter() - started - outcome.seconds < STOP_WAIT_SECONDS / 2  # beyond the training itself
    with borrowed(NetworkSpec(), "adam", 0.0) as stepper:
        assert not bool(stepper.halt.numpy())

    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    outcome = run_job(_job(ds, 200, 2000), data, lambda update: None, stop)
    assert outcome.state == TrainingState.STOPPED and len(outcome.epochs) < 200
    no_compilation_left()


def test_trainings_run_in_worker_processes_and_continue_with_the_optimizer_state(ds):
    dask = engine.engine()
    assert isinstance(dask, DaskEngine) and dask.capacity >= 1
    worker_pids = set(dask.client.run(os.getpid).values())
    assert os.getpid() not in worker_pids  # not a thread of this process
    nice = dask.client.run(os.getpriority, os.PRIO_PROCESS, 0)  # the thread Dask runs this in, on each worker
    assert set(nice.values()) == {worker.NICE} and worker.NICE > os.getpriority(os.PRIO_PROCESS, 0)
    assert all(dask.client.run(worker.idle_policy).values()) and not worker.idle_policy()  # theirs, not ours
    # the scheduler and the nannies live in the page server: their housekeeping wakes it seldom (it takes the GIL)
    scheduler, nannies = dask.cluster.scheduler, list(dask.cluster.workers.values())
    assert scheduler.periodic_callbacks["tick"].callback_time == 500
    assert all(n.periodic_callbacks["tick"].callback_time == 500 for n in nannies)
    assert all(n.memory_manager.memory_monitor_interval == 0.5 for n in nannies)
    # the workers' malloc keeps its adaptive thresholds (Dask's trim setting made each graph call fault its buffers in)
    assert set(dask.client.run(os.getenv, engine.UNTRIMMED).values()) == {None}
    assert set(dask.client.run(os.getenv, "OMP_NUM_THREADS").values()) == {"1"}  # Dask's other settings stay
    run = Run(NetworkSpec(hidden=(LayerSpec(48),)), TrainConfig(train_size=1000), ds)
    p = finished(Trainer(run, ds, 2).start())
    assert p.state == "finished" and [e.epoch for e in run.epochs] == [1, 2]
    assert run.evaluation is not None and run.evaluation.accuracy == pytest.approx(run.epochs[-1].test_accuracy)
    steps = int(run.optimizer_state[0])
    finished(Trainer(run, ds, 1).start())
    assert [e.epoch for e in run.epochs] == [1, 2, 3] and int(run.optimizer_state[0]) == steps * 3 // 2


def test_a_data_set_made_in_memory_is_sent_once_and_trained_on(ds):
    """An upload (or any set not loadable by name) goes to the cluster once; later runs reuse it."""
    small = Dataset("my digits", ds.x_train[:600], ds.y_train[:600], ds.x_test[:300], ds.y_test[:300])
    assert not small.by_name
    for _ in range(2):
        run = Run(NetworkSpec(hidden=(LayerSpec(16),)), TrainConfig(train_size=600), small)
        trainer = Trainer(run, small, 1).start()
        assert finished(trainer).state == "finished" and trainer.n_train == 600
    assert len([k for k in engine.engine()._uploads if k == small.source]) == 1


def job_counter():
    """A function counting the Job objects alive in the process it runs in: made here, so Dask sends it to
    workers and schedulers by value (they cannot import the tests)."""
    def jobs_held() -> int:
        import gc

        from fcviz.train.job import Job

        gc.collect()
        return sum(isinstance(o, Job) for o in gc.get_objects())
    return jobs_held


jobs_held = job_counter()


def test_dask_keeps_no_finished_job_with_its_weights(ds):
    """Dask's debugging logs once held the last 1,000 job messages, each with a network's weights: +0.5 MB per
    training in the page server (its client and embedded scheduler) and in the workers."""
    dask = engine.engine()
    for _ in range(3):
        run = Run(NetworkSpec(hidden=(LayerSpec(16),)), TrainConfig(train_size=500), ds)
        assert finished(Trainer(run, ds, 1).start()).state == "finished"
    del run  # the last training's thread and future let go of its job a moment after it ends:
    wait_for(lambda: jobs_held() == 0, 30, "no job left in the page server")
    wait_for(lambda: set(dask.client.run(jobs_held).values()) == {0}, 30, "no job left in a worker")


def worker_of(dask: DaskEngine, job_id: str) -> tuple[str, int]:
    """The address and process id of the worker running `job_id`."""
    where = wait_for(lambda: next((w for w, keys in dask.client.processing().items() if job_id in keys), None),
                     60, "the job on a worker")
    return where, dask.client.run(os.getpid, workers=[where])[where]


def test_a_worker_killed_mid_training_loses_only_its_own_training(ds):
    dask = engine.engine()
    wait_for(lambda: dask.capacity >= 2, 120, "two workers")
    slow = TrainConfig(train_size=4000, batch_size=8)
    victim = Run(NetworkSpec(hidden=(LayerSpec(64),)), slow, ds)
    finished(Trainer(victim, ds, 1).start())  # it has a history worth keeping
    kept, kept_points = list(victim.epochs), len(victim.batches)
    other = Run(NetworkSpec(hidden=(LayerSpec(64),)), slow, ds)
    doomed = Trainer(victim, ds, 200).start()
    survivor = Trainer(other, ds, 200).start()
    wait_for(lambda: len(doomed.progress().batches) > kept_points + 2 and survivor.progress().batches, 120,
             "both trainings under way")
    where, pid = worker_of(dask, doomed.job_id)
    assert worker_of(dask, survivor.job_id)[0] != where
    os.kill(pid, signal.SIGKILL)
    p = finished(doomed, 60)
    assert p.state == "failed" and p.message == LOST
    assert victim.epochs == kept and len(victim.batches) == kept_points  # as it was before this training
    assert survivor.progress().state == "running"  # the other student's training goes on
    wait_for(lambda: len(other.epochs) >= 1, 120, "an epoch of the other training after the loss")
    survivor.stop()
    assert finished(survivor, 60).state == "stopped"
    wait_for(lambda: pid not in dask.client.run(os.getpid).values() and dask.capacity >= 2, 120,
             "the lost worker replaced")
    again = Run(NetworkSpec(hidden=(LayerSpec(64),)), TrainConfig(train_size=1000), ds)
    assert finished(Trainer(again, ds, 1).start()).state == "finished"


def test_a_worker_out_of_memory_mid_training_loses_only_its_own_training(ds):
    """A worker that grows past its memory limit mid-training is ended by its nanny (as the kernel's OOM killer
    would end it): its training fails with the message, the run is kept as it was, a fresh worker trains on."""
    small = DaskEngine(n_workers=1, memory_limit="3GiB")

    def grow_past_the_limit(dask_worker):  # pickled by value: the worker cannot import this module
        import threading

        import numpy
        threading.Thread(target=lambda: setattr(dask_worker, "ballast", numpy.ones(3 * 2**30, numpy.uint8))).start()

    try:
        run = Run(NetworkSpec(hidden=(LayerSpec(64),)), TrainConfig(train_size=4000, batch_size=8), ds)
        weights = run.model.get_weights()
        trainer = Trainer(run, ds, 200, engine=small).start()
        wait_for(lambda: len(trainer.progress().batches) > 2, 120, "the training under way")
        (pid,) = small.client.run(os.getpid).values()
        small.client.run(grow_past_the_limit)
        p = finished(trainer, 120)
        assert p.state == "failed" and p.message == LOST and run.epochs == [] and run.batches == []
        assert all(np.array_equal(a, b) for a, b in zip(run.model.get_weights(), weights))
        wait_for(lambda: small.client.run(os.getpid) and pid not in small.client.run(os.getpid).values(), 120,
                 "a fresh worker")
        again = Run(NetworkSpec(hidden=(LayerSpec(8),)), TrainConfig(train_size=500), ds)
        assert finished(Trainer(again, ds, 1, engine=small).start()).state == "finished"
    finally:
        small.close()


def test_an_unreachable_scheduler_falls_back_to_the_embedded_cluster(ds):
    port = free_port()  # nobody listens there
    fallback = DaskEngine(f"tcp://127.0.0.1:{port}", n_workers=1, connect_timeout=2)
    try:
        assert "could not be reached" in fallback.note and f"127.0.0.1:{port}" in fallback.note
        assert fallback.cluster is not None and fallback.capacity == 1
        run = Run(NetworkSpec(hidden=(LayerSpec(8),)), TrainConfig(train_size=500), ds)
        assert finished(Trainer(run, ds, 1, engine=fallback).start()).state == "finished"
    finally:
        fallback.close()


def test_an_external_scheduler_and_worker_started_as_the_readme_says(ds):
    with external_cluster() as address:
        external = DaskEngine(address)
        try:
            assert external.note is None and external.cluster is None
            wait_for(lambda: external.capacity == 1 and external.client.nthreads(), 120, "the worker")
            run = Run(NetworkSpec(hidden=(LayerSpec(8),)), TrainConfig(train_size=500), ds)
            trainer = Trainer(run, ds, 2, engine=external).start()
            assert finished(trainer).state == "finished" and len(run.epochs) == 2
            # started without Dask's settings (as a teacher may): the page server turned their logs off
            wait_for(lambda: [external.client.run_on_scheduler(jobs_held), *external.client.run(jobs_held).values()]
                     == [0, 0], 30, "no job left in the scheduler or the worker")
            assert external.client.run_on_scheduler(held_by_scheduler) == 0
            assert list(external.client.run(held_by_worker).values()) == [0]
        finally:
            external.client.close()


def test_a_worker_grown_past_its_limit_is_restarted_between_trainings(ds, monkeypatch):
    monkeypatch.setenv(environment.WORKER_RECYCLE_MIB, "1")  # every worker that has trained is "too large"
    one = DaskEngine(n_workers=1)
    try:
        first = Run(NetworkSpec(hidden=(LayerSpec(8),)), TrainConfig(train_size=500), ds)
        assert finished(Trainer(first, ds, 1, engine=one).start()).state == "finished"
        (pid,) = one.client.run(os.getpid).values()
        second = Run(NetworkSpec(hidden=(LayerSpec(8),)), TrainConfig(train_size=500), ds)
        trainer = Trainer(second, ds, 2, engine=one).start()
        assert finished(trainer).state == "finished" and len(second.epochs) == 2  # on the fresh worker
        assert pid not in one.client.run(os.getpid).values()
    finally:
        one.close()


def test_a_worker_process_importing_the_apps_main_module_runs_nothing(monkeypatch):
    """multiprocessing's spawn imports the parent's __main__ (app.py, under Streamlit) in every new worker as
    __mp_main__: the app must not run there (it would start an engine inside a daemonic worker)."""
    import runpy

    from ui import runtime

    def forbidden():
        raise AssertionError("the app ran in a worker process")
    monkeypatch.setattr(runtime, "configure_runtime", forbidden)
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"), run_name="__mp_main__")
    with pytest.raises(AssertionError, match="ran in a worker"):
        runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"), run_name="__main__")


@pytest.mark.parametrize("value, workers", [("1", 1), ("3", 3), ("", os.cpu_count()), ("0", os.cpu_count()),
                                            ("-2", os.cpu_count()), ("two", os.cpu_count()), ("²", os.cpu_count())])
def test_the_embedded_clusters_size_is_a_positive_whole_number_or_one_per_core(monkeypatch, value, workers):
    monkeypatch.setenv(environment.WORKERS, value)
    assert engine.embedded_workers() == workers
