"""The session's trained (or training) run, its trainer, and the earlier runs kept for comparison."""
from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.history import EpochStats
from fcviz.train.training import Run, Trainer
from ui import keys
from ui.liveness import tab_still_open
from ui.session import get_settings
from ui.store import saver

MAX_PAST_RUNS = 8


class PastRun(NamedTuple):
    """An earlier run of the session as Compare runs overlays it: its label, curves and settings, without its model
    (to save memory); the settings tell a lesson's steps apart (`fcviz.lessons.heroes`)."""

    label: str
    epochs: list[EpochStats]
    network: NetworkSpec
    training: TrainConfig

    @classmethod
    def of(cls, run: Run) -> "PastRun":
        """What is kept of `run`."""
        return cls(run.label, list(run.epochs), run.spec, run.config)


def current_run() -> Run | None:
    """The session's run: the one every page shows, trained, training or loaded."""
    return st.session_state.get(keys.RUN)


def current_trainer() -> Trainer | None:
    """What trains (or trained) the session's run in the background, for its progress; None for a loaded run."""
    return st.session_state.get(keys.TRAINER)


def training_now() -> bool:
    """Whether the session's run is training (or waiting for a slot) now: pages then say their numbers move."""
    trainer = current_trainer()
    return trainer is not None and trainer.progress().active


def past_runs() -> list[PastRun]:
    """The session's earlier runs, newest first."""
    return st.session_state.setdefault(keys.PAST_RUNS, [])


def replace_run(run: Run | None, trainer: Trainer | None = None) -> None:
    """Make `run` current; the one it replaces is kept in the comparison list, its model freed."""
    old = current_run()
    if old is not None and old is not run and old.epochs:
        past = past_runs()
        past.insert(0, PastRun.of(old))
        del past[MAX_PAST_RUNS:]
    st.session_state[keys.RUN] = run
    st.session_state[keys.TRAINER] = trainer


def start_training(run: Run, dataset: Dataset, epochs: int) -> Trainer:
    """Train `run` in the background as the session's run; it stops by itself if the tab is closed, and is
    saved in the class store when it ends."""
    trainer = Trainer(run, dataset, epochs, still_wanted=tab_still_open(),
                      on_end=saver(get_settings().to_query())).start()
    replace_run(run, trainer)
    return trainer
