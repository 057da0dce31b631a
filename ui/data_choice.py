"""Choosing the data to train on: the bundled sample, full MNIST, the data folder's sets by name, or
an upload. A student never names a path on the server."""
from __future__ import annotations

import streamlit as st

from fcviz.data.loading import (
    MAX_DATA_BYTES,
    Dataset,
    DataUnavailable,
    dataset_from_upload,
    folder_datasets,
    load_or_fallback,
)
from fcviz.data.sources import SAMPLE, UPLOAD, folder_name, in_folder
from fcviz.i18n import _, reason
from fcviz.settings import fields
from ui import keys
from ui.session import shown
from ui.text import plain
from ui.widgets import setting

DATA = fields.field("data")


def source_label(source: str) -> str:
    """How the data choice names `source`: a data folder's set by its name, the upload by what it takes."""
    if (name := folder_name(source)) is not None:
        return _("Data folder: {name}").format(name=name)
    return _("Upload a data file (.npz or IDX .gz)") if source == UPLOAD else DATA.show(source)


def uploaded_dataset() -> Dataset | None:
    """The data set of this session's upload, read once per set of files; None (with a message) until usable."""
    files = st.file_uploader(_("Keras' mnist.npz layout, or the four IDX .gz files of MNIST or Fashion-MNIST"),
                             type=["npz", "gz"], accept_multiple_files=True, key=keys.TRAIN_DATA_UPLOAD)
    if not files:
        # in decimal MB, as the library's message for a file that is too big says it (`dataset_from_upload`)
        st.caption(_("Up to {n} MB. Nothing is uploaded until you choose files.").format(
            n=f"{MAX_DATA_BYTES / 1e6:,.0f}"))
        return None
    ids = tuple(f.file_id for f in files)
    if st.session_state.get(keys.TRAIN_DATA_READ, (None,))[0] != ids:
        try:
            result: Dataset | str = dataset_from_upload([(f.name, f.getvalue()) for f in files])
        except DataUnavailable as e:
            result = plain(reason(e)) + _(".")
        st.session_state[keys.TRAIN_DATA_READ] = (ids, result)
    result = st.session_state[keys.TRAIN_DATA_READ][1]
    if isinstance(result, str):
        st.error(result)
        return None
    return result


def choose_dataset(current: str) -> tuple[Dataset, str]:
    """The sidebar's data choice (started at the setting `current`): the data set, and the source chosen."""
    with st.sidebar:
        if shown(DATA):
            st.header(_("Data"))
        sources = DATA.choices + tuple(in_folder(name) for name in folder_datasets()) + (UPLOAD,)
        if current not in sources:  # a link naming a set this server's data folder does not have
            st.warning(_("This server's data folder has no data set called “{name}”: using {default}.").format(
                name=plain(folder_name(current) or current), default=plain(DATA.show(DATA.default))))
            current = DATA.default
        source = setting(DATA, current, options=sources, show=source_label)
        uploaded = uploaded_dataset() if source == UPLOAD else None
    if source == UPLOAD:
        dataset, fallback = (uploaded, None) if uploaded is not None else (
            load_or_fallback(SAMPLE)[0], _("Using the bundled MNIST sample until a data file is uploaded."))
    else:
        dataset, fallback = load_or_fallback(source)
    if fallback:
        st.warning(_(fallback))
    return dataset, source
