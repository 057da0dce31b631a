"""Getting a model onto a page that needs one: the session's run, a quick training, or an upload."""
from __future__ import annotations

import streamlit as st

from fcviz.data import Dataset, load_dataset
from fcviz.persist import ModelFileError, load_model_bytes, saved_meta
from fcviz.spec import NetworkSpec, SpecError
from fcviz.train_config import TrainConfig
from fcviz.training import Run, Trainer, check_trainable
from ui.liveness import tab_still_open
from ui.state import announce, current_run, current_trainer, get_spec, plain, replace_run, set_spec

QUICK_EPOCHS = 10


def start_training(run: Run, dataset: Dataset, epochs: int) -> Trainer:
    """Train `run` in the background as the session's run; it stops by itself if the tab is closed."""
    trainer = Trainer(run, dataset, epochs, still_wanted=tab_still_open()).start()
    replace_run(run, trainer)
    return trainer


def quick_train(spec: NetworkSpec) -> None:
    """Train `spec` (or the default network, if it can't learn MNIST) on the bundled sample, here and now."""
    dataset = load_dataset("sample")
    try:
        check_trainable(spec, dataset)
    except SpecError:
        spec = NetworkSpec()
    run = Run(spec, TrainConfig(epochs=QUICK_EPOCHS), dataset)
    trainer = start_training(run, dataset, QUICK_EPOCHS)
    with st.spinner(f"Training {spec.describe()} for {QUICK_EPOCHS} epochs on the bundled MNIST sample…"):
        trainer.join()


def upload_model(key: str) -> None:
    """A .keras upload becomes the session's model once; a bad file leaves the current model alone."""
    file = st.file_uploader("Load a trained model (.keras)", type=["keras"], key=key)
    if file is None or st.session_state.get(f"{key}_done") == file.file_id:
        return
    st.session_state[f"{key}_done"] = file.file_id
    try:
        data = file.getvalue()
        model = load_model_bytes(data)
        config, history = saved_meta(data)
        run = Run.from_model(model, load_dataset("sample"), config, history)
    except (ModelFileError, SpecError) as e:
        st.session_state[f"{key}_error"] = f"{plain(file.name)} can't be used: {plain(str(e))}. The model you had is kept."
        return
    st.session_state.pop(f"{key}_error", None)
    replace_run(run)
    set_spec(run.spec)
    announce(f"Loaded {plain(file.name)}: {run.spec.describe()}"
             + (f", {len(run.epochs)} epochs of history." if run.epochs else "."))
    st.rerun()  # the page above the uploader was drawn for the old model


def show_upload(key: str) -> None:
    upload_model(key)
    if error := st.session_state.get(f"{key}_error"):
        st.error(error)


def model_or_offer(page: str) -> Run | None:
    """The session's model if it has learned anything; otherwise offer to train or load one, never an error."""
    run = current_run()
    if run is not None and run.has_learned:
        return run
    if run is not None and current_trainer() is not None and current_trainer().progress().active:
        st.info("Your network is training its first epoch: this page uses it as soon as that ends.")
        return None
    st.info("No trained network yet. Train one here in a few seconds, train it on the **Train** page, "
            "or load a `.keras` file you saved before.")
    spec = get_spec()
    if st.button(f"Train {spec.describe()} now ({QUICK_EPOCHS} epochs, bundled sample)", type="primary",
                 key=f"{page}_quick_train", icon=":material/bolt:"):
        quick_train(spec)
        st.rerun()
    show_upload(f"{page}_upload")
    return None
