"""Train: fit the Build page's network on MNIST and watch train and test curves, live."""
import numpy as np
import pandas as pd
import streamlit as st

from fcviz import i18n
from fcviz.data.mnist import DIGITS, N_PIXELS
from fcviz.data.sources import SAMPLE, UPLOAD
from fcviz.files.persist import history_csv, run_to_bytes
from fcviz.i18n import _, number, percent, reason
from fcviz.net.model import architecture
from fcviz.net.reader import dense_weights
from fcviz.plots.charts import class_names, compare_figure, confusion_figure, digit_grid, kernel_images, training_figure
from fcviz.plots.style import EXPLORE, STATIC
from fcviz.settings import fields
from fcviz.settings.spec import SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.train import engine as engines
from fcviz.train.diagnosis import diagnose
from fcviz.train.state import TrainingState
from fcviz.train.training import Run
from ui import keys
from ui.classes import handwriting_line, our_handwriting
from ui.data_choice import choose_dataset
from ui.export import run_as_code
from ui.frame import frame
from ui.models import show_upload
from ui.moved import moved_digits
from ui.runs import current_run, current_trainer, past_runs, replace_run, start_training
from ui.saved import my_runs, saved_note
from ui.session import apply_settings, get_settings, set_training
from ui.share import experiment_picker
from ui.timetravel import best_snapshot, evaluation_at, layers_of, travel
from ui.widgets import setting

frame()  # first, on every run: settings from the link, classroom view, share box

settings = get_settings()
spec, saved = settings.network, settings.training
title = st.empty()  # named once the data set is known
F = fields.field
if (running_on := engines.started()) is not None and running_on.note:
    st.warning(_(running_on.note))

# ---- controls: each seeded from the session's settings (and so from the link) ------------------
dataset, source = choose_dataset(settings.data)
digits_data = dataset.classes == DIGITS
title.title(_("Train on MNIST") if digits_data else _("Train on Fashion-MNIST"))

values = {}


def control(key: str, **options) -> None:
    """The control of training setting `key`, started at the session's value; what it shows goes into `values`."""
    f = F(key)
    values[f.attr] = setting(f, getattr(saved, f.attr), **options)


with st.sidebar:
    control("n_train", high=len(dataset.y_train))
    st.header(_("Training"))
    for key in ("epochs", "batch", "opt", "lr", "decay"):
        control(key)
    st.header(_("Against overfitting"))
    control("l2")
    control("augment")
    drops = [_("{rate:g} after hidden_{i}").format(rate=h.dropout, i=i) for i, h in enumerate(spec.hidden, 1)
             if h.dropout]
    st.caption(_("**Dropout**: {layers}. Set it per layer on the Build page.").format(
        layers=_(", ").join(drops) if drops else _("none")))
    experiment_picker()

try:
    config = TrainConfig(**values, seed=saved.seed)
except SpecError as e:
    st.error(_("These settings can't be used: {reason}.").format(reason=reason(e)))
    st.stop()
set_training(config, settings.data if source == UPLOAD else source)  # an upload cannot travel in a link
train_size, epochs, lr = config.train_size, config.epochs, config.learning_rate

arch = architecture(spec)
acts = _(", ").join(sorted({h.activation for h in spec.hidden})) or _("no hidden layer")
st.markdown((_("**Network** `{name}` ({activations}), **{params}** params · **Data** {data}: training on {n} of "
               "{total} digits, testing on {tested}") if digits_data else
             _("**Network** `{name}` ({activations}), **{params}** params · **Data** {data}: training on {n} of "
               "{total} images of clothes, testing on {tested}")).format(
    name=spec.name, activations=acts, params=number(arch.total_params), data=_(dataset.name), n=number(train_size),
    total=number(len(dataset.y_train)), tested=number(len(dataset.y_test))))
st.page_link("pages/build.py", label=_("Change the layers on the Build page"), icon=":material/account_tree:")
if config.batch_size >= train_size:
    st.info(_("The batch size ({batch}) is not smaller than the training set ({n} digits): every epoch is a single "
              "step on all of them (full-batch gradient descent), so the curves move slowly.").format(
        batch=number(config.batch_size), n=number(train_size)))

