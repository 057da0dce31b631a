"""Dask's debugging logs off in every process of a training cluster, including one started by hand.

Dask keeps its last messages, transitions and events (1,000 of each by default) for debugging. Every job
message carries a network's weights and optimizer state, so those logs held the last 1,000 jobs in the
page server's client and in the scheduler (their send logs): +0.5 MB per training until 1,000 were kept;
workers log their own, smaller messages. One setting sizes all the logs, but a process reads it when it
starts and when it opens a connection: a `dask scheduler` or `dask worker` started without it is quietened
from the page server, which sets it there and empties the logs already made.
"""
from __future__ import annotations

import logging
from collections import deque
from functools import partial

import dask

log = logging.getLogger("fcviz")

QUIET = {"distributed.admin.low-level-log-length": 0}


def _empty() -> deque:
    return deque(maxlen=0)


def _empty_all(logs: list[tuple[object, str]]) -> None:
    for owner, name in logs:
        setattr(owner, name, _empty())


def _scheduler_logs(scheduler) -> list[tuple[object, str]]:
    """(owner, attribute) of each log a scheduler keeps: transitions, event topics, every stream's messages."""
    topics = scheduler._broker._topics.values()
    streams = [*scheduler.stream_comms.values(), *scheduler.client_comms.values()]
    return [(scheduler, "transition_log"), *((topic, "events") for topic in topics),
            *((stream, "recent_message_log") for stream in streams)]


def _worker_logs(worker) -> list[tuple[object, str]]:
    """(owner, attribute) of each log a worker keeps: its state machine's, its transfers', its stream's."""
    return [(worker.state, "log"), (worker.state, "stimulus_log"), (worker, "transfer_incoming_log"),
            (worker, "transfer_outgoing_log"), (worker.batched_stream, "recent_message_log")]


def quiet_scheduler(dask_scheduler) -> None:
    """Run on the scheduler (`Client.run_on_scheduler`): its logs keep nothing from now on."""
    from distributed.broker import Topic

    dask.config.set(QUIET)  # the streams it opens later (a new worker, a new page server) start empty
    try:
        dask_scheduler._broker._topics.default_factory = partial(Topic, maxlen=0)
        _empty_all(_scheduler_logs(dask_scheduler))
    except AttributeError as e:  # another version of distributed: it trains all the same
        log.warning("Dask's logs on this scheduler could not be emptied (%s): it may keep the last jobs", e)


def quiet_worker(worker) -> None:
    """Run on every worker as it joins (`fcviz.worker.TrainingWorker`): its logs keep nothing from now on."""
    dask.config.set(QUIET)
    try:
        _empty_all(_worker_logs(worker))
    except AttributeError as e:
        log.warning("Dask's logs on this worker could not be emptied (%s): it may keep the last jobs", e)


def _held(logs: list[tuple[object, str]]) -> int:
    return sum(len(getattr(owner, name)) for owner, name in logs)


def held_by_scheduler(dask_scheduler) -> int:
    """Entries the scheduler's logs hold (`Client.run_on_scheduler` it): 0 once it is quiet."""
    return _held(_scheduler_logs(dask_scheduler))


def held_by_worker(dask_worker) -> int:
    """Entries a worker's logs hold (`Client.run` it): 0 once it is quiet."""
    return _held(_worker_logs(dask_worker))
