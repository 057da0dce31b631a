"""The Train page's results on the test set, once a training has ended: the confusion matrix, the accuracy per
class, the misclassified images, the downloads, the handwriting and moved-digits lines, and where the run is saved."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.data.mnist import DIGITS
from fcviz.data.sources import SAMPLE
from fcviz.files.persist import history_csv, run_to_bytes
from fcviz.i18n import _, number, percent
from fcviz.net.reader import dense_weights
from fcviz.plots.charts import class_names, confusion_figure, digit_grid
from fcviz.plots.style import STATIC
from fcviz.settings.spec import NetworkSpec
from fcviz.train.training import Evaluation, Run
from ui import keys
from ui.handwriting import handwriting_line, our_handwriting
from ui.saved import saved_note
from ui.train.export import run_as_code
from ui.train.moved import moved_digits
from ui.train.words import DataWords, words_for

WRONG_SHOWN = 24  # misclassified test images drawn (all are counted)


def test_results(run: Run | None, spec: NetworkSpec, dataset: Dataset) -> None:
    """Everything the page says about `run` on the test set, when it has been evaluated."""
    if run is None or run.evaluation is None:
        return
    ev, words, same_data = run.evaluation, words_for(run.classes), run.dataset_name == dataset.name
    st.subheader(_("On the test set"))
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Confusion matrix**: rows are the true {kind}, columns the prediction").format(
            kind=_(words.kind)))
        st.plotly_chart(confusion_figure(ev.confusion, run.classes), key=keys.TRAIN_CONFUSION, config=STATIC)
    with right:
        _per_class(run, ev, words)
    if same_data:
        _misclassified(run, ev, dataset, words)
    _downloads(run, spec, dataset.source if same_data else SAMPLE)
    handwriting_line(dense_weights(run.model), ev.accuracy, our_handwriting())
    if same_data:
        moved_digits(run, dataset)
    saved_note(run)


def _per_class(run: Run, ev: Evaluation, words: DataWords) -> None:
    """The accuracy of each class as bars, and the hardest one."""
    st.markdown(_("**Accuracy per {kind}**").format(kind=_(words.kind)))
    per_class, names = ev.per_class_accuracy, class_names(run.classes)
    st.bar_chart(pd.DataFrame({_("accuracy"): per_class}, index=names), sort=False,
                 y_label=_("accuracy"), x_label=_(words.kind), height=380)
    worst = int(np.argmin(per_class))
    st.caption(_("Hardest {kind}: **{name}** ({share} right).").format(
        kind=_(words.kind), name=names[worst], share=percent(per_class[worst], 0)))


def _misclassified(run: Run, ev: Evaluation, dataset: Dataset, words: DataWords) -> None:
    """The first misclassified test images, each titled *predicted (true)*; the clothes' names below them."""
    wrong = ev.predictions != dataset.y_test
    shown = np.flatnonzero(wrong)[:WRONG_SHOWN]
    if not len(shown):
        return
    st.markdown(_("**Misclassified test {items}** ({n} of {total}): *predicted (true)*").format(
        items=_(words.tested), n=number(int(wrong.sum())), total=number(len(dataset.y_test))))
    titles = [f"{ev.predictions[i]} ({dataset.y_test[i]})" for i in shown]
    st.plotly_chart(digit_grid(dataset.x_test[shown], titles, cols=12), key=keys.TRAIN_WRONG, config=STATIC)
    if run.classes != DIGITS:  # the clothes' names, which the titles give as numbers
        st.caption(" · ".join(f"{i} {name}" for i, name in enumerate(class_names(run.classes))))


def _downloads(run: Run, spec: NetworkSpec, data_source: str) -> None:
    """The model, its history and its code, in one row.

    Downloads change nothing on the page, so they rerun nothing (on_click="ignore"): a rerun registers the
    deferred files anew, and a second button clicked while it ran downloaded nothing."""
    downloads = st.container(horizontal=True)
    downloads.download_button(_("Download model (.keras)"),
                              data=lambda: run_to_bytes(run.model, run.config, run.epochs),
                              file_name=f"fcviz-{spec.name}.keras", mime="application/octet-stream",
                              icon=":material/download:", on_click="ignore")
    downloads.download_button(_("Download history (.csv)"), data=history_csv(run.epochs),
                              file_name="fcviz-history.csv", mime="text/csv", icon=":material/download:",
                              on_click="ignore")
    run_as_code(run, downloads, data_source)
