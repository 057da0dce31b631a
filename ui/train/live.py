"""The Train page's live part: the training's progress, its curves, the last epoch's numbers, the curves' reading
and each layer's gradients, redrawn once a second while it trains; then how to read the curves."""
from __future__ import annotations

import streamlit as st

from fcviz import i18n
from fcviz.data.loading import Dataset
from fcviz.i18n import _, number, percent
from fcviz.lessons.then_and_now import then_and_now
from fcviz.net.reader import params_of
from fcviz.plots.charts import training_figure
from fcviz.plots.style import EXPLORE
from fcviz.settings import fields
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.diagnosis import Diagnosis, diagnose
from fcviz.train.history import EpochStats
from fcviz.train.state import TrainingState
from fcviz.train.training import Progress, Run
from ui import keys
from ui.chart import chart
from ui.runs import current_run, current_trainer
from ui.session import remade
from ui.train.gradients import layer_gradients
from ui.train.live_chart import forget_live_chart, live_chart

POLL_SECONDS = 1.0  # the live part's redraws while a training runs (or waits in the queue): twice a second, four
# classmates' tabs redrawing on the same two cores made another student's slider 2.4x slower; once a second 1.5-1.8x
# (bench_live, 2026-12-06)


def live_training(busy: bool, spec: NetworkSpec, config: TrainConfig, dataset: Dataset) -> None:
    """The live part, polling while `busy`; once the training ends, the whole page is drawn again. `spec`, `config`
    and `dataset`: the setting chosen, which the run shown may not be."""

    @st.fragment(run_every=POLL_SECONDS if busy else None)
    def live() -> None:
        run, trainer = current_run(), current_trainer()
        if run is None:
            st.info(_("Press **Train** to fit the network: its curves appear here as it learns."))
            return
        p = trainer.progress() if trainer else None
        epochs_done, batches = (p.epochs_done, p.batches) if p else (list(run.epochs), list(run.batches))
        # Fixed slots, whatever the state: a row that moved up when the progress bar went was left behind
        # for a moment, and the metrics showed twice.
        slot = st.empty()
        if not (p and p.active) and not run.trained_as(spec, config.train_size, dataset.name):
            slot.info(_("These are the results of your last run, {run}: press **Train** to train the setting "
                        "above.").format(run=run.label))  # (an experiment or a link chose another)
        else:
            _status(slot, p)
        diagnosis = reading(run, epochs_done, batches, bool(p and p.active))
        if p and p.active:  # only the new points go to the browser
            live_chart(run, epochs_done, batches, diagnosis)
        else:
            chart(figure(run, epochs_done, batches, diagnosis), key=keys.TRAIN_CHART, config=EXPLORE)
        # right under the curves, so that both fit the first screen; wraps rather than cutting numbers off
        with st.container(key=keys.TRAIN_NUMBERS, horizontal=True, wrap=True, gap="large"):
            if epochs_done:
                _numbers(run, epochs_done[-1])
        with st.container(key=keys.TRAIN_NOTES):
            for message in diagnosis.messages:
                st.warning(message)
            if epochs_done and not (p and p.active):  # then and now: what the finished training cost
                st.caption(then_and_now(params_of(run.spec), len(epochs_done) * run.config.train_size,
                                        sum(e.seconds for e in epochs_done)))
        layer_gradients(run, batches)  # closed at first: opened, it follows the training too
        if st.session_state.get(keys.TRAIN_POLLING) and not (p and p.active):
            st.session_state[keys.TRAIN_POLLING] = False
            st.rerun()  # training ended: redraw the whole page once, with results and without polling

    forget_live_chart()  # a whole page run: the browser may have lost the chart
    live()


