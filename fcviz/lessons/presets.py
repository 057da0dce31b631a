"""Networks and experiments from the lecture notes, one click each."""
from __future__ import annotations

from typing import NamedTuple

from fcviz.data.sources import FASHION
from fcviz.i18n import N_
from fcviz.lessons.heroes import HEROES
from fcviz.settings.link import Settings
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.settings.train_config import TrainConfig

# Networks (Build and Inside pages): button key -> (button label, spec)
PRESETS: dict[str, tuple[str, NetworkSpec]] = {
    "lecture": (N_("3 → 2 → 2 → 2 (20 params)"),
                NetworkSpec(input_size=3, hidden=(LayerSpec(2), LayerSpec(2)), output_units=2,
                            output_activation="linear")),
    "dense512": (N_("Dense(512) on 784"), NetworkSpec(hidden=(), output_units=512, output_activation="linear")),
    "book": (N_("784 → 512 → 10 (book)"), NetworkSpec(hidden=(LayerSpec(512),))),
    "default": (N_("784 → 128 → 10 (default)"), NetworkSpec()),
}

_WIDE = (LayerSpec(512), LayerSpec(512))


def _sgd_stack(activation: str, layers: int, epochs: int) -> Settings:
    """`layers` hidden layers of 64 `activation` units trained with plain SGD at 0.1: the 1980s' recipe."""
    return Settings(NetworkSpec(hidden=(LayerSpec(64, activation),) * layers),
                    TrainConfig(epochs=epochs, optimizer="sgd", learning_rate=0.1))


class Experiment(NamedTuple):
    """One of the lecture's experiments: the question it asks, what to look for, and its settings."""

    question: str  # one line, "What happens when …?" (marked for translation, `_()` it)
    what: str  # what to look for once it has trained (marked for translation)
    settings: Settings


HEROES_LESSON = N_("Heroes of deep learning, one at a time")

