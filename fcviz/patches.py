"""Every change fcviz makes to a private API of Streamlit, Keras, TensorFlow or Dask, in one place.

Each was written for one minor version of its package (`WRITTEN_FOR`). When the installed version
differs, `check_versions()` says which patch to re-check, the app logs it at start-up and a test
fails, so an upgrade cannot quietly break one. A patch whose private attribute is gone is skipped
with a warning instead of crashing the app.

Each patch imports its package inside the function that applies it (the Streamlit ones are called by
`ui/runtime.py`, Dask's by the training engine): importing `fcviz` never imports Streamlit or Dask.
"""
from __future__ import annotations

import importlib.metadata
import logging
import warnings
from collections import deque
from functools import partial

log = logging.getLogger("fcviz")

WRITTEN_FOR = {"streamlit": "1.67", "keras": "3.15", "tensorflow-cpu": "2.21", "distributed": "2026.8"}
PATCHES = {
    "streamlit": ("keep_keras_state_between_reruns: script_runner._clean_problem_modules; "
                  "leave_legacy_pages_mode: PagesManager.uses_pages_directory; "
                  "reply_without_delay: asyncio.base_events._set_nodelay, for the socket Streamlit binds itself; "
                  "look_up_one_key: SessionState.filtered_state, _keys, _get_widget_id, _key_id_mapper"),
    "keras": "skip_replica_sum: Optimizer._all_reduce_sum_gradients",
    "tensorflow-cpu": "skip_replica_sum: tf.distribute.has_strategy and the gradient registry it avoids",
    "distributed": ("quiet_scheduler, quiet_worker: Scheduler._broker._topics, transition_log, the comms' "
                    "recent_message_log; WorkerState.log and stimulus_log, Worker.transfer_*_log"),
}


def installed(package: str) -> str | None:
    """The installed version of `package`, or None when it is not installed."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_versions() -> list[str]:
    """One sentence per package whose installed minor version is not the one its patches were written for."""
    notes = []
    for package, wanted in WRITTEN_FOR.items():
        have = installed(package)
        if have is not None and ".".join(have.split(".")[:2]) != wanted:
            notes.append(f"fcviz patches {package} ({PATCHES[package]}) as of {wanted}; {have} is installed: "
                         "check that they still apply (fcviz/patches.py).")
    return notes


def _missing(owner: object, attr: str, patch: str) -> bool:
    if hasattr(owner, attr):
        return False
    warnings.warn(f"fcviz patch {patch} skipped: {getattr(owner, '__name__', owner)}.{attr} no longer exists",
                  RuntimeWarning, stacklevel=3)
    return True


def skip_replica_sum(optimizer) -> None:
    """Keras sums gradients over replicas with `all_reduce`, whose custom gradient TensorFlow registers
    globally, for good, at every trace: each training run leaked its whole traced graph (~6 MB) that
    way. With no distribution strategy (one replica) the sum is the gradient itself."""
    import tensorflow as tf

    if not tf.distribute.has_strategy() and not _missing(optimizer, "_all_reduce_sum_gradients", "skip_replica_sum"):
        optimizer._all_reduce_sum_gradients = list


def reply_without_delay() -> None:
    """Every connection to the server sends what it has at once (TCP_NODELAY), as asyncio means it to.

    Streamlit binds its listening socket itself, as `socket.socket(family, SOCK_STREAM)`: protocol number 0, not
    IPPROTO_TCP. asyncio switches Nagle's algorithm off only for sockets whose protocol says TCP, so every connection
    kept it on: a reply's last small packet waited for the browser's delayed acknowledgement, 40 ms after every
    request but a connection's first (61 of the page's scripts took 410 ms instead of 52, and each rerun's messages
    could wait as long). Connections accepted after this call send at once; serve.py calls it before the server
    binds, `ui/runtime.py` on a server's first run."""
    import asyncio.base_events
    import socket

    if _missing(asyncio.base_events, "_set_nodelay", "reply_without_delay"):
        return

    def set_nodelay(sock: socket.socket) -> None:
        if sock.family in {socket.AF_INET, socket.AF_INET6} and sock.type == socket.SOCK_STREAM:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    asyncio.base_events._set_nodelay = set_nodelay


