"""The Train page's top: the engine's note, the sidebar's training settings, and the summary of what will train
(the lecture's experiments above it are `series`)."""
from __future__ import annotations

import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.i18n import _, number, reason
from fcviz.net.model import architecture
from fcviz.settings import fields
from fcviz.settings.link import Settings
from fcviz.settings.spec import NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.train import engine as engines
from ui.train.words import DataWords
from ui.widgets import setting


def engine_note() -> None:
    """What the training engine says about itself (e.g. that it trains in this process only), when it says anything."""
    if (running_on := engines.started()) is not None and running_on.note:
        st.warning(_(running_on.note))


def training_controls(settings: Settings, dataset: Dataset) -> TrainConfig:
    """The sidebar's training settings, each started at the session's (and so the link's) value; the
    configuration they make. Settings that cannot be used stop the page with the reason."""
    saved, values = settings.training, {}

    def control(key: str, **options) -> None:
        f = fields.field(key)
        values[f.attr] = setting(f, getattr(saved, f.attr), **options)

    with st.sidebar:
        control("n_train", high=len(dataset.y_train))
        st.header(_("Training"))
        for key in ("epochs", "batch", "opt", "lr", "decay"):
            control(key)
        st.header(_("Against overfitting"))
        control("l2")
        control("augment")
        _dropout_note(settings.network)
    try:
        return TrainConfig(**values, seed=saved.seed)
    except SpecError as e:
        st.error(_("These settings can't be used: {reason}.").format(reason=reason(e)))
        st.stop()


def _dropout_note(spec: NetworkSpec) -> None:
    """Dropout is set per layer on the Build page: the sidebar says what it is."""
    drops = [_("{rate:g} after hidden_{i}").format(rate=h.dropout, i=i) for i, h in enumerate(spec.hidden, 1)
             if h.dropout]
    st.caption(_("**Dropout**: {layers}. Set it per layer on the Build page.").format(
        layers=_(", ").join(drops) if drops else _("none")))


def network_summary(spec: NetworkSpec, config: TrainConfig, dataset: Dataset, words: DataWords) -> None:
    """One line on the network and the data it trains on, and a full-batch warning (the way to the Build page is
    in the buttons' row)."""
    acts = _(", ").join(sorted({h.activation for h in spec.hidden})) or _("no hidden layer")
    st.markdown(_("**Network** `{name}` ({activations}), **{params}** params · **Data** {data}: training on {n} of "
                  "{total} {items}, testing on {tested}").format(
        name=spec.name, activations=acts, params=number(architecture(spec).total_params), data=_(dataset.name),
        n=number(config.train_size), total=number(len(dataset.y_train)), items=_(words.items),
        tested=number(len(dataset.y_test))))
    if config.batch_size >= config.train_size:
        st.info(_("The batch size ({batch}) is not smaller than the training set ({n} digits): every epoch is a "
                  "single step on all of them (full-batch gradient descent), so the curves move slowly.").format(
            batch=number(config.batch_size), n=number(config.train_size)))
