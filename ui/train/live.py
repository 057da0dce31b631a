"""The Train page's live part: the training's progress, its curves, the last epoch's numbers, the curves' reading
and each layer's gradients while it trains; then how to read the curves.

While a training runs, the tab follows it through the live feed (`ui.train.feed`): the browser draws the progress
line, the curves' new points, the numbers and the reading's warnings itself, and Streamlit runs this part again only
when the gradients, opened, follow the epochs, and the whole page once the training has ended.
Where the feed is not served (`streamlit run app.py`, AppTest), Streamlit runs this part once a second instead."""
from __future__ import annotations

import enum
from dataclasses import asdict, dataclass

import streamlit as st

from fcviz import i18n
from fcviz.data.loading import Dataset
from fcviz.i18n import _, number, percent
from fcviz.lessons.then_and_now import then_and_now
from fcviz.net.reader import params_of
from fcviz.plots.charts import training_figure
from fcviz.plots.live import frame
from fcviz.plots.plain import enlarged
from fcviz.plots.style import EXPLORE
from fcviz.settings import fields
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.diagnosis import Diagnosis, diagnose
from fcviz.train.history import EpochStats
from fcviz.train.state import TrainingState
from fcviz.train.training import Progress, Run
from ui import keys
from ui.chart import chart, chart_code
from ui.folds import folded
from ui.runs import current_run, current_trainer
from ui.session import get_settings, remade
from ui.train import feed
from ui.train.gradients import layer_gradients
from ui.train.live_chart import forget_live_chart, live_chart, live_feed

POLL_SECONDS = feed.FEED_SECONDS  # the live part's redraws by Streamlit where the feed is not served: twice a
# second, four classmates' tabs redrawing on the same two cores made another student's slider 2.4x slower; once a
# second 1.5-2.4x (bench_live, 2026-12-06); with the feed: the README's "What watching a training costs the others"


class StatusKind(enum.Enum):
    """How the training's state line looks: a note (queued, starting, stopped), a progress bar, an error."""

    INFO = "info"
    PROGRESS = "progress"
    ERROR = "error"


@dataclass(frozen=True)
class Status:
    """The training's state line, as Streamlit (`_show`) and the live feed's browser code draw it alike."""

    kind: StatusKind
    text: str
    fraction: float | None = None  # of the training, for PROGRESS


@dataclass(frozen=True)
class Number:
    """One of the last epoch's numbers under the curves (a metric), as Streamlit and the live feed draw it."""

    label: str
    value: str
    delta: str | None = None  # shown grey and without an arrow: a signed comparison, neither good nor bad


