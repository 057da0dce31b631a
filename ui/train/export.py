"""The Train page's "Code and downloads" tab: the model, its history and the run as a Python script
(`fcviz.files.export`), shown and downloadable, with the bundled sample beside it when the run trained on that."""
from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fcviz.data.loading import SAMPLE_PATH
from fcviz.data.sources import SAMPLE
from fcviz.files.export import run_script, script_name
from fcviz.files.persist import history_csv, run_to_bytes
from fcviz.i18n import _
from fcviz.settings.spec import NetworkSpec
from fcviz.train.training import Run
from ui import keys
from ui.folds import folded


def downloads(run: Run, spec: NetworkSpec, data_source: str) -> None:
    """The model, its history and its code, in one row, and the code below it.

    Downloads change nothing on the page, so they rerun nothing (on_click="ignore"): a rerun registers the
    deferred files anew, and a second button clicked while it ran downloaded nothing."""
    row = st.container(horizontal=True)
    row.download_button(_("Download model (.keras)"), data=lambda: run_to_bytes(run.model, run.config, run.epochs),
                        file_name=f"fcviz-{spec.name}.keras", mime="application/octet-stream",
                        icon=":material/download:", on_click="ignore")
    row.download_button(_("Download history (.csv)"), data=history_csv(run.epochs), file_name="fcviz-history.csv",
                        mime="text/csv", icon=":material/download:", on_click="ignore")
    run_as_code(run, row, data_source)


def run_as_code(run: Run, buttons: DeltaGenerator, page_source: str) -> None:
    """Download buttons in `buttons` (a row), and the code itself in an expander below it. A run that does
    not know its data's source (reopened from a file or a link) is taken to use the page's."""
    source = run.data_source or page_source
    script = run_script(run.spec, run.config, source, data_name=run.dataset_name, epochs=len(run.epochs) or None,
                        learning_rate=run.learning_rate, lr_decay=run.lr_decay)
    buttons.download_button(_("Get this run as Python"), data=script, file_name=script_name(run.spec),
                            mime="text/x-python", icon=":material/code:", on_click="ignore")
    if source == SAMPLE:
        buttons.download_button(_("Download the sample (.npz)"), data=SAMPLE_PATH.read_bytes, file_name=SAMPLE_PATH.name,
                                mime="application/octet-stream", icon=":material/dataset:", on_click="ignore")
    with folded(_("This run as Python code: Keras and numpy only, the same data, network, settings and seed"),
                keys.RUN_AS_CODE_OPEN):
        st.caption(_("Run it at home with `python {file}`: it prints the same test accuracy as this run "
                     "(within about a point).").format(file=script_name(run.spec)))
        if run.loaded:
            st.caption(_("This model came from a file: the script trains the same network from the start, since "
                         "it cannot know the weights the file began with."))
        st.code(script, language="python")
