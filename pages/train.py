"""Train: fit the Build page's network on MNIST and watch train and test curves, live."""
import streamlit as st

from fcviz.data.sources import UPLOAD
from ui.data_choice import choose_dataset
from ui.frame import frame
from ui.runs import current_run
from ui.session import get_settings, set_training
from ui.train.buttons import training_buttons
from ui.train.compare import kept_runs
from ui.train.controls import engine_note, network_summary, training_controls
from ui.train.live import how_to_read, live_training
from ui.train.series import lecture_experiments, what_to_look_for
from ui.train.tabs import results
from ui.train.words import page_title, words_for

frame()  # first, on every run: settings from the link, classroom view, share box

settings = get_settings()
title = st.empty()  # named once the data set is known
experiments = st.container()  # drawn once the sidebar's settings are the session's: the one they are is marked
engine_note()
dataset, source = choose_dataset(settings.data)
words = words_for(dataset.classes)
title.title(page_title(words))
config = training_controls(settings, dataset)  # stops the page when the settings can't be used
set_training(config, settings.data if source == UPLOAD else source)  # an upload cannot travel in a link
with experiments:
    lecture_experiments()  # a click loads one: reruns with its settings
network_summary(settings.network, config, dataset, words)

busy = training_buttons(settings.network, config, dataset)  # reruns when a click started or ended a training
live_training(busy, settings.network, config, dataset)
what_to_look_for()  # the loaded experiment's, if any
how_to_read()
if not busy:
    results(current_run(), settings.network, dataset)  # the private link, then tabs: test set, time travel, …
kept_runs()