def _status(slot, p: Progress | None) -> None:
    """The training's state in `slot`: its place in the queue, its progress, or how it ended."""
    if p is None:
        return
    if p.state == TrainingState.QUEUED:
        if p.message:
            slot.info(_(p.message))
        elif p.queue_position == 0:  # between the click and the queue, or the slot and the start: no number yet
            slot.info(_("Starting the training…"))
        else:
            slot.info(_("Waiting for a free training slot: number {n} in the queue (the server trains a few networks "
                        "at a time).").format(n=p.queue_position))
    elif p.state == TrainingState.RUNNING:
        speed = _(" · {speed} samples/s").format(speed=number(p.samples_per_second)) \
            if p.samples_per_second > 0 else ""  # (not "0 samples/s" before the first batches)
        left = _(" · about {s:.0f} s left").format(s=p.seconds_left) if p.seconds_left is not None else ""
        slot.progress(p.fraction, text=_("Epoch {n} of {total}").format(
            n=min(p.epoch + 1, p.epochs_planned), total=p.epochs_planned) + speed + left)
    elif p.message:
        (slot.error if p.state.went_wrong else slot.info)(_(p.message))


def _numbers(run: Run, last: EpochStats) -> None:
    """The last epoch's accuracies and test loss (and the learning rate, when it decays)."""
    st.metric(fields.field("epochs").caption, last.epoch, width="content")
    st.metric(_("Train accuracy"), percent(last.accuracy), width="content")
    st.metric(_("Test accuracy"), percent(last.test_accuracy), width="content", delta_color="off",
              delta=_("{points:+.1f} pts vs train").format(points=(last.test_accuracy - last.accuracy) * 100))
    st.metric(_("Test loss"), f"{last.test_loss:.3f}", width="content")
    if last.learning_rate == last.learning_rate and run.lr_decay < 1:  # NaN in files from before decay
        st.metric(_("Learning rate now"), f"{last.learning_rate:.2g}", width="content")


def reading(run: Run, epochs_done: list[EpochStats], batches: list, training: bool) -> Diagnosis:
    """The curves' reading, made again when a point arrived, or, while `training`, when an epoch ended: every
    training student's page polls once a second, and a reading of 60 epochs' points costs a few ms."""
    return remade(keys.TRAIN_READING,
                  (run.id, len(epochs_done), None if training else len(batches), run.setup(), i18n.current()),
                  lambda: diagnose(epochs_done, batches, run.setup()))


def figure(run: Run, epochs_done: list[EpochStats], batches: list, diagnosis: Diagnosis):
    """The figure of the curves when no training runs, made again only when a point arrived, or the run or the
    language changed: a figure costs ~60 ms of the page server's CPU."""
    return remade(keys.TRAIN_CURVES, (run.id, len(epochs_done), len(batches), run.setup(), i18n.current()),
                  lambda: training_figure(epochs_done, batches, diagnosis))


def how_to_read() -> None:
    """What the curves' shapes mean, in an expander below them."""
    with st.expander(_("How to read these curves")):
        st.markdown(_(
            "- **Train** (blue, solid) is measured on the digits the network learns from; **test** (orange, dashed) "
            "on digits it never sees. The shaded band is the gap between them.\n"
            "- **Curves that jump** (a first epoch that costs more than guessing at random, spikes far above the "
            "curve, a test loss going up and down) → the learning rate is too high. Make it smaller, or let it "
            "decrease by itself (**learning-rate decay**). A thin curve that is merely fuzzy comes from small "
            "batches: that is fine.\n"
            "- **Loss stuck near ln 10 = 2.30** → the network guesses at random: a rate far too high, or, in a deep "
            "sigmoid network, vanishing gradients.\n"
            "- When the first losses are far above the rest, the loss axis turns **logarithmic** so the later curve "
            "stays visible.\n"
            "- **Training loss falls while the test loss rises** → overfitting: the network memorises the training "
            "digits instead of learning what digits look like. Remedies: **dropout**, fewer units, L2, more data.\n"
            "- **Why the test loss can sit *below* the training loss:** dropout switches units off only while "
            "training (at test time the whole network works), and the training loss is an average over the whole "
            "epoch, mostly measured while the network was still worse than at the epoch's end."
        ))
