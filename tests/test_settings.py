"""Links: the whole setting round-trips; garbage falls back to the nearest valid setting, with words."""
import pytest

from fcviz.lessons.presets import EXPERIMENTS
from fcviz.settings.link import Settings
from fcviz.settings.spec import LayerSpec, NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig


def test_round_trip_of_everything():
    s = Settings(NetworkSpec(hidden=(LayerSpec(256, "tanh", 0.3),)), TrainConfig(epochs=5, learning_rate=0.03),
                 data="mnist", classroom=True, hide=("lr", "optimizer"))
    assert Settings.from_query(s.to_query()) == s
    assert Settings.from_link(s.to_query()) == (s, [])


@pytest.mark.parametrize(
    "query, note, check",
    [
        ({"foo": "1", "units": "64"}, "Ignored unknown link parameters: foo", lambda s: s.network.widths == [784, 64, 10]),
        ({"lr": "fast"}, "'lr=fast' is not a number: using 0.001", lambda s: s.training.learning_rate == 1e-3),
        ({"units": "2000"}, "outside 1–1024: using 1024", lambda s: s.network.hidden[0].units == 1024),
        ({"units": ",".join(["16"] * 1000)}, "1,000 hidden layers", lambda s: len(s.network.hidden) == 8),
        ({"epochs": "0"}, "'epochs=0' is outside 1–200: using 1", lambda s: s.training.epochs == 1),
        ({"epochs": "1e9"}, "using 200", lambda s: s.training.epochs == 200),
        ({"act": "swish"}, "'act=swish' is not one of", lambda s: s.network.hidden[0].activation == "relu"),
        ({"dropout": "2"}, "outside 0–0.9: using 0.9", lambda s: s.network.hidden[0].dropout == 0.9),
        ({"opt": "magic"}, "'opt=magic'", lambda s: s.training.optimizer == "adam"),
        ({"data": "imagenet"}, "'data=imagenet'", lambda s: s.data == "sample"),
        ({"hide": "lr,everything"}, "Cannot hide everything", lambda s: s.hide == ("lr",)),
        ({"n_train": "-5"}, "using 10", lambda s: s.training.train_size == 10),
        ({"lr": "nan"}, "not a number", lambda s: s.training.learning_rate == 1e-3),
    ],
)
def test_garbage_falls_back_to_nearest_valid(query, note, check):
    settings, notes = Settings.from_link(query)
    assert any(note in n for n in notes), notes
    assert check(settings)


def test_strict_parsing_refuses_garbage():
    with pytest.raises(SpecError):
        Settings.from_query({"data": "imagenet"})
    with pytest.raises(SpecError):
        Settings(hide=("everything",))


def test_experiments_are_valid_and_named_for_the_lecture():
    assert {"Overfit on purpose", "Fix it with dropout", "Learning rate too high"} <= set(EXPERIMENTS)
    overfit, dropout = EXPERIMENTS["Overfit on purpose"].settings, EXPERIMENTS["Fix it with dropout"].settings
    assert overfit.training == dropout.training and all(h.dropout == 0.5 for h in dropout.network.hidden)
    assert EXPERIMENTS["Learning rate too high"].settings.training.learning_rate >= 1
    for e in EXPERIMENTS.values():
        assert Settings.from_query(e.settings.to_query()) == e.settings
        assert e.question.endswith("?") and len(e.question) <= 80 and "\n" not in e.question  # one line


def test_each_experiment_has_settings_of_its_own():
    """The Train page marks the experiment whose settings the session has: no two may share them."""
    settings = [e.settings for e in EXPERIMENTS.values()]
    assert len(set(settings)) == len(settings)
