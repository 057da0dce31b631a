"""The Train page's buttons (Train, Stop, Continue, Reset) and what a click, or the next step of a lecture
series, does to the session's run."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.i18n import _, reason
from fcviz.settings.spec import NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.train.training import Run, Trainer
from ui import keys
from ui.clicks import pressed
from ui.navigation import BUILD
from ui.runs import current_run, current_trainer, replace_run, start_training
from ui.train.series import next_in_series, series_left, series_note


@dataclass
class Clicks:
    """Which of the four buttons this script run follows (at most one; Train also for a series' next step)."""

    train: bool
    stop: bool
    go_on: bool
    reset: bool


def training_buttons(spec: NetworkSpec, config: TrainConfig, dataset: Dataset) -> bool:
    """The buttons, and what they (or a lecture series) start or stop; whether a training is running now.

    May not return: a series' next step first switches the settings (`ui.train.series`), and a click that
    started or ended a training redraws the page, whose buttons were drawn for the state before."""
    busy = _active(current_trainer())
    clicks = _buttons(busy, current_run() is not None)
    if clicks.stop or clicks.reset:
        series_left().clear()
    elif next_in_series(busy):
        clicks.train = True
    series_note()
    trainer = _follow(clicks, spec, config, dataset)
    was_busy, busy = busy, _active(trainer)
    if busy != was_busy or clicks.reset:
        st.rerun()  # the buttons above were drawn for the old state: draw them again
    st.session_state[keys.TRAIN_POLLING] = busy
    return busy


def _active(trainer: Trainer | None) -> bool:
    return trainer is not None and trainer.progress().active


def _buttons(busy: bool, have_run: bool) -> Clicks:
    """The four buttons in a row, and at its end the way to the Build page (a line less above the curves)."""
    # buttons as wide as their labels: the classroom view's bigger text fits
    with st.container(horizontal=True, vertical_alignment="center"):
        clicks = Clicks(
            train=pressed(_("Train"), key=keys.TRAIN_GO, type="primary", disabled=busy, icon=":material/play_arrow:"),
            stop=pressed(_("Stop"), key=keys.TRAIN_STOP, disabled=not busy, icon=":material/stop:"),
            go_on=pressed(_("Continue"), key=keys.TRAIN_CONTINUE, disabled=busy or not have_run,
                          icon=":material/fast_forward:",
                          help=_("Train the same weights for the chosen number of epochs more")),
            reset=pressed(_("Reset"), key=keys.TRAIN_RESET, disabled=not have_run, icon=":material/restart_alt:"))
        st.page_link(BUILD.script, label=_("Change the layers on the Build page"), icon=BUILD.icon)
    return clicks


def _follow(clicks: Clicks, spec: NetworkSpec, config: TrainConfig, dataset: Dataset) -> Trainer | None:
    """Do what was clicked; the session's trainer afterwards (None after Reset)."""
    run, trainer = current_run(), current_trainer()
    try:
        if clicks.train:
            trainer = start_training(Run(spec, config, dataset), dataset, config.epochs)
        elif clicks.stop and trainer is not None:
            _stop(trainer)
        elif clicks.go_on and run is not None:
            trainer = _continue(run, spec, config, dataset) or trainer
        elif clicks.reset:
            if trainer is not None:
                _stop(trainer)
            replace_run(None)
            trainer = None
    except SpecError as e:
        st.error(_("Can't train this network: {reason}.").format(reason=reason(e)))
    return trainer


def _stop(trainer: Trainer) -> None:
    trainer.stop()
    trainer.join(5)


def _continue(run: Run, spec: NetworkSpec, config: TrainConfig, dataset: Dataset) -> Trainer | None:
    """Train `run`'s own weights for more epochs, at the rate now chosen; None when the network or data changed."""
    if not run.trained_as(spec, config.train_size, dataset.name):
        st.warning(_("The network or the data changed since this model was trained: press **Train** to start "
                     "a new one (Continue keeps the weights, so it needs the same layers and data)."))
        return None
    if (config.learning_rate, config.lr_decay) != (run.learning_rate, run.lr_decay):
        run.set_learning_rate(config.learning_rate, config.lr_decay)
    return start_training(run, dataset, config.epochs)

