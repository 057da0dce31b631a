"""Under the Train page's curves, in the live part: how large each layer's gradient is while the network trains,
one line per layer on a log axis, so that vanishing gradients in a deep sigmoid network are seen, not told.

The expander is closed at first (the first screen stays the curves and their numbers) and draws its chart only when
open (`on_change="rerun"`); open, it follows the training as the curves do."""
from __future__ import annotations

from typing import Sequence

import streamlit as st

from fcviz import i18n
from fcviz.i18n import _
from fcviz.net.model import layer_title
from fcviz.plots.charts import gradients_figure
from fcviz.plots.style import EXPLORE
from fcviz.settings.spec import NetworkSpec
from fcviz.train.history import BatchPoint
from fcviz.train.training import Run
from ui import keys
from ui.chart import chart
from ui.folds import folded
from ui.session import remade


def dense_layer_names(spec: NetworkSpec) -> list[str]:
    """The Keras names of the network's Dense layers, first hidden layer first (as `fcviz.net.model` names them)."""
    return [f"hidden_{i}" for i in range(1, len(spec.hidden) + 1)] + ["output"]


def layer_gradients(run: Run, batches: Sequence[BatchPoint]) -> None:
    """The expander with the chart of each layer's gradient size over the training so far (`batches`)."""
    expander = folded(_("Gradients per layer: is every layer learning?"), keys.TRAIN_GRADIENTS,
                           icon=":material/show_chart:", on_change="rerun")
    if not expander.open:
        return
    with expander:
        names = dense_layer_names(run.spec)
        if not batches:
            st.caption(_("Each layer's line appears here as the network trains."))
            return
        if not any(len(b.grads) == len(names) for b in batches):
            st.caption(_("No gradients were measured for this run (it was loaded, or saved before fcviz measured "
                         "them): train it to see them."))
            return
        st.caption(_("How much each layer's weights are pushed per step (the mean absolute value of the gradient "
                     "∂loss/∂w, on a log scale): in a deep sigmoid network the first layers barely move — vanishing "
                     "gradients. With relu they stay much closer together."))
        chart(_figure(run, batches, names), key=keys.TRAIN_GRADIENTS_CHART, config=EXPLORE)


def _figure(run: Run, batches: Sequence[BatchPoint], names: list[str]):
    """The figure, made again only when a point arrived (the page polls once a second while it trains)."""
    return remade(keys.TRAIN_GRADIENTS_MADE, (run.id, len(batches), i18n.current()),
                  lambda: gradients_figure(batches, [layer_title(n) for n in names]))
