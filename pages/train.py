"""Train: fit the Build page's network on MNIST and watch train and test curves, live."""
import numpy as np
import pandas as pd
import streamlit as st

from fcviz.charts import compare_figure, confusion_figure, digit_grid, training_figure
from fcviz.data import SOURCE_LABELS, SOURCES, load_or_fallback
from fcviz.diagnosis import diagnose
from fcviz.model import describe
from fcviz.persist import history_csv, run_to_bytes
from fcviz.spec import MAX_DROPOUT, SpecError
from fcviz.train_config import (
    BATCH_SIZES, L2_VALUES, LEARNING_RATES, MAX_EPOCHS, OPTIMIZERS, TRAIN_SIZES, TrainConfig,
)
from fcviz.training import Run
from ui.models import show_upload, start_training
from ui.share import experiment_picker
from ui.state import (
    current_run, current_trainer, get_settings, past_runs, replace_run, seed_widget, set_spec, set_training, shown,
)
from ui.frame import frame

frame()  # first, on every run: settings from the link, classroom view, share box

settings = get_settings()
spec, saved = settings.network, settings.training
st.title("Train on MNIST")


def with_value(options: tuple, value) -> list:
    """A link may carry a value between the slider's stops: keep it as a stop of its own."""
    return sorted({*options, value})


# ---- controls: each seeded from the session's settings (and so from the link) ------------------
with st.sidebar:
    if shown("data"):
        st.header("Data")
        seed_widget("train_source", settings.data)
        source = st.selectbox("Dataset", SOURCES, format_func=SOURCE_LABELS.get, key="train_source")
        path = st.text_input("Path to mnist.npz", key="train_npz_path") if source == "npz" else None
    else:
        source, path = settings.data, None
dataset, fallback = load_or_fallback(source, path)
if fallback:
    st.warning(fallback)

with st.sidebar:
    n_avail = len(dataset.y_train)
    seed_widget("train_size", saved.train_size)
    st.session_state["train_size"] = min(st.session_state["train_size"], n_avail)
    seed_widget("train_epochs", saved.epochs)
    seed_widget("train_batch", saved.batch_size)
    seed_widget("train_optimizer", saved.optimizer)
    seed_widget("train_lr", saved.learning_rate)
    seed_widget("train_dropout", max((h.dropout for h in spec.hidden), default=0.0))
    seed_widget("train_l2", saved.l2)
    if shown("train_size"):
        st.select_slider("Training-set size", with_value(tuple(n for n in TRAIN_SIZES if n < n_avail) + (n_avail,),
                                                         st.session_state["train_size"]),
                         key="train_size", format_func=lambda n: f"{n:,}",
                         help="Small sets overfit fast: that is the point of the experiment.")
    st.header("Training")
    if shown("epochs"):
        st.slider("Epochs", 1, MAX_EPOCHS, key="train_epochs")
    if shown("batch"):
        st.select_slider("Batch size", with_value(BATCH_SIZES, saved.batch_size), key="train_batch")
    if shown("optimizer"):
        st.selectbox("Optimizer", OPTIMIZERS, key="train_optimizer")
    if shown("lr"):
        st.select_slider("Learning rate", with_value(LEARNING_RATES, saved.learning_rate), key="train_lr",
                         format_func=lambda v: f"{v:g}",
                         help="Log scale. Too high: a noisy curve or NaN. Too low: hardly moves.")
    st.header("Against overfitting")
    if shown("dropout"):
        st.slider("Dropout after each hidden layer", 0.0, MAX_DROPOUT, step=0.05, key="train_dropout",
                  disabled=not spec.hidden, help="Share of units switched off at random in each training step.")
    if shown("l2"):
        st.select_slider("L2 weight penalty", with_value(L2_VALUES, saved.l2), format_func=lambda v: f"{v:g}",
                         key="train_l2")
    experiment_picker()

state = st.session_state
train_size, epochs, lr = state["train_size"], state["train_epochs"], state["train_lr"]
if spec.hidden:
    spec = spec.with_dropout(state["train_dropout"])
    set_spec(spec)
