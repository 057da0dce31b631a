"""Where trainings run: Dask worker processes, away from the page server.

Trainings used to be threads in the Streamlit process, so every training slowed every student's
clicks (one GIL, shared cores). `DaskEngine` sends each job (`fcviz.train.job`) to a Dask worker:
by default an embedded `LocalCluster` the app starts itself (one single-threaded worker process
per core, at a lower OS priority than the page server); with `FCVIZ_DASK_SCHEDULER` set, an
existing cluster, whose workers may be on other machines. Updates come back on one Dask event
topic; Stop is a Dask `Event` the job polls.

`InlineEngine` runs the same job in a thread of this process (`FCVIZ_ENGINE=inline`): for a
laptop that cannot spare a process per core, and the library's own tests.
"""
from __future__ import annotations

import itertools
import logging
import os
import secrets
import threading
from typing import Callable, Protocol

from fcviz import environment
from fcviz.cache import Bounded
from fcviz.data.loading import Dataset
from fcviz.i18n import N_, later
from fcviz.patches import QUIET, quiet_scheduler
from fcviz.train.job import Job, Outcome, Update, resident, run_job

log = logging.getLogger("fcviz")

CONNECT_SECONDS = 10
UPLOADS_KEPT = 4  # uploaded data sets held by the cluster (as in `fcviz.data.loading`)
LOST = N_("The training stopped: its worker was lost (killed, or out of memory). Press Train again.")


# The embedded cluster's scheduler and nannies live in the page server's process, where every wake-up takes the GIL
# from the students' pages: Dask's event-loop health tick (every 20 ms in each), its system monitor (500 ms) and the
# nannies' memory checks (100 ms) kept an idle page server at 36-40 ms of CPU a second; with these, 11-14 ms.
EMBEDDED_HOUSEKEEPING = {"distributed.admin.tick.interval": "500ms",
                         "distributed.admin.system-monitor.interval": "2s",
                         "distributed.worker.memory.monitor-interval": "500ms"}
# Dask's nannies start their workers with MALLOC_TRIM_THRESHOLD_=65536, which also turns off glibc's adaptive mmap
# threshold: every buffer over 128 kB a graph call frees goes back to the system and is faulted in again at the next
# call. A sample training ran 12-15 % slower for it, a numpy loop 4x (2026-12-06). The workers' growth is bounded
# otherwise: a worker past `fcviz.train.worker.RECYCLE_MIB` is restarted between trainings.
UNTRIMMED = "MALLOC_TRIM_THRESHOLD_"


def worker_environment() -> dict:
    """What the embedded cluster's nannies set before they start a worker: Dask's own, but `UNTRIMMED`."""
    import dask
    import distributed  # noqa: F401  (its import loads the `distributed.*` settings read here)

    return {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items() if k != UNTRIMMED}


class WorkerLost(RuntimeError):
    """The job's worker died (killed, out of memory): the training fails with `LOST`, the run keeps what it had."""


class Handle(Protocol):
    """A submitted job, as the page server's Trainer sees it."""

    def updates(self) -> list[Update]:
        """The updates that arrived since the last call."""

    def stop(self) -> None:
        """Ask the job to stop; `wait` then returns its outcome."""

    def wait(self, timeout: float) -> Outcome | None:
        """The job's outcome, or None if it is still running after `timeout` seconds; WorkerLost if its worker died."""


class Engine(Protocol):
    """What the Trainer needs of an engine, Dask or inline: somewhere to submit jobs, and how many run at once."""

    capacity: int  # trainings that can run at once
    note: str | None  # something the server's owner should know (e.g. the scheduler could not be reached)

    def submit(self, job: Job, dataset: Dataset) -> Handle:
        """Start training `job` on `dataset`; the handle follows it."""


_ids = itertools.count(1)


def new_job_id() -> str:
    """Unique across page servers sharing a cluster: it names the job's events on the scheduler."""
    return f"fcviz-{next(_ids)}-{secrets.token_hex(8)}"


