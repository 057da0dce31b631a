"""The Train page's "moved digits": the run's test accuracy with every test digit moved by a few pixels
(`fcviz.net.robustness.SHIFTS`), which augmentation is there to fix."""
from __future__ import annotations

import streamlit as st

from fcviz.data.loading import Dataset
from fcviz.i18n import _, percent
from fcviz.net.reader import dense_weights
from fcviz.net.robustness import shift_accuracy
from fcviz.train.training import Run
from ui import keys


def moved_digits(run: Run, dataset: Dataset) -> None:
    """One line: accuracy unmoved and at each of `SHIFTS`, as the training's worker measured it (here, once
    per run and epoch count, for a run from a file or the class store)."""
    if run.moved is not None and run.moved[0] == len(run.epochs):
        accuracy = run.moved[1]
    else:
        key = (run.id, len(run.epochs), dataset.name)
        kept = st.session_state.get(keys.MOVED)
        if kept is None or kept[0] != key:
            kept = (key, shift_accuracy(dense_weights(run.model), dataset.x_test, dataset.y_test))
            st.session_state[keys.MOVED] = kept
        accuracy = kept[1]
    shown = " · ".join(_("{n} px: {share}").format(n=n, share=percent(a, 0)) for n, a in accuracy.items())
    st.markdown(_("**Moved test digits**, test accuracy with every digit moved by so many pixels: {shown}").format(
        shown=shown))
    st.caption(_("A fully connected layer has one weight per pixel: it does not know that a digit moved by three "
                 "pixels is the same digit. Augmentation (in the sidebar) trains it on moved, turned and scaled "
                 "copies.") if not run.config.augment else
               _("This run was trained with augmentation: compare it with the same network trained without."))