def keep_keras_state_between_reruns() -> None:
    """Streamlit calls `keras.backend.clear_session()` after every rerun: a full `gc.collect()` over
    TensorFlow's heap (~220 ms per slider move) that also swaps Keras' global state under a model
    training in another thread. fcviz frees its models itself, so the clean-up is switched off."""
    from streamlit.runtime.scriptrunner import script_runner

    if not _missing(script_runner, "_clean_problem_modules", "keep_keras_state_between_reruns"):
        script_runner._clean_problem_modules = lambda: None


def leave_legacy_pages_mode() -> bool:
    """With a `pages/` folder Streamlit starts in its legacy multipage mode until a script calls
    `st.navigation` (and AppTest re-enters it on every run). Switch it off; True if it was on."""
    from streamlit.runtime.pages_manager import PagesManager

    if _missing(PagesManager, "uses_pages_directory", "leave_legacy_pages_mode"):
        return False
    was = bool(PagesManager.uses_pages_directory)
    PagesManager.uses_pages_directory = False
    return was


def look_up_one_key() -> None:
    """A widget's `key in state and state[key] is None` no longer builds the whole session state first.

    Streamlit's select boxes, number boxes, sliders, radios and text boxes each read `SessionState.filtered_state`,
    a dict of every value in the session made afresh (each widget's value presented, a component's state merged with
    its events), to look up their own key in it. On the Draw page (a canvas's state, a run, the settings) that was a
    fifth of a stroke's rerun. `filtered_state` becomes a read-only view that finds one key the way the dict was
    built; iterating it (`st.session_state.to_dict()`) still builds the dict."""
    from collections.abc import Mapping

    from streamlit.runtime.state import session_state as ss

    if any(_missing(owner, attr, "look_up_one_key") for owner, attr in (
            (ss.SessionState, "filtered_state"), (ss.SessionState, "_keys"), (ss.SessionState, "_get_widget_id"),
            (ss, "is_element_id"), (ss, "is_keyed_element_id"), (ss, "_is_internal_key"))):
        return
    whole = ss.SessionState.filtered_state.fget

    class FilteredState(Mapping):
        """`filtered_state`'s dict, one key at a time."""

        def __init__(self, state) -> None:
            self._state = state

        def _entry(self, key: str) -> str | None:
            """The session key `key` was stored under in the dict (its widget's id, or itself), or None."""
            state = self._state
            if not isinstance(key, str) or ss._is_internal_key(key):
                return None
            widget_id = state._get_widget_id(key)
            present = state._keys()
            if widget_id != key and widget_id in present and ss.is_keyed_element_id(widget_id) \
                    and state._key_id_mapper.id_key_mapping.get(widget_id) == key:
                return widget_id
            return key if key in present and not ss.is_element_id(key) else None

        def __contains__(self, key: object) -> bool:
            return self._entry(key) is not None

        def __getitem__(self, key: str):
            entry = self._entry(key)
            if entry is None:
                raise KeyError(key)
            return self._state[entry]

        def __iter__(self):
            return iter(whole(self._state))

        def __len__(self) -> int:
            return len(whole(self._state))

    ss.SessionState.filtered_state = property(FilteredState, doc=FilteredState.__doc__)


def log_version_notes() -> None:
    """Log `check_versions()`'s sentences at start-up, where the server's owner reads them."""
    for note in check_versions():
        log.warning(note)

# --- distributed: Dask's debugging logs off in every process of a training cluster ---------------------
# Including a cluster started by hand.
# Dask keeps its last messages, transitions and events (1,000 of each by default) for debugging. Every job
# message carries a network's weights and optimizer state, so those logs held the last 1,000 jobs in the
# page server's client and in the scheduler (their send logs): +0.5 MB per training until 1,000 were kept;
# workers log their own, smaller messages. One setting sizes all the logs, but a process reads it when it
# starts and when it opens a connection: a `dask scheduler` or `dask worker` started without it is quietened
# from the page server, which sets it there and empties the logs already made.

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
    import dask
    from distributed.broker import Topic

    dask.config.set(QUIET)  # the streams it opens later (a new worker, a new page server) start empty
    try:
        dask_scheduler._broker._topics.default_factory = partial(Topic, maxlen=0)
        _empty_all(_scheduler_logs(dask_scheduler))
    except AttributeError as e:  # another version of distributed: it trains all the same
        log.warning("Dask's logs on this scheduler could not be emptied (%s): it may keep the last jobs", e)


def quiet_worker(worker) -> None:
    """Run on every worker as it joins (`fcviz.train.worker.TrainingWorker`): its logs keep nothing from now on."""
    import dask

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