# ---- buttons --------------------------------------------------------------------------------
run, trainer = current_run(), current_trainer()
busy = trainer is not None and trainer.progress().active
with st.container(horizontal=True):  # buttons as wide as their labels: the classroom view's bigger text fits
    train_clicked = st.button(_("Train"), type="primary", disabled=busy, icon=":material/play_arrow:")
    stop_clicked = st.button(_("Stop"), disabled=not busy, icon=":material/stop:")
    continue_clicked = st.button(_("Continue"), disabled=busy or run is None, icon=":material/fast_forward:",
                                 help=_("Train the same weights for the chosen number of epochs more"))
    reset_clicked = st.button(_("Reset"), disabled=run is None, icon=":material/restart_alt:")

series = st.session_state.setdefault(keys.TRAIN_SERIES, [])
if stop_clicked or reset_clicked:
    series.clear()
elif series and not busy:  # a lecture series: the next one trains as soon as the one before has ended
    step = series[0].viewed_as(get_settings())
    if get_settings() != step:
        apply_settings(step)  # reruns with its controls
    series.pop(0)
    train_clicked = True
if series:
    st.info(_("Training a series of runs one after another: {n} more after this one. Compare them under "
              "**Compare runs** when they are done.").format(n=len(series)))

try:
    if train_clicked:
        run = Run(spec, config, dataset)
        trainer = start_training(run, dataset, config.epochs)
    elif stop_clicked and trainer is not None:
        trainer.stop()
        trainer.join(5)
    elif continue_clicked and run is not None:
        if run.spec != spec or run.config.train_size != train_size or run.dataset_name != dataset.name:
            st.warning(_("The network or the data changed since this model was trained: press **Train** to start "
                         "a new one (Continue keeps the weights, so it needs the same layers and data)."))
        else:
            if (lr, config.lr_decay) != (run.learning_rate, run.lr_decay):
                run.set_learning_rate(lr, config.lr_decay)
            trainer = start_training(run, dataset, epochs)
    elif reset_clicked:
        if trainer is not None:
            trainer.stop()
            trainer.join(5)
        replace_run(None)
        run = trainer = None
except SpecError as e:
    st.error(_("Can't train this network: {reason}.").format(reason=reason(e)))

was_busy, busy = busy, trainer is not None and trainer.progress().active
if busy != was_busy or reset_clicked:
    st.rerun()  # the buttons above were drawn for the old state: draw them again
st.session_state[keys.TRAIN_POLLING] = busy


# ---- live curves ----------------------------------------------------------------------------
def curves(run: Run, epochs_done: list, batches: list):
    """The reading and the figure of the curves, made again only when a point arrived: a figure costs
    ~60 ms of the page server's CPU, and every training (or queued) student's page polls twice a second."""
    made_for = (run.id, len(epochs_done), len(batches), run.setup(), i18n.current())
    cached = st.session_state.get(keys.TRAIN_CURVES)
    if cached is None or cached[0] != made_for:
        diagnosis = diagnose(epochs_done, batches, run.setup())
        cached = made_for, diagnosis, training_figure(epochs_done, batches, diagnosis)
        st.session_state[keys.TRAIN_CURVES] = cached
    return cached[1], cached[2]


