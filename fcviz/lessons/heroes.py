"""The heroes of deep learning, one at a time (the first lecture note's 推动深度学习发展的功臣): a network of
the 1980s — eight hidden sigmoid layers, weights drawn from a plain normal, plain SGD, little data — that does not
learn, and the same network with one more hero added at each step, until it learns as networks do today. Each step
is a whole setting, so any run with exactly a step's setting (trained by the series or by hand) counts as that
step in the table that ends the lesson."""
from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple, Sequence

from fcviz.i18n import N_
from fcviz.settings.initializers import Init
from fcviz.settings.link import Settings
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.history import EpochStats

DEPTH, WIDTH = 8, 64  # deep enough for sigmoid's gradients to vanish, small enough to train in seconds
GOOD_ACCURACY = 0.9  # "epochs to 90 %": how soon a step reaches what a plain network reaches on the sample


class Hero(NamedTuple):
    """One step of the lesson: the hero it adds (its name, marked for translation) and the whole setting."""

    name: str
    settings: Settings


def _steps() -> tuple[Hero, ...]:
    """Each step is the one before with one hero added, in an order where each one helps on the sample within a
    lesson's ten epochs (measured: `scripts/record_histories.py --heroes`). Xavier's initialisation, made for
    symmetric activations, leaves eight sigmoid layers stuck at chance: ReLU comes with the initialisation made for
    it, He's (Xavier's, for ReLU). Not here: dropout, which fights overfitting that ten epochs do not reach (the
    experiment "Fix it with dropout" shows it), and Adam, which no longer helps once batch norm and skip connections
    are in (it helps a plain network: the experiments on the learning rate)."""
    start = Settings(NetworkSpec(hidden=(LayerSpec(WIDTH, "sigmoid"),) * DEPTH, init=Init.NORMAL),
                     TrainConfig(epochs=10, optimizer="sgd", learning_rate=0.1, train_size=1000))
    relu = replace(start, network=replace(start.network.with_hidden([LayerSpec(WIDTH, "relu")] * DEPTH), init=Init.HE))
    norm = replace(relu, network=relu.network.with_hidden([replace(h, batchnorm=True) for h in relu.network.hidden]))
    skip = replace(norm, network=replace(norm.network, skip=True))
    data = replace(skip, training=replace(skip.training, train_size=4000))
    return (Hero(N_("A network of the 1980s"), start), Hero(N_("ReLU, with He's initialisation"), relu),
            Hero(N_("Batch normalisation"), norm), Hero(N_("Skip connections"), skip), Hero(N_("More data"), data))


HEROES: tuple[Hero, ...] = _steps()


def hero_of(network: NetworkSpec, training: TrainConfig) -> Hero | None:
    """The step whose network and training these are (how the table finds a student's runs), or None."""
    return next((h for h in HEROES if h.settings.network == network and h.settings.training == training), None)


def epochs_to(epochs: Sequence[EpochStats], accuracy: float = GOOD_ACCURACY) -> int | None:
    """The first epoch whose test accuracy reached `accuracy`, or None: how much a hero speeds learning up."""
    return next((e.epoch for e in epochs if e.test_accuracy >= accuracy), None)


class HeroRow(NamedTuple):
    """One line of the table that ends the lesson."""

    hero: str  # marked for translation
    test_accuracy: float
    epochs_to_good: int | None


def heroes_table(runs: Sequence[tuple[NetworkSpec, TrainConfig, Sequence[EpochStats]]]) -> list[HeroRow]:
    """The lesson's table from the runs at hand (newest first): for each step that has a run, in the lesson's
    order, the newest run's last test accuracy and the epoch it first reached 90 %."""
    newest: dict[str, Sequence[EpochStats]] = {}
    for network, training, epochs in runs:
        if epochs and (hero := hero_of(network, training)) is not None:
            newest.setdefault(hero.name, epochs)
    return [HeroRow(h.name, newest[h.name][-1].test_accuracy, epochs_to(newest[h.name]))
            for h in HEROES if h.name in newest]
