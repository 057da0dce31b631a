"""The Draw page's "Fine-tune on my handwriting" (`fcviz.lessons.finetune`): a copy of the session's network trained a
few epochs more on MNIST plus my digits on the training engine, then before → after on the drawings it never
saw. The session's network stays as it was until the student chooses the fine-tuned one."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from fcviz.data.loading import Dataset, load_or_fallback
from fcviz.data.mnist import DIGITS
from fcviz.i18n import _, number, percent
from fcviz.lessons import finetune
from fcviz.lessons.finetune import BeforeAfter
from fcviz.net.forward import DenseWeights
from fcviz.net.reader import dense_weights
from fcviz.train.state import TrainingState
from fcviz.train.training import Run, Trainer
from ui import keys
from ui.chart import gallery
from ui.clicks import pressed
from ui.folds import folded
from ui.handwriting import Handwriting, my_digits
from ui.lang import relabel
from ui.liveness import tab_still_open
from ui.runs import current_run, replace_run, training_now
from ui.session import announce, get_settings
from ui.store import saver

POLL_SECONDS = 0.5  # the progress bar's redraws while it trains


@dataclass
class Tuning:
    """A fine-tune this session started: the copy being trained, and what it is judged on."""

    base_id: int  # the run it copied
    before: list[DenseWeights]  # that run's weights when it started
    before_accuracy: float | None  # its MNIST test accuracy then
    run: Run
    trainer: Trainer
    images: np.ndarray  # my digits when it started
    labels: np.ndarray


def _start(run: Run, base: Dataset, images: np.ndarray, labels: np.ndarray) -> None:
    data = finetune.tuning_set(base, run.config, images, labels)
    learned = int((~finetune.held_out(labels)).sum())
    copy = finetune.tuned_copy(run, learned)
    trainer = Trainer(copy, data, finetune.EPOCHS, still_wanted=tab_still_open(),
                      config=finetune.training_config(copy, data)).start()
    st.session_state[keys.TUNING] = Tuning(run.id, dense_weights(run.model),
                                           run.evaluation.accuracy if run.evaluation else None,
                                           copy, trainer, images, labels)


def _drawings(mine: tuple[np.ndarray, np.ndarray], found: Handwriting | None) -> tuple[np.ndarray, np.ndarray, bool]:
    """(images, labels, mine) of the drawings to fine-tune on: my digits, or, in a class with handwriting
    (`found`), the class's set if the student picks it."""
    if found is None or not len(found[1]):
        return *mine, True
    sets = {"mine": _("my digits ({n})").format(n=len(mine[1])),
            "class": _("our class's handwriting ({n})").format(n=len(found[1]))}
    st.session_state.setdefault(keys.TUNE_SET, "mine")
    relabel(keys.TUNE_SET)
    picked = st.segmented_control(_("Fine-tune on"), list(sets), format_func=sets.get, key=keys.TUNE_SET)
    return (*found[:2], False) if picked == "class" else (*mine, True)


def finetune_box(run: Run, found: Handwriting | None) -> None:
    """Below my digits on the Draw page: the split, the button, the fine-tune's progress and its result.
    `found`: the class's handwriting set (`ui.handwriting.our_handwriting()`), or None."""
    tuning: Tuning | None = st.session_state.get(keys.TUNING)
    digits = my_digits()
    if not len(digits[1]) and (found is None or not len(found[1])) and tuning is None:
        return
    with folded(_("Fine-tune on my handwriting"), keys.FINETUNE_OPEN, icon=":material/tune:",
                expanded=tuning is not None):
        images, labels, mine = _drawings(digits, found)
        held = finetune.held_out(labels)
        learn = int((~held).sum())
        st.caption(_("A few more epochs on MNIST digits plus your own drawings, then the drawings it never trained on "
                     "tell whether it learned your handwriting. Of each digit's drawings the 2nd, 5th, 8th… are held "
                     "out: now {learn} to learn from, {held} held out.").format(learn=learn, held=int(held.sum())))
        if run.classes != DIGITS:
            st.info(_("This network was trained on clothes: fine-tune a network trained on MNIST digits."))
        elif not finetune.can_tune(labels):
            st.info(_("Add some digit a second time: its second drawing is held out to judge the fine-tune."))
        else:
            busy = (tuning is not None and tuning.trainer.progress().active) or training_now()
            base, _fallback = load_or_fallback(finetune.base_source(run))
            n = number(len(finetune.mnist_digits(run.config, len(base.y_train))))
            label = (_("Fine-tune: {epochs} epochs on {n} MNIST digits + my {k} drawings") if mine else
                     _("Fine-tune: {epochs} epochs on {n} MNIST digits + {k} of our class's drawings"))
            if pressed(label.format(epochs=finetune.EPOCHS, n=n, k=learn), key=keys.TUNE_GO,
                       icon=":material/model_training:", disabled=busy):
                _start(run, base, images, labels)
                st.rerun()
        if tuning is not None:
            _tuning_view(tuning)


