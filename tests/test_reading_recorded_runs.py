"""The curve reading on real runs (tests/data/histories.json, recorded by scripts/record_histories.py):
what a teacher would say about each run, at its end and at every epoch while it trains."""
import json
from pathlib import Path

import pytest

from fcviz.settings.link import Settings
from fcviz.train.diagnosis import Setup, diagnose
from fcviz.train.history import BatchPoint, EpochStats

RECORDED = json.loads((Path(__file__).parent / "data" / "histories.json").read_text())["runs"]


def reading(run: dict, upto: int | None = None):
    settings = Settings.from_query(run["query"])
    epochs = [EpochStats(**e) for e in run["epochs"]][:upto]
    batches = [BatchPoint(*b) for b in run["batches"] if upto is None or b[0] <= upto]
    t, spec = settings.training, settings.network
    setup = Setup(t.optimizer, t.learning_rate, t.lr_decay, -(-t.train_size // t.batch_size),
                  tuple(h.activation for h in spec.hidden))
    return diagnose(epochs, batches, setup)


def test_the_recordings_cover_every_reading():
    assert {r["expect"] for r in RECORDED} == {"healthy", "overfitting", "too high", "not learning"}
    assert all(r["state"] == "finished" and r["epochs"] for r in RECORDED)


@pytest.mark.parametrize("run", RECORDED, ids=[r["name"][:40] for r in RECORDED])
def test_reading_at_the_end_of_a_real_run(run):
    d = reading(run)
    words = " ".join(d.messages)
    if run["expect"] == "too high":
        assert d.unstable and "is too high for" in words, words
    else:
        assert not d.unstable and "too high" not in words, words
    if run["expect"] == "not learning":
        assert d.not_learning and "vanishing gradients" in words and "relu" in words
    else:
        assert not d.not_learning, words
    if run["expect"] == "overfitting":
        assert d.overfitting_since is not None


@pytest.mark.parametrize("run", [r for r in RECORDED if r["expect"] in ("healthy", "overfitting")],
                         ids=lambda r: r["name"][:40])
def test_no_false_alarm_at_any_epoch_while_it_trains(run):
    for upto in range(1, len(run["epochs"]) + 1):
        d = reading(run, upto)
        assert not d.unstable and not d.not_learning, (upto, d.messages)


@pytest.mark.parametrize("run", [r for r in RECORDED if r["expect"] in ("too high", "not learning")],
                         ids=lambda r: r["name"][:40])
def test_a_run_whose_rate_is_wrong_or_that_does_not_learn_is_never_called_overfitting(run):
    for upto in range(1, len(run["epochs"]) + 1):
        d = reading(run, upto)
        assert d.overfitting_since is None and not any("Overfitting" in m for m in d.messages), (upto, d.messages)


def test_the_two_runs_a_newcomer_saw_read_as_one_story():
    by_name = {r["name"]: r for r in RECORDED}
    adam = reading(by_name["adam 0.3 (the issue's missed case)"])  # 40 % of its training digits: not overfitting
    assert adam.unstable and adam.overfitting_since is None and len(adam.messages) == 1
    sgd = reading(by_name["sgd 1.0 (a noisy curve the page once missed)"])  # test accuracy 92.9 % -> 86.5 %
    (words,) = sgd.messages
    assert sgd.unstable and "92.9% to 86.5%" in words and "too high for sgd" in words
    assert "smaller one (0.1)" in words and "decay" in words  # the notes' two remedies


def test_a_first_epoch_spike_above_guessing_names_the_rate():
    run = {**RECORDED[0], "query": {"opt": "sgd", "lr": "1.0"}}
    spiked = [[0.05, 2.3, 0.1], [0.25, 4.5, 0.2], [0.5, 1.0, 0.6], [1.0, 0.5, 0.8]]
    d = diagnose([EpochStats(**e) for e in run["epochs"][:1]], [BatchPoint(*b) for b in spiked],
                 Setup("sgd", 1.0, 1.0, 32, ("relu",)))
    assert d.unstable and "spiked to 4.5" in d.messages[0]