@st.fragment(run_every=0.5 if busy else None)
def live() -> None:
    trainer = current_trainer()
    run = current_run()
    if run is None:
        st.info(_("Press **Train** to fit the network. With the bundled sample, 10 epochs take a few seconds."))
        return
    p = trainer.progress() if trainer else None
    epochs_done, batches = (p.epochs_done, p.batches) if p else (list(run.epochs), list(run.batches))
    # Fixed slots, whatever the state: a row that moved up when the progress bar went was left behind
    # for a moment, and the metrics showed twice.
    status = st.empty()
    if p and p.state == TrainingState.QUEUED and p.message:
        status.info(_(p.message))
    elif p and p.state == TrainingState.QUEUED:
        status.info(_("Waiting for a free training slot: number {n} in the queue (the server trains a few networks "
                      "at a time).").format(n=p.queue_position))
    elif p and p.state == TrainingState.RUNNING:
        left = _(" · about {s:.0f} s left").format(s=p.seconds_left) if p.seconds_left is not None else ""
        status.progress(p.fraction, text=_("Epoch {n} of {total} · {speed} samples/s").format(
            n=min(p.epoch + 1, p.epochs_planned), total=p.epochs_planned, speed=number(p.samples_per_second)) + left)
    elif p and p.message:
        (status.error if p.state.went_wrong else status.info)(_(p.message))

    diagnosis, figure = curves(run, epochs_done, batches)
    st.plotly_chart(figure, key="train_curves", config=EXPLORE)
    with st.container(key="train_live_notes"):
        for message in diagnosis.messages:
            st.warning(message)
    # wraps rather than cutting numbers off
    with st.container(key="train_live_numbers", horizontal=True, wrap=True, gap="large"):
        if epochs_done:
            last = epochs_done[-1]
            st.metric(F("epochs").caption, last.epoch, width="content")
            st.metric(_("Train accuracy"), percent(last.accuracy), width="content")
            st.metric(_("Test accuracy"), percent(last.test_accuracy), width="content", delta_color="off",
                      delta=_("{points:+.1f} pts vs train").format(points=(last.test_accuracy - last.accuracy) * 100))
            st.metric(_("Test loss"), f"{last.test_loss:.3f}", width="content")
            if last.learning_rate == last.learning_rate and run.lr_decay < 1:  # NaN in files from before decay
                st.metric(_("Learning rate now"), f"{last.learning_rate:.2g}", width="content")
    if st.session_state.get(keys.TRAIN_POLLING) and not (p and p.active):
        st.session_state[keys.TRAIN_POLLING] = False
        st.rerun()  # training ended: redraw the whole page once, with results and without polling


live()

with st.expander(_("How to read these curves")):
    st.markdown(_(
        "- **Train** (blue, solid) is measured on the digits the network learns from; **test** (orange, dashed) on "
        "digits it never sees. The shaded band is the gap between them.\n"
        "- **Curves that jump** (a first epoch that costs more than guessing at random, spikes far above the curve, a "
        "test loss going up and down) → the learning rate is too high. Make it smaller, or let it decrease by itself "
        "(**learning-rate decay**). A thin curve that is merely fuzzy comes from small batches: that is fine.\n"
        "- **Loss stuck near ln 10 = 2.30** → the network guesses at random: a rate far too high, or, in a deep "
        "sigmoid network, vanishing gradients.\n"
        "- When the first losses are far above the rest, the loss axis turns **logarithmic** so the later curve "
        "stays visible.\n"
        "- **Training loss falls while the test loss rises** → overfitting: the network memorises the training "
        "digits instead of learning what digits look like. Remedies: **dropout**, fewer units, L2, more data.\n"
        "- **Why the test loss can sit *below* the training loss:** dropout switches units off only while "
        "training (at test time the whole network works), and the training loss is an average over the whole "
        "epoch, mostly measured while the network was still worse than at the epoch's end."
    ))