def _tuning_view(tuning: Tuning) -> None:
    """The fine-tune's progress (redrawn every `POLL_SECONDS` while it trains), then its before → after."""

    @st.fragment(run_every=POLL_SECONDS if tuning.trainer.progress().active else None)
    def live() -> None:
        p = tuning.trainer.progress()
        if p.active:
            st.session_state[keys.TUNE_POLLING] = True
            if p.state == TrainingState.QUEUED:
                st.info(_("Waiting for a free training slot: number {n} in the queue (the server trains a few "
                          "networks at a time).").format(n=p.queue_position))
            else:
                st.progress(p.fraction, text=_("Fine-tuning: epoch {n} of {total}").format(
                    n=min(p.epoch + 1, p.epochs_planned), total=p.epochs_planned))
            return
        if st.session_state.pop(keys.TUNE_POLLING, False):
            st.rerun()  # it ended: the whole page once more, with the result, its buttons and no polling
        if p.state.went_wrong or not tuning.run.epochs:
            st.error(_(p.message) if p.message else _("The fine-tune did not train."))
            return
        if p.message:
            st.info(_(p.message))
        _result_view(tuning, finetune.before_after(tuning.before, dense_weights(tuning.run.model), tuning.images,
                                                    tuning.labels))

    live()


def _result_view(tuning: Tuning, r: BeforeAfter) -> None:
    after = tuning.run.evaluation.accuracy if tuning.run.evaluation else None
    with st.container(key=keys.TUNE_RESULT, horizontal=True, wrap=True, gap="large"):
        gained = r.held_after - r.held_before
        st.metric(_("Held-out drawings read right"), f"{r.held_before} → {r.held_after} / {r.held}", width="content",
                  delta=_("{n:+d} drawings").format(n=gained) if gained else None)
        st.metric(_("Drawings it learned from"), f"{r.learned_before} → {r.learned_after} / {r.learned}",
                  width="content")
        if tuning.before_accuracy is not None and after is not None:
            points = (after - tuning.before_accuracy) * 100
            st.metric(_("MNIST test accuracy"), f"{percent(tuning.before_accuracy)} → {percent(after)}",
                      width="content", delta=_("{points:+.1f} pts").format(points=points))
    held = finetune.held_out(tuning.labels)
    if (current := current_run()) is None or current.id != tuning.base_id:
        st.caption(_("Fine-tuned from your earlier network (#{n}), not from the one you have now.").format(
            n=tuning.base_id))
    gallery(tuning.images[held], [f"{t}: {b}→{a}" for t, b, a in zip(tuning.labels[held], r.read_before, r.read_after)],
            key=keys.TUNE_HELD_OUT)
    st.caption(_("Held-out drawings, each as “label: read before → read after”. Only these judge the fine-tune: "
                 "the drawings it learned from it may simply have memorised."))
    row = st.container(horizontal=True)
    if pressed(_("Use the fine-tuned network"), type="primary", key=keys.TUNE_USE, icon=":material/check:", place=row):
        replace_run(tuning.run)
        if (save := saver(get_settings().to_query())) is not None:
            save(tuning.run, TrainingState.FINISHED)  # like any run that ends: its own link, kept after a restart
        st.session_state.pop(keys.TUNING, None)
        announce(_("The fine-tuned network is now yours: every page uses it."))
        st.rerun()
    if pressed(_("Discard it"), key=keys.TUNE_DROP, icon=":material/close:", place=row):
        st.session_state.pop(keys.TUNING, None)
        st.rerun()
