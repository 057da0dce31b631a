"""The Train page's "Time travel" tab: the run at any kept epoch (its first layer's patterns, its confusion matrix),
and the network from the best epoch (early stopping)."""
from __future__ import annotations

import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.data.mnist import N_PIXELS
from fcviz.i18n import _, percent
from fcviz.net.snapshots import Snapshot
from fcviz.plots.charts import confusion_figure, kernel_images
from fcviz.plots.style import STATIC
from fcviz.train.training import Evaluation, Run
from ui import keys
from ui.chart import chart
from ui.clicks import pressed
from ui.timetravel import best_snapshot, evaluation_at, layers_of, travel
from ui.train.words import TEST_SET


def time_travel(run: Run, dataset: Dataset) -> None:
    """The "Time travel" tab: the slider, the first layer's patterns and the confusion matrix at the point chosen
    (at the end it is the test set's, shown in its own tab, so here only its accuracy), and early stopping."""
    if len(run.snapshots) < 2:
        st.caption(_("This run keeps no weights along the way: it was opened from a file or a saved link, or the "
                     "page was reloaded (the weights along the way stay with the open page; the final weights are "
                     "saved). Continue it to travel back through the new epochs."))
        return
    st.caption(_("The weights were kept along the way. Slide back to see the network at any epoch: its first "
                 "layer's patterns and its confusion matrix here, its reading of your drawing on the Draw page, "
                 "its numbers on the Inside page."))
    snapshot = travel(run, "train")
    same_data = run.dataset_name == dataset.name
    layers = layers_of(run, snapshot)
    left, right = st.columns(2)
    with left:
        if layers[0].kernel.shape[0] == N_PIXELS:
            st.markdown(_("**The first layer's patterns** (each unit's 784 weights as 28×28)"))
            chart(kernel_images(layers[0].kernel), config=STATIC, key=keys.TRAIN_TRAVEL_KERNELS)
    with right:
        if snapshot is None and run.evaluation is not None:  # the network as it is now: the Test set tab's
            st.markdown(_("**At the end of training** · test accuracy {share}. Its confusion matrix is under "
                          "**{tab}**; slide back to see it at an earlier point.").format(
                share=percent(run.evaluation.accuracy), tab=_(TEST_SET)))
        elif (travelled := _evaluation(run, snapshot, dataset, same_data)) is not None:
            st.markdown(_("**Confusion matrix** at this point · test accuracy {share}").format(
                share=percent(travelled.accuracy)))
            chart(confusion_figure(travelled.confusion, run.classes), key=keys.TRAIN_TRAVEL_CONFUSION,
                            config=STATIC)
    if same_data:
        _best_epoch(run, dataset)


def _evaluation(run: Run, snapshot: Snapshot, dataset: Dataset, same_data: bool) -> Evaluation | None:
    """The test results at the point chosen, none for a point on other data."""
    return evaluation_at(run, snapshot, dataset.x_test, dataset.y_test) if same_data else None


def _best_epoch(run: Run, dataset: Dataset) -> None:
    """Where the test loss was lowest, and a button to go back to that network."""
    best = best_snapshot(run)
    if best is None:
        return
    st.markdown(_("The test loss was lowest after epoch **{best}**: stopping there is **early stopping**.").format(
        best=best.epoch))
    if pressed(_("Use the network from the best epoch ({best})").format(best=best.epoch), key=keys.TRAVEL_BEST,
               icon=":material/history:"):
        run.use_snapshot(best, dataset)
        st.session_state[keys.TRAVEL_AT] = best.x
        st.rerun()
