"""What runs inside a Dask worker process: the training task and the worker's set-up.

It lives in an importable module because Dask ships tasks by reference (the scheduler and every
worker import `fcviz`), and TensorFlow's AutoGraph needs the functions' source.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import psutil
from distributed import Event, Reschedule, WorkerPlugin, get_worker

from fcviz import environment
from fcviz.data.loading import Dataset, load_dataset
from fcviz.data.sources import SAMPLE
from fcviz.patches import quiet_worker
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.job import Job, Outcome, Update, last_batch, resident, run_job

log = logging.getLogger("fcviz")

TOPIC = "fcviz-progress"  # one topic for every job's updates, sent to its subscribers (no history kept: `fcviz.patches.quiet_scheduler`)
# Workers run under Linux's idle policy (SCHED_IDLE): a core goes to a training only when nothing else wants it. Nice 19
# alone was not enough on this 2-core machine: two busy processes at nice 19 (numpy, nothing of fcviz) made the Build
# page's slider 1.55-1.59x slower in Chromium; under the idle policy 0.99-1.18x (2026-12-06, a probe, two runs each).
NICE = 19  # besides: what still counts where the idle policy is not to be had
RECYCLE_MIB = 1536  # a worker this large when a training arrives is restarted first (a slow leak ends there)


class RetriedJob(RuntimeError):
    """The scheduler retries a job whose worker died: it is not silently trained again from scratch."""


def stop_event(job_id: str) -> str:
    """The name of the Dask Event that stops job `job_id`: set by the page server, polled by the job."""
    return f"{job_id}:stop"


def started_event(job_id: str) -> str:
    """The name of the Dask Event a job sets as it starts: a retried job finds it set (`RetriedJob`)."""
    return f"{job_id}:started"


def lower_priority(nice: int = NICE, pid: int | str = "self") -> None:
    """Every thread of process `pid` (this one by default; on Linux each thread has its own priority) to the idle
    policy, and to `nice` (what counts where the idle policy is missing); threads made later inherit both. A process
    may always lower its own priority (bench_live lowers its watchers' browsers with it)."""
    idle = getattr(os, "SCHED_IDLE", None)
    tasks = Path(f"/proc/{pid}/task")
    for task in tasks.iterdir() if tasks.exists() else []:
        try:
            os.setpriority(os.PRIO_PROCESS, int(task.name), nice)
            if idle is not None:
                os.sched_setscheduler(int(task.name), idle, os.sched_param(0))
        except (OSError, ValueError):
            pass


def idle_policy() -> bool:
    """Whether this thread runs under the idle policy (what `lower_priority` gave the worker)."""
    return hasattr(os, "SCHED_IDLE") and os.sched_getscheduler(0) == os.SCHED_IDLE


class TrainingWorker(WorkerPlugin):
    """Set-up of every worker, the replacements of lost ones included: the lowest priority, Dask's debugging logs off,
    one TensorFlow thread pool sized to the worker's threads (the cores are shared out, not oversubscribed)."""

    name = "fcviz-training-worker"

    def setup(self, worker) -> None:
        """Run by Dask in each worker as it starts: the set-up the class docstring lists, then a warm-up thread."""
        lower_priority()
        quiet_worker(worker)
        import tensorflow as tf

        try:
            tf.config.threading.set_intra_op_parallelism_threads(max(1, worker.state.nthreads))
            tf.config.threading.set_inter_op_parallelism_threads(max(1, worker.state.nthreads))
        except RuntimeError:  # TensorFlow already ran something in this process: keep its pools
            pass
        threading.Thread(target=warm_up, name="fcviz-warm-up", daemon=True).start()


def warm_up() -> None:
    """Compile the default network's graph and load the sample before the first student presses Train:
    a network's first training on a worker pays a few seconds of XLA compilation."""
    try:
        from fcviz.train.steps import precompile

        config = TrainConfig()
        data = resident(SAMPLE, lambda: load_dataset.__wrapped__(SAMPLE))
        precompile(NetworkSpec(), config.optimizer, config.l2, data, config.batch_size,
                   tail=last_batch(config, int(data[1].shape[0])))
    except Exception as e:  # a worker that cannot warm up still trains: it compiles on first use
        log.warning("fcviz worker warm-up failed: %s", e)


_trained = 0  # jobs this worker process ran
_recycling = False


def recycle_mib() -> float:
    """The size (MiB) past which a worker restarts between trainings: `FCVIZ_WORKER_RECYCLE_MIB`, else `RECYCLE_MIB`."""
    return float(os.environ.get(environment.WORKER_RECYCLE_MIB) or RECYCLE_MIB)


def _recycle_if_grown(worker) -> None:
    """Between trainings, a worker that has grown past `recycle_mib()` is restarted by its nanny and the job
    waiting for it goes back to the scheduler, which gives it to another worker or to the fresh one.
    Asked once per process (if Dask cannot retire it, it keeps training), never before its first job."""
    global _recycling
    if _recycling or _trained == 0 or psutil.Process().memory_info().rss < recycle_mib() * 2**20:
        return
    _recycling = True
    log.warning("fcviz worker %s restarts: %.0f MiB", worker.address, psutil.Process().memory_info().rss / 2**20)
    worker.loop.add_callback(worker.close_gracefully, restart=True, reason="fcviz-recycle")
    raise Reschedule()


def train(job: Job, data: str | Dataset) -> Outcome:
    """The task: train `job` on the data set `data` names (loaded once per worker) or holds (an upload)."""
    global _trained
    worker = get_worker()
    _recycle_if_grown(worker)
    started = Event(started_event(job.id))
    if started.is_set():  # the scheduler is retrying it after its first worker died
        raise RetriedJob(job.id)
    started.set()
    stop = Event(stop_event(job.id))
    if isinstance(data, Dataset):
        tensors = resident(job.source, lambda: data)
    else:
        tensors = resident(job.source, lambda: load_dataset.__wrapped__(data))  # no other copy kept beside

    def publish(update: Update) -> None:
        worker.log_event(TOPIC, update.to_message())

    try:
        return run_job(job, tensors, publish, stop)
    finally:
        _trained += 1
