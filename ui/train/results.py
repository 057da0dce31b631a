"""The Train page's "Test set" tab, once a training has ended: the confusion matrix, the accuracy per class, the
misclassified images and the handwriting line."""
from __future__ import annotations

import numpy as np
import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.data.mnist import DIGITS
from fcviz.i18n import _, number, percent
from fcviz.net.reader import dense_weights
from fcviz.plots.charts import class_names, confusion_figure, hardest, per_class_figure
from fcviz.plots.style import STATIC
from fcviz.train.training import Evaluation, Run
from ui import keys
from ui.chart import chart, gallery
from ui.handwriting import handwriting_line, our_handwriting
from ui.train.words import DataWords, words_for

WRONG_SHOWN = 24  # misclassified test images drawn (all are counted)


def test_results(run: Run, dataset: Dataset) -> None:
    """What the page says about `run` (evaluated) on the test set: the matrix beside the accuracy per class, the
    mistakes (when the page shows the run's data) and how it reads handwriting."""
    ev, words, same_data = run.evaluation, words_for(run.classes), run.dataset_name == dataset.name
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Confusion matrix**: rows are the true {kind}, columns the prediction").format(
            kind=_(words.kind)))
        chart(confusion_figure(ev.confusion, run.classes), key=keys.TRAIN_CONFUSION, config=STATIC)
    with right:
        _per_class(run, ev, words)
    if same_data:
        _misclassified(run, ev, dataset, words)
    handwriting_line(dense_weights(run.model), ev.accuracy, our_handwriting())


def _per_class(run: Run, ev: Evaluation, words: DataWords) -> None:
    """The accuracy of each class as bars, and the hardest one."""
    st.markdown(_("**Accuracy per {kind}**").format(kind=_(words.kind)))
    per_class, names = ev.per_class_accuracy, class_names(run.classes)
    chart(per_class_figure(per_class, run.classes), key=keys.TRAIN_PER_CLASS, config=STATIC)
    st.caption(hardest_line(per_class, names, words))


def hardest_line(per_class: np.ndarray, names: list[str], words: DataWords) -> str:
    """The class read right least often, in one line; all of them when they tie at the percentage shown (two at 87 %
    must not have one named the hardest)."""
    tied, worst = [names[i] for i in hardest(per_class)], percent(float(np.min(per_class)), 0)
    if len(tied) == 1:
        return _("Hardest {kind}: **{name}** ({share} right).").format(kind=_(words.kind), name=tied[0], share=worst)
    return _("Hardest, tied at {share} right: {names}.").format(
        share=worst, names=_(", ").join(f"**{name}**" for name in tied))


def _misclassified(run: Run, ev: Evaluation, dataset: Dataset, words: DataWords) -> None:
    """The first misclassified test images, each titled *predicted (true)*; the clothes' names below them."""
    wrong = ev.predictions != dataset.y_test
    shown = np.flatnonzero(wrong)[:WRONG_SHOWN]
    if not len(shown):
        return
    n = int(wrong.sum())
    line = _("**Misclassified test {items}** ({n} of {total}): *predicted (true)*") if n == len(shown) else \
        _("**Misclassified test {items}** ({n} of {total}, the first {shown} here): *predicted (true)*")
    st.markdown(line.format(items=_(words.tested), n=number(n), total=number(len(dataset.y_test)),
                            shown=number(len(shown))))
    titles = [f"{ev.predictions[i]} ({dataset.y_test[i]})" for i in shown]
    gallery(dataset.x_test[shown], titles, key=keys.TRAIN_WRONG)
    if run.classes != DIGITS:  # the clothes' names, which the titles give as numbers
        st.caption(" · ".join(f"{i} {name}" for i, name in enumerate(class_names(run.classes))))
