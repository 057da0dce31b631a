"""The session's trained (or training) run, its trainer, and the earlier runs kept for comparison."""
from __future__ import annotations

from typing import Callable, NamedTuple

import streamlit as st

from fcviz.cache import Bounded
from fcviz.data.loading import Dataset
from fcviz.settings.described import run_label
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.history import EpochStats
from fcviz.train.training import Run, Trainer
from ui import keys
from ui.liveness import tab_still_open
from ui.session import get_settings
from ui.store import device, saver

MAX_PAST_RUNS = 8
MAX_TRAININGS_KEPT = 1000  # browsers whose training a reload can take back (an ended one while a tab shows it)


class PastRun(NamedTuple):
    """An earlier run of the session as Compare runs overlays it: its number, curves and settings, without its model
    (to save memory); the settings tell a lesson's steps apart (`fcviz.lessons.heroes`) and name it."""

    number: int
    epochs: list[EpochStats]
    network: NetworkSpec
    training: TrainConfig
    learning_rate: float  # as it ended (a run's rate may change between its trainings)
    lr_decay: float
    tuned_on: int

    @classmethod
    def of(cls, run: Run) -> "PastRun":
        """What is kept of `run`."""
        return cls(run.shown_number, list(run.epochs), run.spec, run.config, run.learning_rate, run.lr_decay,
                   run.tuned_on)

    @property
    def label(self) -> str:
        """Its line in the reader's language now (`Run.label`'s)."""
        return run_label(self.number, self.network, self.training, self.learning_rate, self.lr_decay, self.tuned_on)


def current_run() -> Run | None:
    """The session's run: the one every page shows, trained, training or loaded."""
    return st.session_state.get(keys.RUN)


def current_trainer() -> Trainer | None:
    """What trains (or trained) the session's run in the background, for its progress; None for a loaded run."""
    return st.session_state.get(keys.TRAINER)


def training_now() -> bool:
    """Whether the session's run is training (or waiting for a slot) now: pages then say their numbers move."""
    trainer = current_trainer()
    return trainer is not None and trainer.active


def past_runs() -> list[PastRun]:
    """The session's earlier runs, newest first."""
    return st.session_state.setdefault(keys.PAST_RUNS, [])


def numbered(run: Run) -> Run:
    """`run` with its number in this session (the first run a student trains is #1, whatever the server counted),
    once: a run taken back after a reload, or a saved run reopened, keeps the number it had, and the session's next
    run follows it."""
    count = st.session_state.get(keys.RUNS_NUMBERED, 0)
    if run.number is None:
        run.number = count + 1
    st.session_state[keys.RUNS_NUMBERED] = max(count, run.number)
    return run


def replace_run(run: Run | None, trainer: Trainer | None = None) -> None:
    """Make `run` current (numbered in this session); the one it replaces is kept in the comparison list, its model
    freed."""
    old = current_run()
    if run is not None:
        numbered(run)
    if old is not None and old is not run and old.epochs:
        past = past_runs()
        past.insert(0, PastRun.of(old))
        del past[MAX_PAST_RUNS:]
    st.session_state[keys.RUN] = run
    st.session_state[keys.TRAINER] = trainer


class _Watched(NamedTuple):
    """A browser's training and the checks of the tabs that show it (the one that started it, and those of the
    sessions that took it back after a reload): it goes on while one of them is open."""

    trainer: Trainer
    tabs: list[Callable[[], bool]]


# Each browser's (device's) newest training while it runs, and after it has ended while a tab shows it (it is saved as
# it ends; `_forget_unwatched` drops it later): a reload is a new session, which takes a running one back (`take_back`)
# and opens an ended one as this same run (`kept_run`), its snapshots with it (time travel), where the saved copy has none
_trainings: Bounded[str, _Watched] = Bounded(MAX_TRAININGS_KEPT)


def _shown(watched: _Watched) -> bool:
    """Whether a training still runs, or a tab (or a reload's, within `ui.liveness.GRACE_SECONDS`) shows its run."""
    return watched.trainer.active or any(tab() for tab in list(watched.tabs))


def _forget_unwatched() -> None:
    """Drop the ended trainings no tab shows: their runs' models and snapshots are not kept for a reload that will not
    come (a tab's session holds its run anyway while it is open)."""
    for browser in _trainings:
        watched = _trainings.get(browser)
        if watched is not None and not _shown(watched):
            _trainings.drop(browser)


def start_training(run: Run, dataset: Dataset, epochs: int) -> Trainer:
    """Train `run` in the background as the session's run; it stops by itself once no tab shows it (a reload's new
    tab takes it back first), and is saved in the class store when it ends."""
    browser, save, tabs = device(), saver(get_settings().to_query()), [tab_still_open()]
    numbered(run)  # before it can end and be saved under its label
    _forget_unwatched()

    trainer = Trainer(run, dataset, epochs, still_wanted=lambda: any(tab() for tab in list(tabs)), on_end=save)
    _trainings.put(browser, _Watched(trainer, tabs))
    trainer.start()
    replace_run(run, trainer)
    return trainer


def take_back() -> Trainer | None:
    """In a session with no run yet (a reload, a new tab of the same browser): the training this browser's last
    tab started, if it still runs, becomes this session's run too, and this tab keeps it going."""
    if current_run() is not None:
        return None
    watched = _trainings.get(device())
    if watched is None or not watched.trainer.active:
        return None
    watched.tabs.append(tab_still_open())
    replace_run(watched.trainer.run, watched.trainer)
    return watched.trainer


def kept_run(token: str) -> Run | None:
    """The run saved under `token` as this browser's last training left it, while a tab shows it or a moment after
    (a reload): the same object, snapshots and all, where the saved copy has no snapshots (time travel)."""
    _forget_unwatched()
    watched = _trainings.get(device())
    return watched.trainer.run if watched is not None and watched.trainer.run.token == token else None