def live_training(busy: bool, spec: NetworkSpec, config: TrainConfig, dataset: Dataset) -> None:
    """The live part, polling while `busy` (through the feed when it is served); once the training ends, the whole
    page is drawn again. `spec`, `config` and `dataset`: the setting chosen, which the run shown may not be."""
    fed = feed.served()

    @st.fragment(run_every=POLL_SECONDS if busy and not fed else None)
    def live() -> None:
        run, trainer = current_run(), current_trainer()
        if run is None:
            st.info(_("Press **Train** to fit the network: its curves appear here as it learns."))
            chart_code()  # (the live curves draw themselves: the finished ones are the page's first chart)
            return
        p = trainer.progress() if trainer else None
        active = bool(p and p.active)
        epochs_done, batches = (p.epochs_done, p.batches) if p else (list(run.epochs), list(run.batches))
        fed_now = active and fed  # the browser draws the progress, the curves, the numbers and the warnings
        diagnosis = None if fed_now else reading(run, epochs_done, batches, active)  # (the feed reads the curves)
        if fed_now:
            follow = _gradients_open()
            token = feed.watch(trainer, i18n.current(), get_settings().classroom, follow,
                               st.session_state.get(keys.TRAIN_FEED))
            st.session_state[keys.TRAIN_FEED] = token
            live_feed(token, redraw_at(epochs_done, follow))
        else:
            # Fixed slots, whatever the state: a row that moved up when the progress bar went was left behind
            # for a moment, and the metrics showed twice.
            slot = st.empty()
            if not active and not run.trained_as(spec, config.train_size, dataset.name):
                slot.info(_("These are the results of your last run, {run}: press **Train** to train the setting "
                            "above.").format(run=run.label))  # (an experiment or a link chose another)
            elif p is not None and (shown := status(p)) is not None:
                _show(slot, shown)
            if active:  # only the new points go to the browser
                live_chart(run, epochs_done, batches, diagnosis)
            else:
                chart(figure(run, epochs_done, batches, diagnosis), key=keys.TRAIN_CHART, config=EXPLORE)
            # right under the curves, so that both fit the first screen; wraps rather than cutting numbers off
            with st.container(key=keys.TRAIN_NUMBERS, horizontal=True, wrap=True, gap="large"):
                for n in numbers(run, epochs_done):
                    st.metric(n.label, n.value, delta=n.delta, delta_color="off", delta_arrow="off", width="content")
        with st.container(key=keys.TRAIN_NOTES):
            for message in diagnosis.messages if diagnosis else ():
                st.warning(message)
            if epochs_done and not active:  # then and now: what the finished training cost
                st.caption(then_and_now(params_of(run.spec), len(epochs_done) * run.config.train_size,
                                        sum(e.seconds for e in epochs_done)))
        layer_gradients(run, batches)  # closed at first: opened, it follows the training too
        if st.session_state.get(keys.TRAIN_POLLING) and not active:
            st.session_state[keys.TRAIN_POLLING] = False
            st.rerun()  # training ended: redraw the whole page once, with results and without polling

    forget_live_chart()  # a whole page run: the browser may have lost the chart
    live()


def _gradients_open() -> bool:
    """Whether the gradients' expander is open (its chart then follows the training)."""
    return bool(st.session_state.get(keys.TRAIN_GRADIENTS))


def status(p: Progress) -> Status | None:
    """The training's state line: its place in the queue, its progress, or how it ended (None: nothing to say)."""
    if p.state == TrainingState.QUEUED:
        if p.message:
            return Status(StatusKind.INFO, _(p.message))
        if p.queue_position == 0:  # between the click and the queue, or the slot and the start: no number yet
            return Status(StatusKind.INFO, _("Starting the training…"))
        return Status(StatusKind.INFO, _("Waiting for a free training slot: number {n} in the queue (the server "
                                         "trains a few networks at a time).").format(n=p.queue_position))
    if p.state == TrainingState.RUNNING:
        speed = _(" · {speed} samples/s").format(speed=number(p.samples_per_second)) \
            if p.samples_per_second > 0 else ""  # (not "0 samples/s" before the first batches)
        left = "" if p.seconds_left is None else _(" · less than a second left") if p.seconds_left < 1 \
            else _(" · about {s:.0f} s left").format(s=p.seconds_left)
        # the epoch under way (the Epochs number beside it counts those done: "Epoch 30 of 30" beside "Epochs 29" read
        # as a contradiction)
        return Status(StatusKind.PROGRESS, _("Training epoch {n} of {total}").format(
            n=min(p.epoch + 1, p.epochs_planned), total=p.epochs_planned) + speed + left, p.fraction)
    if p.message:
        return Status(StatusKind.ERROR if p.state.went_wrong else StatusKind.INFO, _(p.message))
    return None


def _show(slot, shown: Status) -> None:
    """The state line in `slot`, drawn by Streamlit."""
    if shown.kind == StatusKind.PROGRESS:
        slot.progress(shown.fraction, text=shown.text)
    else:
        (slot.error if shown.kind == StatusKind.ERROR else slot.info)(shown.text)


