"""How a saved run is named where it is listed: in the reader's language, whoever trained it. A run's label is saved in
the language of the student who trained it; the board and My runs make its settings line again from the link's
settings it was saved with."""
from __future__ import annotations

import functools

from fcviz import i18n
from fcviz.settings.described import settings_line
from fcviz.settings.link import Settings
from fcviz.store.runs import RunSummary
from fcviz.train.training import number_in


def settings_of(run: RunSummary, network: bool = True) -> str:
    """A run's settings in the reader's language, made from the link's settings it was saved with (its label is in
    the language of the student who trained it); the saved label's words where that link no longer reads cleanly.
    `network=False`: without the network's name (the board's table has a column for it)."""
    return _settings_line(i18n.current(), tuple(sorted(run.settings.items())), run.tuned_on, run.label, network)


@functools.lru_cache(maxsize=4096)  # a board polls every few seconds; reading a link takes ~0.5 ms, a class 2,000 runs
def _settings_line(language: str, query: tuple[tuple[str, str], ...], tuned_on: int, label: str,
                   network: bool) -> str:
    """`settings_of`, once per language (the cache's key: `_` reads the current one) and saved run."""
    settings, notes = Settings.from_link(dict(query))
    if notes:
        return label.split(" ", 1)[1] if " " in label else label
    training = settings.training
    return settings_line(settings.network, training, training.learning_rate, training.lr_decay, tuned_on, network)


def label_of(run: RunSummary) -> str:
    """A saved run's label as `Run.label` writes it ("#3 784-128-10 relu, adam lr 0.001, 4,000 train"), in the reader's
    language: what My runs lists."""
    number = number_in(run.label)
    return settings_of(run) if number is None else f"#{number} {settings_of(run)}"