class _Inbox:
    """Updates that arrived for one job, taken by the Trainer's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Update] = []

    def put(self, update: Update) -> None:
        with self._lock:
            self._items.append(update)

    def take(self) -> list[Update]:
        with self._lock:
            items, self._items = self._items, []
            return items


class _InlineHandle(_Inbox):
    def __init__(self, job: Job, dataset: Dataset) -> None:
        super().__init__()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._outcome: Outcome | BaseException | None = None
        self._thread = threading.Thread(target=self._work, args=(job, dataset), daemon=True,
                                        name=f"fcviz-inline-{job.id}")
        self._thread.start()

    def _work(self, job: Job, dataset: Dataset) -> None:
        try:
            self._outcome = run_job(job, resident(job.source, lambda: dataset), self.put, self._stop)
        except BaseException as e:  # reported by wait()
            self._outcome = e
        self._done.set()

    def updates(self) -> list[Update]:
        return self.take()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float) -> Outcome | None:
        if not self._done.wait(timeout):
            return None
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome


class InlineEngine:
    """Jobs in threads of this process (`FCVIZ_ENGINE=inline`): for a laptop that cannot spare a process per core, and
    the library's own tests."""

    note = None

    def __init__(self, capacity: int | None = None) -> None:
        self.capacity = capacity or os.cpu_count() or 1

    def submit(self, job: Job, dataset: Dataset) -> Handle:
        """Start `job` in a thread of its own."""
        return _InlineHandle(job, dataset)