try:
    config = TrainConfig(epochs=epochs, batch_size=state["train_batch"], optimizer=state["train_optimizer"],
                         learning_rate=lr, train_size=train_size, l2=state["train_l2"], seed=saved.seed)
except SpecError as e:
    st.error(f"These settings can't be used: {e}.")
    st.stop()
set_training(config, source)

arch = describe(spec)
acts = ", ".join(sorted({h.activation for h in spec.hidden})) or "no hidden layer"
st.markdown(f"**Network** `{spec.describe()}` ({acts}), **{arch.total_params:,}** params · "
            f"**Data** {dataset.name}: training on {train_size:,} of {len(dataset.y_train):,} digits, "
            f"testing on {len(dataset.y_test):,}")
st.page_link("pages/build.py", label="Change the layers on the Build page", icon=":material/account_tree:")
if config.batch_size >= train_size:
    st.info(f"The batch size ({config.batch_size:,}) is not smaller than the training set ({train_size:,} digits): "
            "every epoch is a single step on all of them (full-batch gradient descent), so the curves move slowly.")

# ---- buttons --------------------------------------------------------------------------------
run, trainer = current_run(), current_trainer()
busy = trainer is not None and trainer.progress().active
with st.container(horizontal=True):  # buttons as wide as their labels: the classroom view's bigger text fits
    train_clicked = st.button("Train", type="primary", disabled=busy, icon=":material/play_arrow:")
    stop_clicked = st.button("Stop", disabled=not busy, icon=":material/stop:")
    continue_clicked = st.button("Continue", disabled=busy or run is None, icon=":material/fast_forward:",
                                 help="Train the same weights for the chosen number of epochs more")
    reset_clicked = st.button("Reset", disabled=run is None, icon=":material/restart_alt:")

try:
    if train_clicked:
        run = Run(spec, config, dataset)
        trainer = start_training(run, dataset, config.epochs)
    elif stop_clicked and trainer is not None:
        trainer.stop()
        trainer.join(5)
    elif continue_clicked and run is not None:
        if run.spec != spec or run.config.train_size != train_size or run.dataset_name != dataset.name:
            st.warning("The network or the data changed since this model was trained: press **Train** to start "
                       "a new one (Continue keeps the weights, so it needs the same layers and data).")
        else:
            if lr != run.learning_rate:
                run.set_learning_rate(lr)
            trainer = start_training(run, dataset, epochs)
    elif reset_clicked:
        if trainer is not None:
            trainer.stop()
            trainer.join(5)
        replace_run(None)
        run = trainer = None
except SpecError as e:
    st.error(f"Can't train this network: {e}.")

was_busy, busy = busy, trainer is not None and trainer.progress().active
if busy != was_busy or reset_clicked:
    st.rerun()  # the buttons above were drawn for the old state: draw them again
st.session_state["train_polling"] = busy


# ---- live curves ----------------------------------------------------------------------------
@st.fragment(run_every=0.5 if busy else None)
def live() -> None:
    trainer = current_trainer()
    run = current_run()
    if run is None:
        st.info("Press **Train** to fit the network. With the bundled sample, 10 epochs take a few seconds.")
        return
    p = trainer.progress() if trainer else None
    epochs_done, batches = (p.epochs_done, p.batches) if p else (list(run.epochs), list(run.batches))
    if p and p.state == "queued":
        st.info(f"Waiting for a free training slot: number {p.queue_position} in the queue "
                "(the server trains a few networks at a time).")
    elif p and p.state == "running":
        left = f" · about {p.seconds_left:.0f} s left" if p.seconds_left is not None else ""
        st.progress(p.fraction, text=f"Epoch {min(p.epoch + 1, p.epochs_planned)} of {p.epochs_planned} · "
                                     f"{p.samples_per_second:,.0f} samples/s{left}")
    elif p and p.state == "diverged":
        st.error(p.message)
    elif p and p.message:
        (st.error if p.state == "failed" else st.info)(p.message)

    diagnosis = diagnose(epochs_done, batches)
    st.plotly_chart(training_figure(epochs_done, batches, diagnosis), key="train_curves",
                    config={"displaylogo": False})
    for message in diagnosis.messages:
        st.warning(message)
    if epochs_done:
        last = epochs_done[-1]
        with st.container(horizontal=True, wrap=True, gap="large"):  # wraps rather than cutting numbers off
            st.metric("Epochs", last.epoch, width="content")
            st.metric("Train accuracy", f"{last.accuracy:.1%}", width="content")
            st.metric("Test accuracy", f"{last.test_accuracy:.1%}", width="content", delta_color="off",
                      delta=f"{(last.test_accuracy - last.accuracy) * 100:+.1f} pts vs train")
            st.metric("Test loss", f"{last.test_loss:.3f}", width="content")
    if st.session_state.get("train_polling") and not (p and p.active):
        st.session_state["train_polling"] = False
        st.rerun()  # training ended: redraw the whole page once, with results and without polling