def numbers(run: Run, epochs_done: list[EpochStats]) -> list[Number]:
    """The last epoch's accuracies and test loss (and the learning rate, when it decays); none before an epoch."""
    if not epochs_done:
        return []
    last = epochs_done[-1]
    shown = [Number(fields.field("epochs").caption, str(last.epoch)),
             Number(_("Train accuracy"), percent(last.accuracy)),
             Number(_("Test accuracy"), percent(last.test_accuracy),
                    _("{points:+.1f} pts vs train").format(points=(last.test_accuracy - last.accuracy) * 100)),
             Number(_("Test loss"), f"{last.test_loss:.3f}")]
    if last.learning_rate == last.learning_rate and run.lr_decay < 1:  # NaN in files from before decay
        shown.append(Number(_("Learning rate now"), f"{last.learning_rate:.2g}"))
    return shown


def feed_message(watched: feed.Feed, held: tuple[str, int, int]) -> dict:
    """The live feed's answer to a tab whose chart holds `held` (run, batch points, epochs): what `frame` sends (the
    new points, or the whole figure when the chart holds something else), the state line, the numbers, the reading's
    warnings, whether the training is still under way, and `redraw_at` (the tab's live part is run again when it
    changes)."""
    i18n.use(watched.language)  # (this request's own context: no session here)
    trainer = watched.trainer
    if trainer is None:  # (gone since `answer` looked: as if it had ended)
        return {"active": False, "gone": True}
    run, p = trainer.run, trainer.progress()
    key = reading_key(run, p.epochs_done, p.batches, p.active)
    if watched.reading is None or watched.reading[0] != key:
        watched.reading = key, diagnose(p.epochs_done, p.batches, run.setup())
    diagnosis: Diagnosis = watched.reading[1]
    shown = watched.shown
    if shown is None or (str(shown.run_id), shown.batches, shown.epochs) != held:  # (a query's run is its text)
        shown = None  # the tab's chart holds something else (a new element, a lost answer): the whole figure
    message, watched.shown = frame(run.id, p.epochs_done, p.batches, diagnosis, shown,
                                   make=(watched.language, watched.classroom),
                                   dress=enlarged if watched.classroom else None)
    state = status(p)
    return message | {"active": p.active, "status": None if state is None else asdict(state) | {"kind": state.kind.value},
                      "numbers": [asdict(n) for n in numbers(run, p.epochs_done)],
                      "warnings": list(diagnosis.messages), "redraw": redraw_at(p.epochs_done, watched.follow)}


def redraw_at(epochs_done: list[EpochStats], follow: bool) -> int | None:
    """When the live part must run again while the feed draws the rest: when the gradients `follow` the training,
    at each epoch's end (their chart is Streamlit's); otherwise never (None). The tab asks for a run when it changes.
    (The reading's sentences, which change at every epoch's end once a network overfits, are the feed's: a run of
    the live part an epoch cost the watching tab as much as the runs once a second did.)"""
    return len(epochs_done) if follow else None


def reading_key(run: Run, epochs_done: list[EpochStats], batches: list, training: bool) -> tuple:
    """What the curves' reading is made from: it is made again when a point arrived, or, while `training`, when an
    epoch ended (a reading of 60 epochs' points costs a few ms, and a training is followed once a second)."""
    return run.id, len(epochs_done), None if training else len(batches), run.setup(), i18n.current()


def reading(run: Run, epochs_done: list[EpochStats], batches: list, training: bool) -> Diagnosis:
    """The curves' reading for the page, kept in the session while `reading_key` stays the same."""
    return remade(keys.TRAIN_READING, reading_key(run, epochs_done, batches, training),
                  lambda: diagnose(epochs_done, batches, run.setup()))


def figure(run: Run, epochs_done: list[EpochStats], batches: list, diagnosis: Diagnosis):
    """The figure of the curves when no training runs, made again only when a point arrived, or the run or the
    language changed: a figure costs ~60 ms of the page server's CPU."""
    return remade(keys.TRAIN_CURVES, (run.id, len(epochs_done), len(batches), run.setup(), i18n.current()),
                  lambda: training_figure(epochs_done, batches, diagnosis))


def how_to_read() -> None:
    """What the curves' shapes mean, in an expander below them."""
    with folded(_("How to read these curves"), keys.HOW_TO_READ_OPEN):
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