class DaskEngine:
    """Jobs on a Dask cluster: an external scheduler's, or one this process starts."""

    def __init__(self, address: str | None = None, n_workers: int | None = None,
                 connect_timeout: float = CONNECT_SECONDS, memory_limit: str = "auto") -> None:
        import dask

        from fcviz.train import worker

        self.note: str | None = None
        self.cluster = None
        with dask.config.set(QUIET):  # read when the client, scheduler and workers start
            self.client = self._connect(address, n_workers, connect_timeout, memory_limit)
        self.client.run_on_scheduler(quiet_scheduler)  # an external one was started without it
        self.client.register_plugin(worker.TrainingWorker())  # quietens every worker, each new one too
        self._inboxes: dict[str, _Inbox] = {}
        self._lock = threading.Lock()
        self._uploads: Bounded[str, object] = Bounded(UPLOADS_KEPT)
        self.client.subscribe_topic(worker.TOPIC, self._deliver)

    def _connect(self, address: str | None, n_workers: int | None, connect_timeout: float, memory_limit: str):
        from distributed import Client

        client = None
        if address:
            try:
                client = Client(address, timeout=connect_timeout)
            except Exception as e:  # OSError, TimeoutError: any way of not reaching it
                self.note = later("The Dask scheduler at {address} could not be reached ({error}); trainings run on "
                                  "workers this server started itself.", address=address, error=type(e).__name__)
                log.warning(self.note)
        if client is None:
            self.cluster = start_cluster(n_workers, memory_limit)
            client = Client(self.cluster)
        return client

    @property
    def capacity(self) -> int:
        """The cluster's worker threads: trainings that can run at once (asked each time, as workers come and go)."""
        return max(1, sum(self.client.nthreads().values()))

    def _deliver(self, event: tuple) -> None:
        """Runs on the client's event loop: hand each update to its job's inbox (other servers' jobs ignored)."""
        update = Update.from_message(event[1])
        with self._lock:
            inbox = self._inboxes.get(update.job)
        if inbox is not None:
            inbox.put(update)

    def _data(self, dataset: Dataset):
        """What the task gets: a name each worker loads once, or an upload scattered to the cluster once."""
        if dataset.by_name:
            return dataset.source
        return self._uploads.get_or_make(dataset.source, lambda: self.client.scatter(dataset, hash=False))

    def submit(self, job: Job, dataset: Dataset) -> Handle:
        """Send `job` to a worker; its updates reach the handle through the job's inbox."""
        from fcviz.train import worker

        inbox = _Inbox()
        with self._lock:
            self._inboxes[job.id] = inbox
        future = self.client.submit(worker.train, job, self._data(dataset), key=job.id, pure=False)
        return _DaskHandle(self, job.id, future, inbox)

    def forget(self, job_id: str) -> None:
        """Drop a finished job's inbox and its Events on the scheduler, which would otherwise keep them."""
        from distributed import Event

        from fcviz.train import worker

        with self._lock:
            self._inboxes.pop(job_id, None)
        for name in (worker.stop_event(job_id), worker.started_event(job_id)):
            Event(name, client=self.client).clear()  # deletes it on the scheduler

    def close(self) -> None:
        """Disconnect, and shut down the cluster if this engine started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class _DaskHandle:
    def __init__(self, engine: DaskEngine, job_id: str, future, inbox: _Inbox) -> None:
        self.engine, self.job_id, self.future, self.inbox = engine, job_id, future, inbox
        self._done = threading.Event()
        future.add_done_callback(lambda _: self._done.set())  # not result(timeout=): it races in distributed

    def updates(self) -> list[Update]:
        return self.inbox.take()

    def stop(self) -> None:
        from distributed import Event

        from fcviz.train import worker

        Event(worker.stop_event(self.job_id), client=self.engine.client).set()  # polled by the job

    def wait(self, timeout: float) -> Outcome | None:
        from distributed.scheduler import KilledWorker

        from fcviz.train import worker

        if not self._done.wait(timeout):
            return None
        try:
            return self.future.result()
        except (KilledWorker, worker.RetriedJob) as e:
            raise WorkerLost(LOST) from e
        finally:
            self.future.release()  # the cluster keeps nothing of a finished job: a worker can then be recycled
            self.engine.forget(self.job_id)


def start_cluster(n_workers: int | None = None, memory_limit: str = "auto"):
    """A cluster of `n_workers` single-threaded worker processes (default `embedded_workers()`) on this machine,
    its scheduler and nannies in this process: the one the app starts itself, or the one serve.py starts for its page
    servers. Each worker's nanny restarts it past 95 % of `memory_limit` ("auto": the machine's memory shared out)."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 0,  # a lost worker ends its job
                          "distributed.worker.profile.enabled": False, **EMBEDDED_HOUSEKEEPING,
                          "distributed.nanny.pre-spawn-environ": worker_environment()}):
        return LocalCluster(n_workers=n_workers or embedded_workers(), threads_per_worker=1,
                            memory_limit=memory_limit, processes=True, dashboard_address="127.0.0.1:0",
                            silence_logs=logging.ERROR)


def embedded_workers() -> int:
    """`FCVIZ_WORKERS` (e.g. 1 to leave a core to the pages), else one worker per core."""
    return environment.whole_number(environment.WORKERS) or os.cpu_count() or 1


_engine: Engine | None = None
_engine_lock = threading.Lock()


def engine() -> Engine:
    """This process's engine, started on first use: `FCVIZ_ENGINE=inline`, or Dask (external or embedded)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            kind = os.environ.get(environment.ENGINE, "dask")
            scheduler = os.environ.get(environment.DASK_SCHEDULER) or None
            _engine = InlineEngine() if kind == "inline" else DaskEngine(scheduler)
        return _engine


def started() -> Engine | None:
    """The engine if it has started (without starting it)."""
    return _engine


def use(new: Engine | None) -> Engine | None:
    """Replace this process's engine (tests); returns the one it replaces."""
    global _engine
    with _engine_lock:
        old, _engine = _engine, new
        return old


def starting(callback: Callable[[Engine], None] | None = None) -> threading.Thread:
    """Start the engine in the background (at app start: the first Train need not wait for it)."""
    def go() -> None:
        started = engine()
        if callback is not None:
            callback(started)
    thread = threading.Thread(target=go, name="fcviz-engine-start", daemon=True)
    thread.start()
    return thread