live()

with st.expander("How to read these curves"):
    st.markdown(
        "- **Train** (blue, solid) is measured on the digits the network learns from; **test** (orange, dashed) on "
        "digits it never sees. The shaded band is the gap between them.\n"
        "- **Very noisy training curve** → the learning rate is too high. Make it smaller.\n"
        "- **Training loss falls while the test loss rises** → overfitting: the network memorises the training "
        "digits instead of learning what digits look like. Remedies: **dropout**, fewer units, L2, more data.\n"
        "- **Why the test loss can sit *below* the training loss:** dropout switches units off only while "
        "training (at test time the whole network works), and the training loss is an average over the whole "
        "epoch, mostly measured while the network was still worse than at the epoch's end."
    )

# ---- results ----------------------------------------------------------------------------------
run, trainer = current_run(), current_trainer()
if run is not None and run.evaluation is not None and not busy:
    ev = run.evaluation
    st.subheader("On the test set")
    left, right = st.columns(2)
    with left:
        st.markdown("**Confusion matrix**: rows are the true digit, columns the prediction")
        st.plotly_chart(confusion_figure(ev.confusion), key="train_confusion", config={"displayModeBar": False})
    with right:
        st.markdown("**Accuracy per digit**")
        per_class = ev.per_class_accuracy
        st.bar_chart(pd.DataFrame({"accuracy": per_class}, index=[str(d) for d in range(10)]),
                     y_label="accuracy", x_label="digit", height=380)
        worst = int(np.argmin(per_class))
        st.caption(f"Hardest digit: **{worst}** ({per_class[worst]:.0%} right).")
    wrong = np.flatnonzero(ev.predictions != dataset.y_test)[:24] if run.dataset_name == dataset.name else []
    if len(wrong):
        st.markdown(f"**Misclassified test digits** ({int((ev.predictions != dataset.y_test).sum())} of "
                    f"{len(dataset.y_test):,}): *predicted (true)*")
        titles = [f"{ev.predictions[i]} ({dataset.y_test[i]})" for i in wrong]
        st.plotly_chart(digit_grid(dataset.x_test[wrong], titles, cols=12), key="train_wrong",
                        config={"displayModeBar": False})
    downloads = st.container(horizontal=True)
    downloads.download_button("Download model (.keras)", data=lambda: run_to_bytes(run.model, run.config, run.epochs),
                       file_name=f"fcviz-{spec.describe()}.keras", mime="application/octet-stream",
                       icon=":material/download:")
    downloads.download_button("Download history (.csv)", data=history_csv(run.epochs), file_name="fcviz-history.csv",
                       mime="text/csv", icon=":material/download:")

# ---- compare runs ------------------------------------------------------------------------------
runs = ([(run.label, list(run.epochs))] if run is not None and run.epochs else []) + past_runs()
if len(runs) > 1 and not busy:
    st.subheader("Compare runs")
    labels = [label for label, _ in runs]
    chosen = st.multiselect("Runs to overlay (dashed: test, solid: train)", labels, default=labels[:2],
                            key="train_compare")
    if chosen:
        st.plotly_chart(compare_figure([r for r in runs if r[0] in chosen]), key="train_compare_chart")

with st.expander("Load a saved model (.keras) to continue training it or to use it on the other pages"):
    show_upload("train_upload")
