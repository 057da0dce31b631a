"""Getting a model onto a page that needs one: the session's run, a quick training, or an upload."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import keras
import streamlit as st

from fcviz.cache import Bounded
from fcviz.data.loading import Dataset, load_dataset
from fcviz.data.sources import SAMPLE
from fcviz.files.persist import ModelFileError, load_model_bytes, saved_meta
from fcviz.i18n import _, reason
from fcviz.net.reader import fits_mnist
from fcviz.settings.spec import NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.train.history import EpochStats
from fcviz.train.training import Evaluation, Run, evaluate
from ui import keys
from ui.clicks import pressed
from ui.runs import current_run, replace_run, start_training, training_now
from ui.session import announce, get_spec, set_spec
from ui.text import plain

QUICK_EPOCHS = 10


def quick_train(spec: NetworkSpec) -> None:
    """Train `spec` (or the default network, if it can't read digits) on the bundled sample, here and now."""
    dataset = load_dataset(SAMPLE)
    if not fits_mnist(spec):
        spec = NetworkSpec()
    run = Run(spec, TrainConfig(epochs=QUICK_EPOCHS), dataset)
    trainer = start_training(run, dataset, QUICK_EPOCHS)
    with st.spinner(_("Training {name} for {n} epochs on the bundled MNIST sample…").format(name=spec.name,
                                                                                           n=QUICK_EPOCHS)):
        trainer.join()


UPLOADS_KEPT = 2  # .keras files kept as read, by their bytes' digest: a class uploads its teacher's one file (the largest
# model kept is ~33 MB of weights: two bound what a student uploading big files of their own holds in the server)


@dataclass(frozen=True)
class _Read:
    """An uploaded file as read once: its model (a template no session trains: each gets a copy), the settings and
    history saved with it, and how it does on the sample's test digits."""

    model: keras.Model
    config: TrainConfig | None
    history: list[EpochStats]
    evaluation: Evaluation


_read: Bounded[str, _Read] = Bounded(UPLOADS_KEPT)


def _read_file(data: bytes, sample: Dataset) -> _Read:
    model = load_model_bytes(data)  # checked before Keras reads it (ModelFileError: never kept)
    config, history = saved_meta(data)
    return _Read(model, config, history, evaluate(model, sample.x_test, sample.y_test))


def run_of_upload(data: bytes) -> Run:
    """The run an uploaded `.keras` file gives, with a model of its own. The same bytes uploaded again (70 students,
    one teacher's file) are not read or evaluated again: Keras' load and the evaluation were half of what an upload
    cost the page server; a copy of the model read is (`keras.models.clone_model`: the same layers, names and weights)."""
    sample = load_dataset(SAMPLE)
    read = _read.get_or_make(hashlib.sha256(data).hexdigest(), lambda: _read_file(data, sample))
    model = keras.models.clone_model(read.model)
    model.set_weights(read.model.get_weights())
    run = Run.from_model(model, sample, read.config, read.history, with_evaluation=False)
    run.evaluation = read.evaluation
    return run


def upload_model(uploader: str) -> None:
    """A .keras upload becomes the session's model once; a bad file leaves the current model alone."""
    file = st.file_uploader(_("Load a trained model (.keras)"), type=["keras"], key=uploader)
    if file is None or st.session_state.get(keys.upload_done(uploader)) == file.file_id:
        return
    st.session_state[keys.upload_done(uploader)] = file.file_id
    try:
        run = run_of_upload(file.getvalue())
    except (ModelFileError, SpecError) as e:
        st.session_state[keys.upload_error(uploader)] = _(
            "{file} can't be used: {reason}. The model you had is kept.").format(file=plain(file.name),
                                                                                 reason=plain(reason(e)))
        return
    st.session_state.pop(keys.upload_error(uploader), None)
    replace_run(run)
    set_spec(run.spec)
    announce((_("Loaded {file}: {name}, {n} epochs of history.") if run.epochs else _("Loaded {file}: {name}.")).format(
        file=plain(file.name), name=run.spec.name, n=len(run.epochs)))
    st.rerun()  # the page above the uploader was drawn for the old model


def show_upload(uploader: str) -> None:
    """A .keras uploader, and why its last file could not be used (kept until a file works)."""
    upload_model(uploader)
    if error := st.session_state.get(keys.upload_error(uploader)):
        st.error(error)


def model_or_offer(page: str) -> Run | None:
    """The session's model if it has learned anything; otherwise offer to train or load one, never an error."""
    run = current_run()
    if run is not None and run.has_learned:
        return run
    if run is not None and training_now():
        st.info(_("Your network is training its first epoch: this page uses it as soon as that ends."))
        return None
    st.info(_("No trained network yet. Train one here in a few seconds, train it on the **Train** page, "
              "or load a `.keras` file you saved before."))
    spec = get_spec()
    if pressed(_("Train {name} now ({n} epochs, bundled sample)").format(name=spec.name, n=QUICK_EPOCHS),
               type="primary", key=keys.quick_train(page), icon=":material/bolt:"):
        quick_train(spec)
        st.rerun()
    show_upload(keys.upload(page))
    return None