# Experiments (Train page), in the lecture's order: name shown -> experiment
EXPERIMENTS: dict[str, Experiment] = {
    N_("1980s: 3 sigmoid layers"): Experiment(
        N_("How well does a network of the 1980s learn?"),
        N_("A network of the 1980s: three hidden sigmoid layers, plain SGD. It learns, slowly."),
        _sgd_stack("sigmoid", 3, 15)),
    N_("Deep today: 8 relu layers"): Experiment(
        N_("Does a network eight hidden layers deep still learn?"),
        N_("Eight hidden relu layers learn with Adam: the training loss falls from the first epoch (relu keeps the "
           "gradient alive through depth; compare the 1980s' sigmoid layers). On 4,000 digits for 15 epochs the test "
           "loss may turn up late: overfitting, not a failure to learn."),
        Settings(NetworkSpec(hidden=(LayerSpec(128),) * 8), TrainConfig(epochs=15))),
    HEROES_LESSON: Experiment(
        N_("Which inventions made deep networks learn?"),
        N_("Eight sigmoid layers with weights drawn at σ = 1 and plain SGD hardly learn. Train all of them: each step "
           "adds one hero, and the table under Compare runs shows what each one bought."),
        HEROES[0].settings),
    N_("Overfit on purpose"): Experiment(
        N_("What happens when a wide network sees only 500 digits, 40 times?"),
        N_("Wide network, 500 training digits, many epochs: training accuracy reaches 100 % while the test loss "
           "turns up. Watch the gap open."),
        Settings(NetworkSpec(hidden=_WIDE), TrainConfig(epochs=40, train_size=500))),
    N_("Fix it with dropout"): Experiment(
        N_("What does dropout do to the gap between train and test?"),
        N_("The same overfitting setup with dropout 0.5 after each hidden layer: the gap stays smaller."),
        Settings(NetworkSpec(hidden=_WIDE).with_dropout(0.5), TrainConfig(epochs=40, train_size=500))),
    N_("Learning rate too high"): Experiment(
        N_("What happens when the learning rate is far too high?"),
        N_("SGD with learning rate 3: the loss jumps, gets stuck at the loss of guessing, or becomes NaN."),
        Settings(NetworkSpec(), TrainConfig(epochs=10, optimizer="sgd", learning_rate=3.0))),
    N_("Too high, and two fixes: Adam at 0.1"): Experiment(
        N_("What does a learning rate that is too high do to Adam, and what fixes it?"),
        N_("Adam at 0.1: the first epoch costs more than guessing at random and the test loss jumps. The notes give "
           "two remedies: a smaller rate, or one that decreases by itself. Train all three and compare them."),
        Settings(NetworkSpec(), TrainConfig(epochs=10, learning_rate=0.1))),
    N_("Too high, fix 1: a 10× smaller rate"): Experiment(
        N_("Does a 10× smaller learning rate calm the curves?"),
        N_("The same network with Adam at 0.01: smooth curves."),
        Settings(NetworkSpec(), TrainConfig(epochs=10, learning_rate=0.01))),
    N_("Too high, fix 2: the same rate, decaying"): Experiment(
        N_("What if the learning rate starts too high and halves every epoch?"),
        N_("Adam starting at 0.1, halved after every epoch: the first epoch still jumps, then the curve settles."),
        Settings(NetworkSpec(), TrainConfig(epochs=10, learning_rate=0.1, lr_decay=0.5))),
    N_("Sigmoid vs relu: sigmoid"): Experiment(
        N_("Can six sigmoid layers learn with plain SGD?"),
        N_("Six sigmoid layers with SGD hardly learn (vanishing gradients). Then try the relu experiment and "
           "compare the runs."),
        _sgd_stack("sigmoid", 6, 10)),
    N_("Sigmoid vs relu: relu"): Experiment(
        N_("What changes when the same six layers use relu?"),
        N_("The same six layers and SGD with relu: it learns. Overlay both runs under Compare runs."),
        _sgd_stack("relu", 6, 10)),
    N_("Clothes overfit sooner: MNIST"): Experiment(
        N_("How soon does a wide network overfit 4,000 digits?"),
        N_("A wide network on 4,000 MNIST digits for 20 epochs. Then train the same on Fashion-MNIST and compare: "
           "clothes are harder, the test loss turns up sooner and the gap between train and test is larger."),
        Settings(NetworkSpec(hidden=_WIDE), TrainConfig(epochs=20, train_size=4000))),
    N_("Clothes overfit sooner: Fashion-MNIST"): Experiment(
        N_("Do clothes overfit sooner than digits?"),
        N_("The same wide network on 4,000 Fashion-MNIST images: compare it with the MNIST run under Compare runs."),
        Settings(NetworkSpec(hidden=_WIDE), TrainConfig(epochs=20, train_size=4000), data=FASHION)),
    N_("Moved digits: without augmentation"): Experiment(
        N_("Can the network read a test digit moved by a few pixels?"),
        N_("A 784-256-10 network on the 4,000 sample digits. Under the results: its test accuracy when the digits are "
           "moved by 2, 3 and 4 pixels. Then train the same with augmentation and compare."),
        Settings(NetworkSpec(hidden=(LayerSpec(256),)), TrainConfig(epochs=15))),
    N_("Moved digits: with augmentation"): Experiment(
        N_("Does augmentation teach it to read moved digits?"),
        N_("The same network, every training image moved, turned and scaled a little anew in each epoch: moved test "
           "digits are read far better."),
        Settings(NetworkSpec(hidden=(LayerSpec(256),)), TrainConfig(epochs=15, augment=True))),
}

# Experiments the Train page can train one after the other, to overlay under "Compare runs": an experiment's name ->
# the settings of its series' steps.
RATE_FIXES = ("Too high, and two fixes: Adam at 0.1", "Too high, fix 1: a 10× smaller rate",
              "Too high, fix 2: the same rate, decaying")
CLOTHES = ("Clothes overfit sooner: MNIST", "Clothes overfit sooner: Fashion-MNIST")
MOVED = ("Moved digits: without augmentation", "Moved digits: with augmentation")
SERIES: dict[str, tuple[Settings, ...]] = {
    **{name: tuple(EXPERIMENTS[step].settings for step in series) for series in (RATE_FIXES, CLOTHES, MOVED)
       for name in series},
    HEROES_LESSON: tuple(hero.settings for hero in HEROES),  # (its later steps are no experiments of their own)
}