# ---- results ----------------------------------------------------------------------------------
run, trainer = current_run(), current_trainer()
if run is not None and run.evaluation is not None and not busy:
    ev = run.evaluation
    digits = run.classes == DIGITS
    st.subheader(_("On the test set"))
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Confusion matrix**: rows are the true digit, columns the prediction") if digits else
                    _("**Confusion matrix**: rows are the true class, columns the prediction"))
        st.plotly_chart(confusion_figure(ev.confusion, run.classes), key="train_confusion", config=STATIC)
    with right:
        st.markdown(_("**Accuracy per digit**") if digits else _("**Accuracy per class**"))
        per_class = ev.per_class_accuracy
        names = class_names(run.classes)
        st.bar_chart(pd.DataFrame({_("accuracy"): per_class}, index=names), sort=False,
                     y_label=_("accuracy"), x_label=_("digit") if digits else _("class"), height=380)
        worst = int(np.argmin(per_class))
        hardest = _("Hardest digit: **{digit}** ({share} right).") if digits else \
            _("Hardest class: **{digit}** ({share} right).")
        st.caption(hardest.format(digit=names[worst], share=percent(per_class[worst], 0)))
    wrong = np.flatnonzero(ev.predictions != dataset.y_test)[:24] if run.dataset_name == dataset.name else []
    if len(wrong):
        heading = _("**Misclassified test digits** ({n} of {total}): *predicted (true)*") if digits else \
            _("**Misclassified test images** ({n} of {total}): *predicted (true)*")
        st.markdown(heading.format(n=number(int((ev.predictions != dataset.y_test).sum())),
                                   total=number(len(dataset.y_test))))
        titles = [f"{ev.predictions[i]} ({dataset.y_test[i]})" for i in wrong]
        st.plotly_chart(digit_grid(dataset.x_test[wrong], titles, cols=12), key="train_wrong",
                        config=STATIC)
        if not digits:
            st.caption(" · ".join(f"{i} {name}" for i, name in enumerate(names)))
    # Downloads change nothing on the page, so they rerun nothing (on_click="ignore"): a rerun registers the deferred
    # files anew, and a second button clicked while it ran downloaded nothing.
    downloads = st.container(horizontal=True)
    downloads.download_button(_("Download model (.keras)"), data=lambda: run_to_bytes(run.model, run.config, run.epochs),
                       file_name=f"fcviz-{spec.name}.keras", mime="application/octet-stream",
                       icon=":material/download:", on_click="ignore")
    downloads.download_button(_("Download history (.csv)"), data=history_csv(run.epochs), file_name="fcviz-history.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore")
    run_as_code(run, downloads, dataset.source if run.dataset_name == dataset.name else SAMPLE)
    handwriting_line(dense_weights(run.model), ev.accuracy, our_handwriting())
    if run.dataset_name == dataset.name:
        moved_digits(run, dataset)
    saved_note(run)

# ---- time travel -------------------------------------------------------------------------------
if run is not None and len(run.snapshots) >= 2 and not busy:
    st.subheader(_("Time travel through this run"))
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
            st.plotly_chart(kernel_images(layers[0].kernel), config=STATIC, key="train_travel_kernels")
    with right:
        if snapshot is None:
            travelled = run.evaluation
        else:
            travelled = evaluation_at(run, snapshot, dataset.x_test, dataset.y_test) if same_data else None
        if travelled is not None:
            st.markdown(_("**Confusion matrix** at this point · test accuracy {share}").format(
                share=percent(travelled.accuracy)))
            st.plotly_chart(confusion_figure(travelled.confusion, run.classes), key="train_travel_confusion",
                            config=STATIC)
    best = best_snapshot(run)
    if best is not None and same_data:
        st.markdown(_("The test loss was lowest after epoch **{best}**: stopping there is **early stopping**.").format(
            best=best.epoch))
        if st.button(_("Use the network from the best epoch ({best})").format(best=best.epoch), key=keys.TRAVEL_BEST,
                     icon=":material/history:"):
            run.use_snapshot(best, dataset)
            st.session_state[keys.TRAVEL_AT] = best.x
            st.rerun()

# ---- compare runs ------------------------------------------------------------------------------
runs = ([(run.label, list(run.epochs))] if run is not None and run.epochs else []) + past_runs()
if len(runs) > 1 and not busy:
    st.subheader(_("Compare runs"))
    labels = [label for label, _epochs in runs]
    chosen = st.multiselect(_("Runs to overlay (dashed: test, solid: train)"), labels, default=labels[:3],
                            key=keys.TRAIN_COMPARE)
    if chosen:
        st.plotly_chart(compare_figure([r for r in runs if r[0] in chosen]), key="train_compare_chart")

with st.expander(_("My runs: every run trained in this browser, kept after a reload or a server restart")):
    my_runs()

with st.expander(_("Load a saved model (.keras) to continue training it or to use it on the other pages")):
    show_upload(keys.upload("train"))
